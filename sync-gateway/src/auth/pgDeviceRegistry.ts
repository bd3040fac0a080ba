import type pg from 'pg';
import type { PgListener } from '../pg/pgListener';
import { ed25519PublicKey, type DeviceRecord, type DeviceRegistry } from './deviceRegistry';

/** The NOTIFY channel migration 002 fires on every change of `atrium.devices`. */
export const DEVICE_CHANGED_CHANNEL = 'atrium_device_changed';

interface CacheEntry {
  record: DeviceRecord | undefined;
  expiresAtMs: number;
}

interface DeviceRow {
  device_id: string;
  kiosk_id: string;
  mall_id: string;
  status: string;
  public_key_ed25519: Buffer;
}

/**
 * The device registry in PostgreSQL (`atrium.devices`), behind a small cache so a signed request
 * costs no query. A revocation takes effect at once through NOTIFY (the entry is evicted), and
 * within `ttlMs` even if the notification is lost; after a LISTEN reconnection the cache is dropped.
 */
export class PgDeviceRegistry implements DeviceRegistry {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<DeviceRecord | undefined>>();
  private generation = 0;

  constructor(
    private readonly pool: pg.Pool,
    listener: PgListener,
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    listener.on(DEVICE_CHANGED_CHANNEL, (deviceId) => this.evict(deviceId));
    listener.onResync(() => this.clear());
  }

  async find(deviceId: string): Promise<DeviceRecord | undefined> {
    const cached = this.cache.get(deviceId);
    if (cached && cached.expiresAtMs > this.now()) return cached.record;
    const inFlight = this.pending.get(deviceId);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const lookup = this.load(deviceId)
      .then((record) => {
        // An eviction that arrived while the query ran may describe a newer state: do not cache.
        if (generation === this.generation) this.store(deviceId, record);
        return record;
      })
      .finally(() => this.pending.delete(deviceId));
    this.pending.set(deviceId, lookup);
    return lookup;
  }

  /** Forgets one device (NOTIFY said it changed). */
  evict(deviceId: string): void {
    this.generation += 1;
    this.cache.delete(deviceId);
    this.pending.delete(deviceId);
  }

  /** Forgets every device. */
  clear(): void {
    this.generation += 1;
    this.cache.clear();
    this.pending.clear();
  }

  private store(deviceId: string, record: DeviceRecord | undefined): void {
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(deviceId, { record, expiresAtMs: this.now() + this.ttlMs });
  }

  private async load(deviceId: string): Promise<DeviceRecord | undefined> {
    const { rows } = await this.pool.query<DeviceRow>(
      'SELECT device_id, kiosk_id, mall_id, status, public_key_ed25519 FROM atrium.devices WHERE device_id = $1',
      [deviceId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      deviceId: row.device_id,
      kioskId: row.kiosk_id,
      mallId: row.mall_id,
      status: row.status === 'active' ? 'active' : 'revoked',
      publicKey: ed25519PublicKey(row.public_key_ed25519),
    };
  }
}
