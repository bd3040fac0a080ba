import { SPEC_VERSION, type AtriumCloudEvent } from './cloudEvent';

/**
 * A Kafka record in the CloudEvents Kafka binding's binary mode: the attributes travel as
 * `ce_*` headers, `data` is the value, and the key is the kiosk id so each kiosk's events
 * stay in order on one partition. Bytes are strings here; adapters turn them into buffers.
 */
export interface KafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

const ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'time', 'dataschema', 'kioskid', 'sequence', 'rawtime'] as const;

/** Maps an event to its binary-mode Kafka record. */
export function toKafkaRecord(event: AtriumCloudEvent): KafkaRecord {
  const headers: Record<string, string> = { 'content-type': event.datacontenttype };
  for (const name of ATTRIBUTES) {
    const value = event[name];
    if (value !== undefined) headers[`ce_${name}`] = String(value);
  }
  return { key: event.kioskid, value: JSON.stringify(event.data), headers };
}

/** The outcome of reading a Kafka record back into an event. */
export type KafkaDecode = { ok: true; event: AtriumCloudEvent } | { ok: false; message: string };

/** Maps a binary-mode record back to an event. Validate the result with `validateEvent`. */
export function fromKafkaRecord(record: { key?: string | null; value: string | null; headers: Record<string, string | undefined> }): KafkaDecode {
  const h = record.headers;
  if (h['ce_specversion'] !== SPEC_VERSION) return { ok: false, message: `ce_specversion must be ${SPEC_VERSION}` };
  const sequence = Number(h['ce_sequence']);
  let data: unknown;
  try {
    data = record.value === null ? null : JSON.parse(record.value);
  } catch (err) {
    return { ok: false, message: `Record value is not JSON: ${(err as Error).message}` };
  }
  const event: Record<string, unknown> = {
    specversion: SPEC_VERSION,
    id: h['ce_id'],
    source: h['ce_source'],
    type: h['ce_type'],
    time: h['ce_time'],
    datacontenttype: h['content-type'] ?? 'application/json',
    dataschema: h['ce_dataschema'],
    kioskid: h['ce_kioskid'] ?? record.key ?? undefined,
    sequence: Number.isFinite(sequence) ? sequence : h['ce_sequence'],
    data,
  };
  if (h['ce_rawtime'] !== undefined) event['rawtime'] = h['ce_rawtime'];
  return { ok: true, event: event as unknown as AtriumCloudEvent };
}
