import { Type, type Static } from '@atrium/contracts';
import { Language, LocalisedText } from '@atrium/contracts';

// What the bridge hands back to the renderer. Text that ops author per language stays a
// LocalisedText, so a language switch never needs a round trip.

export const Lang = Language;
/** A shopper language. */
export type Lang = Static<typeof Lang>;

export const DayHours = Type.Object({ day: Type.Integer(), open: Type.String(), close: Type.String() });

export const StoreSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  floor: Type.Integer(),
  unit: Type.String(),
  categoryIds: Type.Array(Type.String()),
  openNow: Type.Boolean(),
});
/** A store as a directory row shows it. */
export type StoreSummary = Static<typeof StoreSummary>;

export const OfferSummary = Type.Object({
  id: Type.String(),
  storeId: Type.String(),
  storeName: Type.String(),
  title: LocalisedText,
  description: Type.Optional(LocalisedText),
  validTo: Type.String(),
  /** Coupons this session may still claim. */
  remainingForShopper: Type.Integer({ minimum: 0 }),
  soldOut: Type.Boolean(),
});
/** An offer as the offers list shows it. */
export type OfferSummary = Static<typeof OfferSummary>;

export const StoreDetail = Type.Composite([
  StoreSummary,
  Type.Object({
    description: Type.Optional(LocalisedText),
    phone: Type.Optional(Type.String()),
    weekly: Type.Array(DayHours),
    /** Today's hours in the mall's time zone, or null when closed all day. */
    today: Type.Union([Type.Object({ open: Type.String(), close: Type.String() }), Type.Null()]),
    offers: Type.Array(OfferSummary),
  }),
]);
/** A store's detail page. */
export type StoreDetail = Static<typeof StoreDetail>;

export const Category = Type.Object({ id: Type.String(), name: LocalisedText });
/** A directory category. */
export type Category = Static<typeof Category>;

export const Point = Type.Object({ x: Type.Number(), y: Type.Number() });
/** A point on a floor plan, in metres. */
export type Point = Static<typeof Point>;

export const RouteStep = Type.Object({
  kind: Type.Union([
    Type.Literal('walk'),
    Type.Literal('turn'),
    Type.Literal('lift'),
    Type.Literal('escalator'),
    Type.Literal('stairs'),
    Type.Literal('ramp'),
    Type.Literal('arrive'),
  ]),
  floor: Type.Integer(),
  toFloor: Type.Optional(Type.Integer()),
  distanceM: Type.Number(),
  direction: Type.Optional(Type.Union([Type.Literal('left'), Type.Literal('right'), Type.Literal('around')])),
});
/** One step of directions; the renderer words it in the shopper's language. */
export type RouteStep = Static<typeof RouteStep>;

export const Route = Type.Object({
  storeId: Type.String(),
  storeName: Type.String(),
  accessible: Type.Boolean(),
  steps: Type.Array(RouteStep),
  /** The path drawn on each floor the route crosses. */
  legs: Type.Array(Type.Object({ floor: Type.Integer(), points: Type.Array(Point) })),
  totalM: Type.Number(),
  /** A link that continues the route on a phone (encoded in the QR code). */
  phoneUrl: Type.String(),
});
/** A route from this kiosk to a store. */
export type Route = Static<typeof Route>;

export const FloorMap = Type.Object({
  floor: Type.Integer(),
  floors: Type.Array(Type.Integer()),
  bounds: Type.Object({ minX: Type.Number(), minY: Type.Number(), maxX: Type.Number(), maxY: Type.Number() }),
  corridors: Type.Array(Type.Object({ a: Point, b: Point })),
  places: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('store'), Type.Literal('lift'), Type.Literal('escalator'), Type.Literal('stairs'), Type.Literal('kiosk'), Type.Literal('entrance')]),
      x: Type.Number(),
      y: Type.Number(),
      label: Type.Optional(Type.String()),
    }),
  ),
  /** Where this kiosk stands, when it is on this floor. */
  here: Type.Union([Point, Type.Null()]),
});
/** One floor of the mall map. */
export type FloorMap = Static<typeof FloorMap>;

export const Coupon = Type.Object({
  claimId: Type.String(),
  offerId: Type.String(),
  couponCode: Type.String(),
  /** True when the claim was made offline and waits in the outbox. */
  pending: Type.Boolean(),
});
/** A claimed coupon. */
export type Coupon = Static<typeof Coupon>;

export const KioskInfo = Type.Object({
  kioskId: Type.String(),
  version: Type.String(),
  mallName: Type.String(),
  idleTimeoutS: Type.Integer(),
  languages: Type.Array(Lang),
  attractOffers: Type.Array(OfferSummary),
  floors: Type.Array(Type.Integer()),
  online: Type.Boolean(),
});
/** What the renderer needs to know about this kiosk at start. */
export type KioskInfo = Static<typeof KioskInfo>;

export const TechnicianStatus = Type.Object({
  deviceId: Type.String(),
  kioskId: Type.String(),
  version: Type.String(),
  vpn: Type.Object({ up: Type.Boolean(), detail: Type.String() }),
  sync: Type.Object({ online: Type.Boolean(), link: Type.String(), uploading: Type.Boolean() }),
  queue: Type.Object({ business: Type.Integer(), telemetry: Type.Integer(), total: Type.Integer() }),
  lastSequence: Type.Integer(),
  ackedThrough: Type.Integer(),
  lastSyncAt: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
/** What the technician overlay shows. */
export type TechnicianStatus = Static<typeof TechnicianStatus>;

export const Diagnostics = Type.Object({ fileName: Type.String(), savedTo: Type.String(), bytes: Type.Integer() });
/** Where an exported diagnostics bundle was written. */
export type Diagnostics = Static<typeof Diagnostics>;
