import type { Static } from '@sinclair/typebox';
import * as device from './device';
import * as shopper from './shopper';
import type { DeliveryClass, EventDefinition } from './defineEvent';

/** Every event a kiosk emits. Adding an entry here is how a new event type is born. */
export const eventCatalogue = [
  shopper.sessionStarted,
  shopper.sessionEnded,
  shopper.directorySearched,
  shopper.storeViewed,
  shopper.routeRequested,
  shopper.offerViewed,
  shopper.offerClaimed,
  shopper.loyaltyEnrolled,
  shopper.feedbackSubmitted,
  shopper.languageChanged,
  shopper.accessibilityChanged,
  device.heartbeat,
  device.healthReported,
  device.updateAvailable,
  device.updateDownloaded,
  device.updateInstalling,
  device.updateInstalled,
  device.updateFailed,
  device.updateRolledBack,
  device.outboxPressure,
  device.eventsDropped,
  device.storeRecovered,
] as const;

type Catalogue = (typeof eventCatalogue)[number];

/** The name of every catalogued event type. */
export type EventType = Catalogue['type'];

/** The data of the event type `T`, derived from the same schema that validates it. */
export type EventData<T extends EventType> = Static<Extract<Catalogue, { type: T }>['data']>;

/** A `{ type, data }` pair for any catalogued type: what the kiosk's domain code records. */
export type CatalogueEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

const byType: ReadonlyMap<string, EventDefinition> = new Map(eventCatalogue.map((d) => [d.type, d]));

/** The catalogue entry for `type`, or undefined for a type the catalogue does not know. */
export function eventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** True for a type name the catalogue knows. */
export function isEventType(type: string): type is EventType {
  return byType.has(type);
}

/** The delivery class of a catalogued type. */
export function deliveryClassOf(type: EventType): DeliveryClass {
  return (byType.get(type) as EventDefinition).deliveryClass;
}
