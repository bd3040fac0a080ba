import { Type, type Static } from '@sinclair/typebox';

/**
 * Files in a kiosk's data folder that more than one program reads: `kioskctl` (provisioning)
 * writes them at enrolment and key rotation; the kiosk edge's sync client reads them. Paths
 * are relative to the data folder. Private key files are mode 0600 and never leave the kiosk.
 */
export const kioskDataFiles = {
  /** What the kiosk is, as enrolled (`KioskEnrolmentFile`). */
  enrolment: 'enrolment.json',
  /** The device's Ed25519 signing key, PKCS#8 PEM, mode 0600 (RFC 9421 request signatures). */
  signingKey: 'keys/device-ed25519.pem',
  /** The WireGuard private key, base64 as `wg genkey` prints it, mode 0600. */
  wireguardKey: 'keys/wireguard.key',
} as const;

/** The kiosk's enrolment as `kioskctl` records it in `enrolment.json`. */
export const KioskEnrolmentFile = Type.Object({
  deviceId: Type.String({ minLength: 1 }),
  kioskId: Type.String({ minLength: 1 }),
  mallId: Type.String({ minLength: 1 }),
  /** Base URL of the sync gateway, reached through the WireGuard tunnel. */
  gatewayUrl: Type.String({ format: 'uri' }),
  /** The kiosk's own address inside the tunnel. */
  vpnAddress: Type.String(),
  interfaceName: Type.String(),
  enrolledAt: Type.String({ format: 'date-time' }),
  /** Bumped on every key rotation; the sync client reloads its signing key when it changes. */
  keyGeneration: Type.Integer({ minimum: 1 }),
});
/** The kiosk's enrolment as recorded in its data folder. */
export type KioskEnrolmentFile = Static<typeof KioskEnrolmentFile>;
