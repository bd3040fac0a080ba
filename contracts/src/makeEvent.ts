import { SPEC_VERSION, dataSchemaUri, kioskSource } from './cloudEvent';
import { eventDefinition, type CatalogueEvent } from './catalogue/catalogue';
import type { ValidEvent } from './validateEvent';

/** What the kiosk knows when it records an event; the id and times are made by the caller. */
export interface EventStamp {
  id: string;
  kioskId: string;
  sequence: number;
  /** The corrected time (kiosk clock plus the offset learned from the server). */
  time: string;
  /** The kiosk's own clock reading, kept when it differs from `time`. */
  rawTime?: string;
}

/** Wraps a catalogued `{ type, data }` in the CloudEvents envelope. */
export function makeEvent(event: CatalogueEvent, stamp: EventStamp): ValidEvent {
  const definition = eventDefinition(event.type);
  if (!definition) throw new Error(`Unknown event type '${event.type}'`);
  const envelope = {
    specversion: SPEC_VERSION,
    id: stamp.id,
    source: kioskSource(stamp.kioskId),
    type: event.type,
    time: stamp.time,
    datacontenttype: 'application/json' as const,
    dataschema: dataSchemaUri(definition.type, definition.schemaVersion),
    kioskid: stamp.kioskId,
    sequence: stamp.sequence,
    ...(stamp.rawTime !== undefined && stamp.rawTime !== stamp.time ? { rawtime: stamp.rawTime } : {}),
    data: event.data,
  };
  return envelope as ValidEvent;
}
