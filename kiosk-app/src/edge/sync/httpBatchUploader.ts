import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { KeyObject } from 'node:crypto';
import { BATCH_CONTENT_TYPE, UPLOAD_PATH, UploadResponse, errorCatalogue, isProblem, type ErrorCode } from '@atrium/contracts';
import { Value } from '@sinclair/typebox/value';
import { parseRetryAfterMs } from '../../core/sync/backoff';
import type { SyncErrorCode, UploadFailure } from '../../core/sync/syncMachine';
import type { OutboxBatch } from '../outbox/outbox';
import { signDeviceRequest } from './signRequest';

const gzip = promisify(gzipCallback);

/** The server's clock as a reply reported it. */
export interface ServerClockReading {
  serverMs: number;
  /** 1 for `serverTime` (milliseconds), 1000 for the `Date` header (seconds). */
  precisionMs: number;
}

/** The outcome of one upload. */
export type UploadOutcome =
  | { ok: true; response: UploadResponse; serverTime: ServerClockReading | null }
  | { ok: false; failure: UploadFailure; serverTime: ServerClockReading | null };

/** Sends one batch. The HTTP implementation is the only one used outside tests of the core. */
export interface BatchUploader {
  upload(batch: OutboxBatch, context: { signal: AbortSignal; createdMs: number }): Promise<UploadOutcome>;
}

/** Where and as whom to upload. */
export interface HttpUploaderOptions {
  gatewayUrl: string;
  deviceId: string;
  /** The device key, or a function returning the current one (see DeviceKeyFile, for rotation). */
  privateKey: KeyObject | (() => KeyObject);
  requestTimeoutMs: number;
}

function isCatalogued(code: string): code is ErrorCode {
  return code in errorCatalogue;
}

function fallbackCode(status: number): SyncErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 413) return 'BODY_TOO_LARGE';
  if (status === 503) return 'BACKEND_UNAVAILABLE';
  return 'HTTP_ERROR';
}

function dateHeader(res: Response): ServerClockReading | null {
  const date = res.headers.get('date');
  const ms = date ? Date.parse(date) : NaN;
  return Number.isNaN(ms) ? null : { serverMs: ms, precisionMs: 1000 };
}

/**
 * Uploads batches to the gateway: gzip, `application/cloudevents-batch+json`, signed with the
 * device key (RFC 9421 with an RFC 9530 content digest over the gzipped bytes), over fetch.
 */
export class HttpBatchUploader implements BatchUploader {
  private readonly url: string;

  constructor(private readonly options: HttpUploaderOptions) {
    this.url = new URL(UPLOAD_PATH, options.gatewayUrl).toString();
  }

  async upload(batch: OutboxBatch, context: { signal: AbortSignal; createdMs: number }): Promise<UploadOutcome> {
    const body = await gzip(Buffer.from(batch.body, 'utf8'));
    const headers = await signDeviceRequest(
      { method: 'POST', url: this.url, headers: { 'content-type': BATCH_CONTENT_TYPE, 'content-encoding': 'gzip' }, body },
      this.options.deviceId,
      typeof this.options.privateKey === 'function' ? this.options.privateKey() : this.options.privateKey,
      context.createdMs,
    );
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.any([context.signal, timeout]) });
      text = await res.text();
    } catch (err) {
      if (context.signal.aborted) throw err;
      if (timeout.aborted) return { ok: false, failure: { kind: 'network', code: 'TIMEOUT', detail: `no reply within ${this.options.requestTimeoutMs} ms` }, serverTime: null };
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return { ok: false, failure: { kind: 'network', code: 'NETWORK', detail: cause?.code ?? cause?.message ?? (err as Error).message }, serverTime: null };
    }
    return this.interpret(res, text);
  }

  private interpret(res: Response, text: string): UploadOutcome {
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const dated = dateHeader(res);
    if (res.ok) {
      if (!Value.Check(UploadResponse, json)) {
        return { ok: false, failure: { kind: 'invalid-reply', code: 'REPLY_INVALID', detail: `status ${res.status}: not an UploadResponse` }, serverTime: dated };
      }
      return { ok: true, response: json, serverTime: { serverMs: Date.parse(json.serverTime), precisionMs: 1 } };
    }
    const problem = isProblem(json) ? json : null;
    const code: SyncErrorCode = problem && isCatalogued(problem.code) ? problem.code : fallbackCode(res.status);
    const retryAfterMs = parseRetryAfterMs(res.headers.get('retry-after'), dated?.serverMs ?? Date.now()) ?? (problem?.retryAfterS !== undefined ? problem.retryAfterS * 1000 : undefined);
    const detail = (problem?.detail ?? problem?.title ?? text.slice(0, 200)) || `HTTP ${res.status}`;
    return {
      ok: false,
      failure: { kind: 'http', status: res.status, code, detail, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
      serverTime: dated,
    };
  }
}
