import {
  AtriumError,
  deadLetterHeaders,
  describeFieldErrors,
  kioskSource,
  toKafkaRecord,
  topics,
  validateEvent,
  type EventRejection,
} from '@atrium/contracts';
import type { AuthenticatedDevice } from '../auth/verifyDeviceSignature';
import type { ProducerRecord } from '../kafka/eventProducer';

/** What to produce for one upload, and what to answer once Kafka acknowledged it all. */
export interface BatchPlan {
  records: ProducerRecord[];
  /** Highest sequence of the batch (0 for an empty batch). */
  ackedThrough: number;
  accepted: number;
  rejections: EventRejection[];
}

const MAX_REASON = 1_000;

/**
 * Decides what an upload produces. Pure: no I/O, time passed in.
 *
 * The whole request is refused (nothing produced) when any element is not an object, names
 * another kiosk in `kioskid` or `source` (KIOSK_MISMATCH), or when sequences are not contiguous
 * and ascending (SEQUENCE_GAP): these are framing errors of the batch, not of one event.
 * Otherwise every event goes to Kafka: valid ones to the kiosk-events topic (binary mode),
 * invalid ones (EVENT_INVALID, EVENT_TYPE_UNKNOWN) to the ingest dead-letter topic with their
 * reason; both count as acknowledged, so the kiosk's sequence stays contiguous.
 */
export function planBatch(events: readonly unknown[], device: AuthenticatedDevice, nowIso: string): BatchPlan {
  const source = kioskSource(device.kioskId);
  const elements: Record<string, unknown>[] = [];
  events.forEach((value, index) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new AtriumError('VALIDATION_FAILED', `Element ${index} of the batch is not an object`, { errors: [{ path: `/${index}`, message: 'Expected a CloudEvent object' }] });
    }
    const event = value as Record<string, unknown>;
    if (event['kioskid'] !== device.kioskId || event['source'] !== source) {
      throw new AtriumError('KIOSK_MISMATCH', `Event ${index} does not name the signing kiosk ${device.kioskId} in kioskid and source`);
    }
    elements.push(event);
  });

  const first = elements[0]?.['sequence'];
  elements.forEach((event, index) => {
    const sequence = event['sequence'];
    if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) {
      throw new AtriumError('VALIDATION_FAILED', `Event ${index} has no valid sequence`, { errors: [{ path: `/${index}/sequence`, message: 'Expected an integer >= 1' }] });
    }
    if (sequence !== (first as number) + index) {
      throw new AtriumError('SEQUENCE_GAP', `Sequences must be contiguous and ascending: event ${index} has ${sequence}, expected ${(first as number) + index}`);
    }
  });

  const records: ProducerRecord[] = [];
  const rejections: EventRejection[] = [];
  for (const event of elements) {
    const result = validateEvent(event);
    if (result.ok) {
      records.push({ topic: topics.kioskEvents, ...toKafkaRecord(result.event) });
      continue;
    }
    const sequence = event['sequence'] as number;
    const reason = describeFieldErrors(result.errors).slice(0, MAX_REASON);
    rejections.push({ id: typeof event['id'] === 'string' ? event['id'] : '', sequence, code: result.code, reason });
    records.push({
      topic: topics.ingestDeadLetter,
      key: device.kioskId,
      // The original event, structured mode: it may not fit the binary mode's headers.
      value: JSON.stringify(event),
      headers: {
        'content-type': 'application/cloudevents+json',
        ce_kioskid: device.kioskId,
        ce_sequence: String(sequence),
        [deadLetterHeaders.code]: result.code,
        [deadLetterHeaders.reason]: reason,
        [deadLetterHeaders.stage]: 'ingest',
        [deadLetterHeaders.failedAt]: nowIso,
      },
    });
  }
  const last = elements.at(-1)?.['sequence'];
  return { records, ackedThrough: typeof last === 'number' ? last : 0, accepted: elements.length - rejections.length, rejections };
}
