import ipaddr from 'ipaddr.js';

/** A mall's pool of kiosk VPN addresses: an IPv4 CIDR block. */
export interface AddressPool {
  cidr: string;
  network: number;
  prefix: number;
}

/** Smallest and largest pools accepted: a /30 (2 kiosks) up to a /16 (65,534 kiosks). */
export const MIN_POOL_PREFIX = 16;
export const MAX_POOL_PREFIX = 30;

function toUint32(address: string): number {
  const bytes = ipaddr.IPv4.parse(address).toByteArray();
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

function fromUint32(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** True for a dotted-quad IPv4 address. */
export function isIPv4Address(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

/**
 * Parses an IPv4 CIDR into a pool, normalised to its network address. Throws with a reason a
 * person can act on when the text is not a pool this service accepts.
 */
export function parsePool(cidr: string): AddressPool {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(cidr);
  } catch {
    throw new Error(`"${cidr}" is not a CIDR block such as 10.77.1.0/24`);
  }
  const [address, prefix] = parsed;
  if (address.kind() !== 'ipv4') throw new Error(`"${cidr}" is not IPv4; kiosk pools are IPv4`);
  if (prefix < MIN_POOL_PREFIX || prefix > MAX_POOL_PREFIX) throw new Error(`a pool's prefix must be /${MIN_POOL_PREFIX} to /${MAX_POOL_PREFIX}, not /${prefix}`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (toUint32(address.toString()) & mask) >>> 0;
  return { cidr: `${fromUint32(network)}/${prefix}`, network, prefix };
}

/** Number of host addresses in a pool (network and broadcast addresses excluded). */
export function poolCapacity(pool: AddressPool): number {
  return 2 ** (32 - pool.prefix) - 2;
}

/** True when `address` lies inside `pool` (network and broadcast included). */
export function poolContains(pool: AddressPool, address: string): boolean {
  if (!isIPv4Address(address)) return false;
  const value = toUint32(address);
  return value >= pool.network && value < pool.network + 2 ** (32 - pool.prefix);
}

/** True when two pools share any address. */
export function poolsOverlap(a: AddressPool, b: AddressPool): boolean {
  const aEnd = a.network + 2 ** (32 - a.prefix);
  const bEnd = b.network + 2 ** (32 - b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

/**
 * The first `limit` free host addresses of `pool`, lowest first, skipping `taken` (allocated or
 * reserved, e.g. the hub's own tunnel address). Deterministic, so concurrent allocators race
 * for the same candidates and the database's unique constraint decides; the loser moves on.
 */
export function freeAddresses(pool: AddressPool, taken: ReadonlySet<string>, limit: number): string[] {
  const free: string[] = [];
  const last = pool.network + 2 ** (32 - pool.prefix) - 1;
  for (let value = pool.network + 1; value < last && free.length < limit; value += 1) {
    const address = fromUint32(value);
    if (!taken.has(address)) free.push(address);
  }
  return free;
}
