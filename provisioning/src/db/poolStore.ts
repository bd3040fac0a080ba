import { AtriumError } from '@atrium/contracts';
import type { PoolView } from '../api/schemas';
import { freeAddresses, parsePool, poolCapacity } from '../ipam/addressPool';
import type { Queryable } from './pgPool';

/** A mall's pool with the hub address it must never hand out. */
export interface MallPool {
  mallId: string;
  hubId: string;
  cidr: string;
  hubTunnelAddress: string;
}

/** The pool of a mall, with its hub's tunnel address. */
export async function findMallPool(db: Queryable, mallId: string): Promise<MallPool | undefined> {
  const result = await db.query<{ mall_id: string; hub_id: string; cidr: string; hub_tunnel_address: string }>(
    `SELECT p.mall_id, p.hub_id, p.cidr::text AS cidr, host(h.tunnel_address) AS hub_tunnel_address
     FROM atrium.vpn_pools p JOIN atrium.vpn_hubs h ON h.hub_id = p.hub_id WHERE p.mall_id = $1`,
    [mallId],
  );
  const row = result.rows[0];
  return row ? { mallId: row.mall_id, hubId: row.hub_id, cidr: row.cidr, hubTunnelAddress: row.hub_tunnel_address } : undefined;
}

/** Creates or moves a mall's pool (moving fails while addresses are allocated, via the FK). */
export async function upsertMallPool(db: Queryable, mallId: string, hubId: string, cidr: string): Promise<void> {
  await db.query(
    `INSERT INTO atrium.vpn_pools (mall_id, hub_id, cidr) VALUES ($1, $2, $3::cidr)
     ON CONFLICT (mall_id) DO UPDATE SET hub_id = EXCLUDED.hub_id, cidr = EXCLUDED.cidr`,
    [mallId, hubId, cidr],
  );
}

/** Addresses allocated in a mall's pool. */
export async function countAllocated(db: Queryable, mallId: string): Promise<number> {
  const result = await db.query<{ n: string }>('SELECT count(*) AS n FROM atrium.vpn_addresses WHERE mall_id = $1', [mallId]);
  return Number(result.rows[0]?.n ?? 0);
}

/** The ops view of a pool. */
export async function poolView(db: Queryable, mallId: string): Promise<PoolView | undefined> {
  const pool = await findMallPool(db, mallId);
  if (!pool) return undefined;
  return { mallId, hubId: pool.hubId, cidr: pool.cidr, capacity: poolCapacity(parsePool(pool.cidr)), allocated: await countAllocated(db, mallId) };
}

/** Candidates tried per read of the allocated set: enough to ride out a burst of racing peers. */
const CANDIDATES_PER_ROUND = 16;
const MAX_ROUNDS = 8;

/**
 * Gives a device the lowest free address of its mall's pool. The primary key on the address is
 * the guarantee: `ON CONFLICT DO NOTHING` waits for a racing transaction that holds the same
 * candidate and, if it commits, moves on to the next candidate, so no address is ever handed out
 * twice and no transaction is aborted by the race.
 */
export async function allocateAddress(db: Queryable, pool: MallPool, deviceId: string): Promise<string> {
  const range = parsePool(pool.cidr);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const used = await db.query<{ address: string }>('SELECT host(address) AS address FROM atrium.vpn_addresses WHERE address <<= $1::cidr', [range.cidr]);
    const taken = new Set([...used.rows.map((r) => r.address), pool.hubTunnelAddress]);
    const candidates = freeAddresses(range, taken, CANDIDATES_PER_ROUND);
    if (candidates.length === 0) break;
    for (const candidate of candidates) {
      const inserted = await db.query<{ address: string }>(
        `INSERT INTO atrium.vpn_addresses (address, mall_id, device_id) VALUES ($1::inet, $2, $3)
         ON CONFLICT (address) DO NOTHING RETURNING host(address) AS address`,
        [`${candidate}/32`, pool.mallId, deviceId],
      );
      if (inserted.rows[0]) return inserted.rows[0].address;
    }
  }
  throw new AtriumError('ADDRESS_POOL_EXHAUSTED', `mall ${pool.mallId}'s pool ${pool.cidr} has no free address; ask ops to widen the pool or decommission old kiosks`);
}

/** The address a device holds, if any, and in which mall. */
export async function addressOf(db: Queryable, deviceId: string): Promise<{ address: string; mallId: string } | undefined> {
  const result = await db.query<{ address: string; mall_id: string }>('SELECT host(address) AS address, mall_id FROM atrium.vpn_addresses WHERE device_id = $1', [deviceId]);
  const row = result.rows[0];
  return row ? { address: row.address, mallId: row.mall_id } : undefined;
}

/** Releases a device's address back to its pool. */
export async function releaseAddress(db: Queryable, deviceId: string): Promise<void> {
  await db.query('DELETE FROM atrium.vpn_addresses WHERE device_id = $1', [deviceId]);
}
