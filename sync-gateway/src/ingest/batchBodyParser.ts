import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { AtriumError, BATCH_CONTENT_TYPE, decodeBatch } from '@atrium/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contentDigestMatches } from '../auth/contentDigest';

/** Limits the batch parser enforces, each with its own 4xx code. */
export interface BatchBodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  maxEventsPerBatch: number;
}

/** A parsed upload body: the batch elements (not validated yet) and the bytes as sent. */
export interface BatchBody {
  events: unknown[];
  bytesAsSent: number;
}

function readCapped(stream: Readable, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        stream.removeAllListeners('data');
        stream.resume();
        reject(new AtriumError('BODY_TOO_LARGE', `The body is larger than ${cap} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks, size)));
    stream.on('error', (err) => reject(new AtriumError('BODY_MALFORMED', 'The body could not be read', { cause: err })));
  });
}

/** Gunzips with a cap on the output, stopping as soon as it is passed (a gzip bomb stops there). */
export function gunzipCapped(input: Buffer, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    gunzip.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        done = true;
        gunzip.destroy();
        reject(new AtriumError('BODY_DECOMPRESSED_TOO_LARGE', `The body decompresses to more than ${cap} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    gunzip.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks, size));
    });
    gunzip.on('error', (err) => {
      if (!done) reject(new AtriumError('BODY_MALFORMED', 'The body is not valid gzip', { cause: err }));
    });
    gunzip.end(input);
  });
}

function encodingOf(request: FastifyRequest): 'identity' | 'gzip' {
  const raw = request.headers['content-encoding'];
  const value = (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  throw new AtriumError('UNSUPPORTED_ENCODING', `Content-Encoding '${value}' is not accepted; use gzip or none`);
}

/**
 * Registers the only body parser of the kiosk listener: CloudEvents batch JSON, optionally gzip.
 * In order: encoding, size as sent (streamed with a cap), `content-digest` against the bytes as
 * sent, gunzip with a cap, JSON, event count. Any other media type is 415.
 */
export function registerBatchBodyParser(app: FastifyInstance, limits: BatchBodyLimits): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(BATCH_CONTENT_TYPE, async (request: FastifyRequest, payload: Readable): Promise<BatchBody> => {
    const encoding = encodingOf(request);
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      throw new AtriumError('BODY_TOO_LARGE', `The body is larger than ${limits.maxBodyBytes} bytes`);
    }
    const raw = await readCapped(payload, limits.maxBodyBytes);
    const digest = request.headers['content-digest'];
    if (!contentDigestMatches(Array.isArray(digest) ? digest.join(', ') : digest, raw)) {
      throw new AtriumError('SIGNATURE_INVALID', 'Content-Digest does not match the body as sent');
    }
    const json = encoding === 'gzip' ? await gunzipCapped(raw, limits.maxDecompressedBytes) : raw;
    if (json.length > limits.maxDecompressedBytes) {
      throw new AtriumError('BODY_DECOMPRESSED_TOO_LARGE', `The body is larger than ${limits.maxDecompressedBytes} bytes`);
    }
    const parsed = decodeBatch(json.toString('utf8'));
    if (!parsed.ok) throw new AtriumError('BODY_MALFORMED', parsed.message);
    if (parsed.events.length > limits.maxEventsPerBatch) {
      throw new AtriumError('BATCH_TOO_MANY_EVENTS', `At most ${limits.maxEventsPerBatch} events per batch; this one has ${parsed.events.length}`);
    }
    return { events: parsed.events, bytesAsSent: raw.length };
  });
}
