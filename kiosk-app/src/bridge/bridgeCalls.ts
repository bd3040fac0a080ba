import { Type, type Static, type TSchema } from '@atrium/contracts';
import { Language, SessionId } from '@atrium/contracts';
import {
  Category,
  Coupon,
  Diagnostics,
  FloorMap,
  KioskInfo,
  OfferSummary,
  Route,
  StoreDetail,
  StoreSummary,
  TechnicianStatus,
} from './bridgeTypes';

const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' });
const Empty = Type.Object({}, { additionalProperties: false });
const Token = Type.String({ minLength: 16, maxLength: 128 });
const obj = <T extends Record<string, TSchema>>(props: T) => Type.Object(props, { additionalProperties: false });

/**
 * Every call the renderer may make, with the schema of its input (checked on the receiving
 * side, whatever the sender claims) and of its value. Adding a call here is the only way
 * to widen what a page can ask of the kiosk.
 */
export const bridgeCalls = {
  kioskInfo: { input: Empty, output: KioskInfo },
  startSession: { input: obj({ language: Language }), output: obj({ sessionId: SessionId }) },
  endSession: {
    input: obj({ sessionId: SessionId, reason: Type.Union([Type.Literal('idle'), Type.Literal('shopper'), Type.Literal('emergency')]), durationMs: Type.Integer({ minimum: 0 }) }),
    output: Empty,
  },
  searchStores: {
    input: obj({ query: Type.String({ maxLength: 200 }), categoryId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
    output: obj({ stores: Type.Array(StoreSummary), total: Type.Integer() }),
  },
  recordSearch: {
    input: obj({ sessionId: SessionId, query: Type.String({ maxLength: 200 }), categoryId: Type.Optional(Id), resultCount: Type.Integer({ minimum: 0 }) }),
    output: Empty,
  },
  listCategories: { input: Empty, output: Type.Array(Category) },
  getStore: { input: obj({ sessionId: SessionId, storeId: Id }), output: StoreDetail },
  getFloorMap: { input: obj({ floor: Type.Integer({ minimum: -5, maximum: 50 }) }), output: FloorMap },
  requestRoute: { input: obj({ sessionId: SessionId, storeId: Id, accessible: Type.Boolean() }), output: Route },
  listOffers: { input: obj({ sessionId: SessionId }), output: Type.Array(OfferSummary) },
  viewOffer: { input: obj({ sessionId: SessionId, offerId: Id }), output: OfferSummary },
  claimOffer: { input: obj({ sessionId: SessionId, offerId: Id }), output: Coupon },
  enrolLoyalty: {
    input: obj({
      sessionId: SessionId,
      name: Type.String({ minLength: 1, maxLength: 120 }),
      email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' }),
      postcode: Type.Optional(Type.String({ maxLength: 16 })),
      consent: obj({ terms: Type.Literal(true), marketing: Type.Boolean() }),
    }),
    output: obj({ memberRef: Type.String() }),
  },
  submitFeedback: {
    input: obj({ sessionId: SessionId, rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 1000 })) }),
    output: Empty,
  },
  changeLanguage: { input: obj({ sessionId: Type.Optional(SessionId), from: Language, to: Language }), output: Empty },
  changeAccessibility: {
    input: obj({
      sessionId: Type.Optional(SessionId),
      mode: Type.Union([Type.Literal('high-contrast'), Type.Literal('large-text'), Type.Literal('reach')]),
      enabled: Type.Boolean(),
    }),
    output: Empty,
  },
  technicianUnlock: { input: obj({ pin: Type.String({ pattern: '^[0-9]{4,12}$' }) }), output: obj({ token: Token }) },
  technicianStatus: { input: obj({ token: Token }), output: TechnicianStatus },
  technicianSyncNow: { input: obj({ token: Token }), output: TechnicianStatus },
  technicianExportDiagnostics: { input: obj({ token: Token }), output: Diagnostics },
} as const satisfies Record<string, { input: TSchema; output: TSchema }>;

/** The name of a bridge call. */
export type BridgeMethod = keyof typeof bridgeCalls;
/** The input of bridge call `M`. */
export type BridgeInput<M extends BridgeMethod> = Static<(typeof bridgeCalls)[M]['input']>;
/** The value of bridge call `M`. */
export type BridgeOutput<M extends BridgeMethod> = Static<(typeof bridgeCalls)[M]['output']>;

/** Every bridge method name, in declaration order. */
export const bridgeMethods = Object.keys(bridgeCalls) as BridgeMethod[];

/** True for a name the bridge knows (used on the receiving side before anything else). */
export function isBridgeMethod(name: string): name is BridgeMethod {
  return Object.hasOwn(bridgeCalls, name);
}
