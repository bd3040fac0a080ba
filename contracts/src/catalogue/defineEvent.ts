import type { Static, TSchema } from '@sinclair/typebox';

/**
 * How the kiosk treats an event under storage pressure: `business` events (claims,
 * enrolments, feedback...) are never dropped; `telemetry` may be coalesced or dropped,
 * and every drop is itself recorded as a `kiosk.events.dropped` event.
 */
export type DeliveryClass = 'business' | 'telemetry';

/** One entry of the event catalogue: a type name, its data schema and how it travels. */
export interface EventDefinition<TType extends string = string, TData extends TSchema = TSchema> {
  type: TType;
  /** Grows only by adding optional fields; a breaking change is a new type name. */
  schemaVersion: number;
  deliveryClass: DeliveryClass;
  data: TData;
  description: string;
}

/** Declares a catalogue entry, keeping its literal type name and schema type. */
export function defineEvent<TType extends string, TData extends TSchema>(
  definition: EventDefinition<TType, TData>,
): EventDefinition<TType, TData> {
  return definition;
}

/** The TypeScript type of an event definition's data. */
export type DataOf<D> = D extends EventDefinition<string, infer S> ? Static<S> : never;
