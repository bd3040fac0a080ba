import type { AtriumCloudEvent } from './cloudEvent';

/** The CloudEvents HTTP binding's batch mode media type. */
export const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json';

/** Serialises events as a CloudEvents JSON batch (an array of structured events). */
export function encodeBatch(events: readonly AtriumCloudEvent[]): string {
  return JSON.stringify(events);
}

/** The outcome of parsing a batch body; events are not validated yet (see `validateEvent`). */
export type BatchParse = { ok: true; events: unknown[] } | { ok: false; message: string };

/** Parses a batch body: it must be a JSON array. Each element is validated separately. */
export function decodeBatch(body: string): BatchParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { ok: false, message: `Body is not JSON: ${(err as Error).message}` };
  }
  if (!Array.isArray(parsed)) return { ok: false, message: 'A CloudEvents batch must be a JSON array' };
  return { ok: true, events: parsed };
}
