import { Type, type Static } from '@sinclair/typebox';

// The provisioning API's wire shapes, shared by the service and kioskctl (one package).

const KioskId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', description: 'kiosk id (the kiosk slot in the mall)' });
const MallId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', description: 'mall id' });
const WireguardKey = Type.String({ pattern: '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$', description: 'WireGuard public key, base64' });
const Ed25519Key = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'raw Ed25519 public key, base64url' });
const Fingerprint = Type.String({ pattern: '^[a-f0-9]{64}$', description: 'SHA-256 (hex) of the kiosk hardware identity' });
const Timestamp = Type.String({ format: 'date-time' });

/** POST /v1/enrolments: what a kiosk sends. */
export const EnrolmentBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    wireguardPublicKey: WireguardKey,
    signingPublicKey: Ed25519Key,
    hardwareFingerprint: Fingerprint,
    mallId: Type.Optional(MallId),
    kioskId: Type.Optional(KioskId),
  },
  { additionalProperties: false },
);
export type EnrolmentBody = Static<typeof EnrolmentBody>;

/** The WireGuard settings a kiosk applies to its interface. */
export const WireguardSettings = Type.Object({
  /** The kiosk's interface address, e.g. 10.77.1.5/32. */
  address: Type.String(),
  hubPublicKey: WireguardKey,
  endpoint: Type.String(),
  /** What the kiosk routes through the tunnel: the hub's tunnel address (gateway). */
  allowedIps: Type.Array(Type.String()),
  persistentKeepaliveS: Type.Integer({ minimum: 0 }),
});
export type WireguardSettings = Static<typeof WireguardSettings>;

/** The answer to an enrolment or key rotation. */
export const EnrolmentResult = Type.Object({
  deviceId: Type.String(),
  kioskId: KioskId,
  mallId: MallId,
  keyGeneration: Type.Integer({ minimum: 1 }),
  vpnAddress: Type.String(),
  wireguard: WireguardSettings,
  gatewayUrl: Type.String(),
});
export type EnrolmentResult = Static<typeof EnrolmentResult>;

/** POST /v1/devices/:deviceId/key-rotations, signed (RFC 9421) with the current Ed25519 key. */
export const KeyRotationBody = Type.Object(
  {
    wireguardPublicKey: WireguardKey,
    signingPublicKey: Ed25519Key,
    hardwareFingerprint: Fingerprint,
    /** Ed25519 signature, by the new key, of `keyRotationProofPayload` (base64url). */
    newKeyProof: Type.String({ pattern: '^[A-Za-z0-9_-]{86}$' }),
  },
  { additionalProperties: false },
);
export type KeyRotationBody = Static<typeof KeyRotationBody>;

/** POST /v1/admin/enrolment-tokens. */
export const TokenCreateBody = Type.Object(
  {
    mallId: MallId,
    kioskId: KioskId,
    location: Type.Optional(Type.String({ maxLength: 200 })),
    ttlS: Type.Integer({ minimum: 60, description: 'lifetime in seconds' }),
    createdBy: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
export type TokenCreateBody = Static<typeof TokenCreateBody>;

/** An enrolment token as ops see it (never the token itself, only at creation). */
export const TokenView = Type.Object({
  tokenId: Type.String({ format: 'uuid' }),
  mallId: MallId,
  kioskId: KioskId,
  location: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  state: Type.Union([Type.Literal('usable'), Type.Literal('used'), Type.Literal('expired'), Type.Literal('revoked')]),
  usedByDeviceId: Type.Union([Type.String(), Type.Null()]),
});
export type TokenView = Static<typeof TokenView>;

/** The answer to token creation: the only time the token text is shown. */
export const TokenCreated = Type.Composite([TokenView, Type.Object({ token: Type.String() })]);
export type TokenCreated = Static<typeof TokenCreated>;

/** PUT /v1/admin/malls/:mallId/vpn-pool. */
export const PoolBody = Type.Object({ hubId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), cidr: Type.String() }, { additionalProperties: false });
export type PoolBody = Static<typeof PoolBody>;

/** A mall's VPN address pool and how full it is. */
export const PoolView = Type.Object({
  mallId: MallId,
  hubId: Type.String(),
  cidr: Type.String(),
  capacity: Type.Integer(),
  allocated: Type.Integer(),
});
export type PoolView = Static<typeof PoolView>;

/** An enrolment waiting for (or decided by) ops. */
export const ApprovalView = Type.Object({
  approvalId: Type.String({ format: 'uuid' }),
  tokenId: Type.String({ format: 'uuid' }),
  mallId: MallId,
  kioskId: KioskId,
  reasons: Type.Array(Type.String()),
  matchedDeviceIds: Type.Array(Type.String()),
  sourceAddress: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('completed')]),
  createdAt: Timestamp,
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  deviceId: Type.Union([Type.String(), Type.Null()]),
});
export type ApprovalView = Static<typeof ApprovalView>;

/** POST /v1/admin/approvals/:approvalId/{approve,reject}. */
export const DecisionBody = Type.Object({ decidedBy: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type DecisionBody = Static<typeof DecisionBody>;

/** A device as ops see it. */
export const DeviceView = Type.Object({
  deviceId: Type.String(),
  kioskId: KioskId,
  mallId: MallId,
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
  decommissioned: Type.Boolean(),
  vpnAddress: Type.Union([Type.String(), Type.Null()]),
  wireguardPublicKey: Type.String(),
  keyGeneration: Type.Integer(),
  location: Type.Union([Type.String(), Type.Null()]),
  enrolledAt: Timestamp,
  rotatedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  revokedReason: Type.Union([Type.String(), Type.Null()]),
});
export type DeviceView = Static<typeof DeviceView>;

/** POST /v1/admin/devices/:deviceId/{revoke,decommission}. */
export const RevokeBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type RevokeBody = Static<typeof RevokeBody>;

/** The text the new Ed25519 key signs in a key rotation: proof that the kiosk holds it. */
export function keyRotationProofPayload(deviceId: string, wireguardPublicKey: string, signingPublicKey: string): Buffer {
  return Buffer.from(`atrium-key-rotation:v1:${deviceId}:${wireguardPublicKey}:${signingPublicKey}`, 'utf8');
}

/** Paths of the provisioning API. */
export const provisioningPaths = {
  health: '/healthz',
  enrolments: '/v1/enrolments',
  keyRotations: (deviceId: string) => `/v1/devices/${encodeURIComponent(deviceId)}/key-rotations`,
} as const;
