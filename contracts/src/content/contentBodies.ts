import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { ContentKind } from '../sync';

/** Text in each shopper language; English is required, the others fall back to it. */
export const LocalisedText = Type.Object(
  { en: Type.String({ minLength: 1, maxLength: 500 }), es: Type.Optional(Type.String({ maxLength: 500 })), ar: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type LocalisedText = Static<typeof LocalisedText>;

const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' });
const Floor = Type.Integer({ minimum: -5, maximum: 50 });
const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-4]):[0-5]\\d$' });

export const StoreBody = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 120 }),
    categoryIds: Type.Array(Id, { maxItems: 10 }),
    floor: Floor,
    unit: Type.String({ maxLength: 16 }),
    nodeId: Id,
    keywords: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
    description: Type.Optional(LocalisedText),
    phone: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);
export type StoreBody = Static<typeof StoreBody>;

export const CategoryBody = Type.Object({ id: Id, name: LocalisedText }, { additionalProperties: false });
export type CategoryBody = Static<typeof CategoryBody>;

export const OfferBody = Type.Object(
  {
    id: Id,
    storeId: Id,
    title: LocalisedText,
    description: Type.Optional(LocalisedText),
    validFrom: Type.String({ format: 'date-time' }),
    validTo: Type.String({ format: 'date-time' }),
    /** Coupons available in total; absent means unlimited. */
    stock: Type.Optional(Type.Integer({ minimum: 0 })),
    perShopperLimit: Type.Integer({ minimum: 1, maximum: 100 }),
  },
  { additionalProperties: false },
);
export type OfferBody = Static<typeof OfferBody>;

export const MapNodeKind = Type.Union([
  Type.Literal('store'),
  Type.Literal('corridor'),
  Type.Literal('lift'),
  Type.Literal('escalator'),
  Type.Literal('stairs'),
  Type.Literal('kiosk'),
  Type.Literal('entrance'),
]);

export const MapNodeBody = Type.Object(
  { id: Id, floor: Floor, x: Type.Number(), y: Type.Number(), kind: MapNodeKind, label: Type.Optional(Type.String({ maxLength: 120 })) },
  { additionalProperties: false },
);
export type MapNodeBody = Static<typeof MapNodeBody>;

/** A walkable link between two map nodes; `lift`, `escalator` and `stairs` edges join floors. */
export const MapEdgeBody = Type.Object(
  {
    id: Id,
    from: Id,
    to: Id,
    kind: Type.Union([Type.Literal('walk'), Type.Literal('lift'), Type.Literal('escalator'), Type.Literal('stairs')]),
    lengthM: Type.Number({ minimum: 0 }),
    oneWay: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MapEdgeBody = Static<typeof MapEdgeBody>;

/** Weekly hours of a store (id = store id) or of the whole mall (id = `mall`), in the mall's time zone. */
export const OpeningHoursBody = Type.Object(
  {
    id: Id,
    weekly: Type.Array(Type.Object({ day: Type.Integer({ minimum: 0, maximum: 6 }), open: ClockTime, close: ClockTime }, { additionalProperties: false }), { maxItems: 21 }),
    exceptions: Type.Array(
      Type.Object(
        { date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), closed: Type.Boolean(), open: Type.Optional(ClockTime), close: Type.Optional(ClockTime) },
        { additionalProperties: false },
      ),
      { maxItems: 366 },
    ),
  },
  { additionalProperties: false },
);
export type OpeningHoursBody = Static<typeof OpeningHoursBody>;

/** Per-kiosk settings (id = kiosk id, or `default` for the mall-wide values). */
export const KioskConfigBody = Type.Object(
  {
    id: Id,
    mallId: Id,
    mallName: Type.String({ maxLength: 120 }),
    timeZone: Type.String({ maxLength: 64 }),
    nodeId: Type.Optional(Id),
    idleTimeoutS: Type.Integer({ minimum: 10, maximum: 3600 }),
    languages: Type.Array(Type.Union([Type.Literal('en'), Type.Literal('es'), Type.Literal('ar')]), { minItems: 1 }),
    attractOfferIds: Type.Array(Id, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type KioskConfigBody = Static<typeof KioskConfigBody>;

/** The schema of an upsert's `body`, per content kind. */
export const contentBodySchemas = {
  store: StoreBody,
  category: CategoryBody,
  offer: OfferBody,
  'map-node': MapNodeBody,
  'map-edge': MapEdgeBody,
  'opening-hours': OpeningHoursBody,
  'kiosk-config': KioskConfigBody,
} as const satisfies Record<ContentKind, TSchema>;
