import type { DesiredPeer } from '../hub/reconcilePlan';
import type { Queryable } from './pgPool';

/** A hub as it registers itself. */
export interface HubRegistration {
  hubId: string;
  publicKey: string;
  endpoint: string;
  tunnelAddress: string;
  gatewayUrl: string;
}

/** Registers a hub or refreshes its public facts (done by the hub agent at start). */
export async function upsertHub(db: Queryable, hub: HubRegistration): Promise<void> {
  await db.query(
    `INSERT INTO atrium.vpn_hubs (hub_id, public_key, endpoint, tunnel_address, gateway_url) VALUES ($1, $2, $3, $4::inet, $5)
     ON CONFLICT (hub_id) DO UPDATE SET public_key = EXCLUDED.public_key, endpoint = EXCLUDED.endpoint, tunnel_address = EXCLUDED.tunnel_address,
       gateway_url = EXCLUDED.gateway_url, updated_at = now()`,
    [hub.hubId, hub.publicKey, hub.endpoint, hub.tunnelAddress, hub.gatewayUrl],
  );
}

/** True when a hub is registered. */
export async function hubExists(db: Queryable, hubId: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM atrium.vpn_hubs WHERE hub_id = $1', [hubId]);
  return (result.rowCount ?? 0) > 0;
}

/** The hub's tunnel address. */
export async function hubTunnelAddress(db: Queryable, hubId: string): Promise<string | undefined> {
  const result = await db.query<{ address: string }>('SELECT host(tunnel_address) AS address FROM atrium.vpn_hubs WHERE hub_id = $1', [hubId]);
  return result.rows[0]?.address;
}

/** The peers a hub should have (active devices with an address in one of its pools). */
export async function desiredPeers(db: Queryable, hubId: string): Promise<DesiredPeer[]> {
  const result = await db.query<{ device_id: string; public_key: string; allowed_ip: string }>(
    `SELECT device_id, public_key, host(allowed_ip) || '/32' AS allowed_ip FROM atrium.vpn_desired_peers WHERE hub_id = $1 ORDER BY device_id`,
    [hubId],
  );
  return result.rows.map((r) => ({ deviceId: r.device_id, publicKey: r.public_key, allowedIp: r.allowed_ip }));
}

/** The address pools a hub serves (it routes each to its interface). */
export async function poolsOfHub(db: Queryable, hubId: string): Promise<string[]> {
  const result = await db.query<{ cidr: string }>('SELECT cidr::text AS cidr FROM atrium.vpn_pools WHERE hub_id = $1 ORDER BY cidr', [hubId]);
  return result.rows.map((r) => r.cidr);
}
