import type { EnrolmentResult } from '../api/schemas';

/**
 * The `wg setconf` file for the kiosk's interface. It holds no private key: that stays in its
 * own 0600 file and is applied with `wg set <if> private-key <file>`, so this file can be read
 * when diagnosing without exposing the key.
 */
export function renderWireguardConfig(enrolment: EnrolmentResult, privateKeyFile: string): string {
  const w = enrolment.wireguard;
  return [
    `# Atrium kiosk ${enrolment.kioskId} (device ${enrolment.deviceId}, mall ${enrolment.mallId}), written by kioskctl.`,
    `# Address ${w.address}; the private key is applied from ${privateKeyFile}.`,
    '[Interface]',
    '',
    '[Peer]',
    `PublicKey = ${w.hubPublicKey}`,
    `Endpoint = ${w.endpoint}`,
    `AllowedIPs = ${w.allowedIps.join(', ')}`,
    `PersistentKeepalive = ${w.persistentKeepaliveS}`,
    '',
  ].join('\n');
}
