import { describe, expect, it } from 'vitest';
import type { CloudEvent} from 'cloudevents';
import { HTTP, Kafka } from 'cloudevents';
import {
  BATCH_CONTENT_TYPE,
  catalogueJsonSchemas,
  decodeBatch,
  encodeBatch,
  eventCatalogue,
  exampleData,
  fromKafkaRecord,
  makeEvent,
  newEventId,
  toKafkaRecord,
  validateEvent,
  type CatalogueEvent,
  type ValidEvent,
} from '../index';

function eventOf(type: CatalogueEvent['type'], sequence: number): ValidEvent {
  return makeEvent({ type, data: exampleData[type] } as CatalogueEvent, {
    id: newEventId(),
    kioskId: 'mall-01-k007',
    sequence,
    time: '2026-11-27T10:00:00.123Z',
    rawTime: '2026-11-27T10:00:02.000Z',
  });
}

const all = eventCatalogue.map((d, i) => eventOf(d.type, i + 1));

describe('every catalogued event type', () => {
  it.each(all.map((e) => [e.type, e] as const))('%s is valid as made', (_type, event) => {
    expect(validateEvent(event)).toEqual({ ok: true, event });
  });

  it('round-trips through the HTTP batch format', () => {
    const parsed = decodeBatch(encodeBatch(all));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.events).toEqual(all);
    for (const e of parsed.events) expect(validateEvent(e).ok).toBe(true);
  });

  it.each(all.map((e) => [e.type, e] as const))('%s round-trips through Kafka binary-mode headers', (_type, event) => {
    const record = toKafkaRecord(event);
    expect(record.key).toBe('mall-01-k007');
    expect(record.headers['ce_type']).toBe(event.type);
    expect(record.headers['ce_sequence']).toBe(String(event.sequence));
    const back = fromKafkaRecord(record);
    expect(back).toEqual({ ok: true, event });
  });

  it('has a JSON Schema document per type', () => {
    const schemas = catalogueJsonSchemas();
    expect(Object.keys(schemas).sort()).toEqual(eventCatalogue.map((d) => d.type).sort());
  });
});

describe('the cloudevents SDK reads what we write', () => {
  it('reads a batch in HTTP batch mode', () => {
    const read = HTTP.toEvent({ headers: { 'content-type': BATCH_CONTENT_TYPE }, body: encodeBatch(all) });
    const events = (Array.isArray(read) ? read : [read]) as CloudEvent<unknown>[];
    expect(events).toHaveLength(all.length);
    events.forEach((ce, i) => {
      const ours = all[i]!;
      expect(ce.id).toBe(ours.id);
      expect(ce.type).toBe(ours.type);
      expect(ce['kioskid']).toBe(ours.kioskid);
      expect(Number(ce['sequence'])).toBe(ours.sequence);
      expect(ce.data).toEqual(ours.data);
      expect(ce.validate()).toBe(true);
    });
  });

  it('reads a Kafka binary-mode record', () => {
    const ours = all[6]!;
    const record = toKafkaRecord(ours);
    const ce = Kafka.toEvent({
      key: record.key,
      value: Buffer.from(record.value),
      headers: record.headers,
      body: Buffer.from(record.value),
    } as never) as CloudEvent<unknown>;
    expect(ce.id).toBe(ours.id);
    expect(ce.source).toBe(ours.source);
    expect(ce['kioskid']).toBe(ours.kioskid);
    expect(ce.data).toEqual(ours.data);
  });
});

describe('an invalid event', () => {
  const good = eventOf('mall.feedback.submitted', 3);

  it('is rejected with the offending field named', () => {
    const result = validateEvent({ ...good, data: { ...good.data, rating: 9 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('EVENT_INVALID');
    expect(result.errors.map((e) => e.path)).toContain('/data/rating');
  });

  it('names a missing envelope field', () => {
    const { sequence: _drop, ...noSequence } = good;
    const result = validateEvent(noSequence);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain('/sequence');
  });

  it('rejects an unknown type with its own code', () => {
    const result = validateEvent({ ...good, type: 'mall.unicorn.sighted' });
    expect(result).toMatchObject({ ok: false, code: 'EVENT_TYPE_UNKNOWN' });
  });

  it('rejects a dataschema of another version', () => {
    const result = validateEvent({ ...good, dataschema: 'urn:atrium:schema:mall.feedback.submitted:9' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain('/dataschema');
  });

  it('rejects extra data fields, so typos do not pass silently', () => {
    const result = validateEvent({ ...good, data: { ...good.data, ratting: 2 } });
    expect(result.ok).toBe(false);
  });

  it('rejects a batch that is not an array, and a body that is not JSON', () => {
    expect(decodeBatch('{"a":1}')).toMatchObject({ ok: false });
    expect(decodeBatch('[{')).toMatchObject({ ok: false });
  });
});
