import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { BATCH_CONTENT_TYPE, UPLOAD_PATH, UploadResponse } from '@atrium/contracts';
import { Value } from '@sinclair/typebox/value';
import { failureOfReply, type UploadFailure } from '../../core/sync/syncFailure';
import type { OutboxBatch } from '../outbox/outbox';
import { gatewayFetch, replyDateMs, type DeviceCredentials } from './gatewayFetch';

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
export interface HttpUploaderOptions extends DeviceCredentials {
  gatewayUrl: string;
  requestTimeoutMs: number;
}

function dateHeader(res: Response): ServerClockReading | null {
  const ms = replyDateMs(res);
  return ms === null ? null : { serverMs: ms, precisionMs: 1000 };
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
    const reply = await gatewayFetch(
      { method: 'POST', url: this.url, headers: { 'content-type': BATCH_CONTENT_TYPE, 'content-encoding': 'gzip' }, body },
      this.options,
      { signal: context.signal, createdMs: context.createdMs, timeoutMs: this.options.requestTimeoutMs },
    );
    if (!reply.ok) return { ok: false, failure: reply.failure, serverTime: null };
    const { res, text } = reply;
    const dated = dateHeader(res);
    if (!res.ok) {
      const failure = failureOfReply({ status: res.status, text, retryAfter: res.headers.get('retry-after'), nowMs: dated?.serverMs ?? Date.now() });
      return { ok: false, failure, serverTime: dated };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!Value.Check(UploadResponse, json)) {
      return { ok: false, failure: { kind: 'invalid-reply', code: 'REPLY_INVALID', detail: `status ${res.status}: not an UploadResponse` }, serverTime: dated };
    }
    return { ok: true, response: json, serverTime: { serverMs: Date.parse(json.serverTime), precisionMs: 1 } };
  }
}
