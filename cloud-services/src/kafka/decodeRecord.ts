import type { KafkaMessage } from 'kafkajs';
import { describeFieldErrors, fromKafkaRecord, validateEvent, type ErrorCode, type ValidEvent } from '@atrium/contracts';

/** One Kafka message read back into an event, or the reason it cannot be one. */
export type DecodedRecord =
  | { ok: true; offset: string; event: ValidEvent }
  | { ok: false; offset: string; message: KafkaMessage; code: ErrorCode; reason: string; kioskId?: string; sequence?: number };

/** Kafka header values as strings (kafkajs hands out buffers). */
export function headersAsStrings(headers: KafkaMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/** Decodes a binary-mode CloudEvents record and validates it against the catalogue. */
export function decodeRecord(message: KafkaMessage): DecodedRecord {
  const headers = headersAsStrings(message.headers);
  const kioskId = headers['ce_kioskid'] ?? message.key?.toString();
  const sequence = Number(headers['ce_sequence']);
  const where = { offset: message.offset, message, ...(kioskId ? { kioskId } : {}), ...(Number.isInteger(sequence) && sequence > 0 ? { sequence } : {}) };
  const decoded = fromKafkaRecord({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers });
  if (!decoded.ok) return { ok: false, ...where, code: 'EVENT_INVALID', reason: decoded.message };
  const validation = validateEvent(decoded.event);
  if (!validation.ok) return { ok: false, ...where, code: validation.code, reason: describeFieldErrors(validation.errors) };
  return { ok: true, offset: message.offset, event: validation.event };
}
