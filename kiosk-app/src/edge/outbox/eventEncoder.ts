import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import {
  AtriumError,
  SPEC_VERSION,
  dataSchemaUri,
  describeFieldErrors,
  eventDefinition,
  kioskSource,
  makeEvent,
  newEventId,
  validateEvent,
  type CatalogueEvent,
  type DeliveryClass,
  type EventDefinition,
  type ValidEvent,
} from '@atrium/contracts';

/** What the outbox knows of one catalogued type. */
export interface EventKind {
  readonly definition: EventDefinition;
  readonly deliveryClass: DeliveryClass;
}

/** One event, checked and serialised: the stored JSON is exactly `JSON.stringify(event)`. */
export interface EncodedEvent {
  id: string;
  event: ValidEvent;
  json: string;
}

interface KindEntry extends EventKind {
  data: TypeCheck<TSchema>;
  /** JSON between the id and the time, and between the time and the sequence. */
  afterId: string;
  afterTime: string;
  /** 'pending' until the first event of the type passed the full check. */
  path: 'pending' | 'fast' | 'canonical';
}

/** An ISO time for `ms`, remembering the last one (appends within one millisecond share it). */
class IsoTimes {
  private ms = NaN;
  private text = '';
  of(ms: number): string {
    if (ms !== this.ms) {
      this.text = new Date(ms).toISOString();
      this.ms = ms;
    }
    return this.text;
  }
}

/** `toISOString` is 24 characters exactly for years 0000-9999, the range `date-time` accepts. */
const ISO_LENGTH = 24;
const HEAD = `{"specversion":${JSON.stringify(SPEC_VERSION)},"id":"`;

/**
 * Builds, checks and serialises the events of one kiosk, with as little work per event as the
 * guarantees allow. Every stored event must pass `validateEvent` (the gateway refuses anything
 * else), and it does:
 * - the first event of each type gets the full `validateEvent`, which checks every constant
 *   part of the envelope (spec version, source and kiosk id, type, data schema URI);
 * - after that, only what varies per event is checked: `data` (the caller's input) against the
 *   type's schema, compiled once per process; the id is a UUIDv7 made here; the time is an
 *   ISO string whose length proves its range; the sequence is an integer from 1.
 * The JSON is assembled from per-type constant pieces and `JSON.stringify(data)`, byte for byte
 * what `JSON.stringify(makeEvent(...))` gives (checked on the first event of each type, which
 * falls back to the canonical path if they ever differ).
 */
export class EventEncoder {
  private readonly kinds = new Map<string, KindEntry>();
  private readonly times = new IsoTimes();
  private readonly rawTimes = new IsoTimes();

  constructor(readonly kioskId: string) {}

  /** The catalogue entry of `type`; EVENT_TYPE_UNKNOWN when there is none. */
  kind(type: string): EventKind {
    return this.entry(type);
  }

  /** Builds and checks one event; EVENT_INVALID (naming each bad field) when it does not pass. */
  encode(kind: EventKind, event: CatalogueEvent, sequence: number, timeMs: number, rawMs: number): EncodedEvent {
    const entry = kind as KindEntry;
    const id = newEventId();
    const time = this.times.of(timeMs);
    const raw = rawMs === timeMs ? time : this.rawTimes.of(rawMs);
    const built = makeEvent(event, { id, kioskId: this.kioskId, sequence, time, rawTime: raw });
    if (entry.path !== 'fast') return this.canonical(entry, built);
    if (time.length !== ISO_LENGTH || raw.length !== ISO_LENGTH || !Number.isSafeInteger(sequence) || sequence < 1) return this.canonical(entry, built);
    if (!entry.data.Check(event.data)) return this.canonical(entry, built); // names the fields
    return { id, event: built, json: this.fastJson(entry, built) };
  }

  /** Whether events of `type` now take the fast path (for tests and diagnostics). */
  usesFastPath(type: string): boolean {
    return this.kinds.get(type)?.path === 'fast';
  }

  private fastJson(entry: KindEntry, e: ValidEvent): string {
    const raw = e.rawtime === undefined ? '' : `,"rawtime":"${e.rawtime}"`;
    return `${HEAD}${e.id}"${entry.afterId}${e.time}${entry.afterTime}${e.sequence}${raw},"data":${JSON.stringify(e.data)}}`;
  }

  /** The full check and `JSON.stringify`; settles whether the type may take the fast path. */
  private canonical(entry: KindEntry, built: ValidEvent): EncodedEvent {
    const check = validateEvent(built);
    if (!check.ok) throw new AtriumError(check.code, describeFieldErrors(check.errors), { errors: check.errors });
    const json = JSON.stringify(built);
    if (entry.path === 'pending') entry.path = this.fastJson(entry, built) === json ? 'fast' : 'canonical';
    return { id: built.id, event: built, json };
  }

  private entry(type: string): KindEntry {
    let entry = this.kinds.get(type);
    if (!entry) {
      const definition = eventDefinition(type);
      if (!definition) throw new AtriumError('EVENT_TYPE_UNKNOWN', `Unknown event type '${String(type)}'`);
      const s = JSON.stringify;
      entry = {
        definition,
        deliveryClass: definition.deliveryClass,
        data: compiledData(definition),
        afterId: `,"source":${s(kioskSource(this.kioskId))},"type":${s(definition.type)},"time":"`,
        afterTime: `","datacontenttype":"application/json","dataschema":${s(dataSchemaUri(definition.type, definition.schemaVersion))},"kioskid":${s(this.kioskId)},"sequence":`,
        path: 'pending',
      };
      this.kinds.set(type, entry);
    }
    return entry;
  }
}

// Compiled once per process and type, shared by every encoder.
const dataChecks = new Map<string, TypeCheck<TSchema>>();
function compiledData(definition: EventDefinition): TypeCheck<TSchema> {
  let check = dataChecks.get(definition.type);
  if (!check) {
    check = TypeCompiler.Compile(definition.data);
    dataChecks.set(definition.type, check);
  }
  return check;
}
