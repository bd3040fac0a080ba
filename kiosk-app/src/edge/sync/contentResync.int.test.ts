import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as forward, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_FEED_PATH, demoMall, type ContentUpsert } from '@atrium/contracts';
import type { RunningGateway } from '../../../../sync-gateway/src/app/startGateway';
import { encodeContentCursor } from '../../../../sync-gateway/src/content/contentCursor';
import { upsertContent } from '../../../../sync-gateway/src/content/contentStore';
import { registerDevice, stackEndpoints, startTestGateway } from '../../../../sync-gateway/src/testing/intHarness';
import { ContentCache } from '../content';
import { contentTables } from '../content/contentWriter';
import { openKioskEdge, parseKioskEdgeConfig, type KioskEdge } from '../openKioskEdge';

// Every content writer takes this advisory lock first (infra/migrations/postgres/003), so holding
// it makes "the kiosk holds exactly what PostgreSQL holds" exact while other runs author content.
const CONTENT_WRITERS_LOCK = 4150233901;

/**
 * Counts the content feed requests passing to the real gateway (the Host header is kept, so the
 * kiosk's signature still verifies), notes what the kiosk served at each, and can drop the
 * connection of one of them.
 */
class FeedTap {
  cursorsSent: (string | null)[] = [];
  dropRequest = 0;
  onRequest: () => void = () => undefined;
  private server: Server | null = null;

  constructor(private readonly gateway: URL) {}

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      if (req.url?.startsWith(CONTENT_FEED_PATH)) {
        this.cursorsSent.push(new URL(req.url, 'http://kiosk').searchParams.get('cursor'));
        this.onRequest();
        if (this.cursorsSent.length === this.dropRequest) return void req.socket.destroy();
      }
      const upstream = forward({ host: this.gateway.hostname, port: this.gateway.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }
}

describe('a kiosk whose content cursor the gateway refuses', () => {
  const { pgUrl } = stackEndpoints();
  const prefix = `rs-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const kioskId = `${prefix}-kiosk`;
  const categoryId = `${prefix}-cat`;
  const ghost = `${prefix}-ghost`;
  const storeItem = (id: string, name: string): ContentUpsert => ({ kind: 'store', id, version: 1, body: { id, name, categoryIds: [categoryId], floor: 0, unit: 'RS1', nodeId: `${id}-node`, keywords: ['resync'] } });
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let tap: FeedTap;
  let dataDir: string;
  let edge: KioskEdge;
  let content: ContentCache;
  let deviceId = '';

  async function frozen<T>(fn: () => Promise<T>): Promise<T> {
    const client = await pool.connect();
    await client.query('SELECT pg_advisory_lock($1)', [CONTENT_WRITERS_LOCK]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [CONTENT_WRITERS_LOCK]);
      client.release();
    }
  }

  async function headCursor(): Promise<{ seq: number; cursor: string }> {
    const seq = Number((await pool.query<{ s: string }>('SELECT max(change_seq) AS s FROM atrium.content_items')).rows[0]?.s);
    return { seq, cursor: encodeContentCursor(seq) };
  }

  /** Every item, as "kind/id@version": live in PostgreSQL, and in the kiosk's cache. */
  async function cloudAndKiosk(): Promise<[string[], string[]]> {
    const live = await pool.query<{ kind: string; id: string; version: number }>('SELECT kind, id, version FROM atrium.content_items WHERE NOT deleted');
    const kiosk = Object.entries(contentTables).flatMap(([kind, table]) =>
      (edge.store.db.prepare(`SELECT id, version FROM ${table}`).all() as { id: string; version: number }[]).map((r) => `${kind}/${r.id}@${r.version}`),
    );
    return [live.rows.map((r) => `${r.kind}/${r.id}@${r.version}`).sort(), kiosk.sort()];
  }

  /** The kiosk's data folder with the registered device's key in it, as provisioning leaves it. */
  function kioskDataDir(privateKey: KeyObject): { dir: string; keyPath: string } {
    const dir = mkdtempSync(join(tmpdir(), 'atrium-content-resync-'));
    const keyPath = join(dir, 'device-key.pem');
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    return { dir, keyPath };
  }

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: pgUrl, max: 3 });
    const device = await registerDevice(pool, kioskId, { deviceId: `dev-${kioskId}` });
    ({ deviceId } = device);
    const data = kioskDataDir(device.privateKey);
    dataDir = data.dir;
    gateway = await startTestGateway({ producer: 'kafkajs' });
    tap = new FeedTap(new URL(gateway.kioskUrl));
    const gatewaySettings = { url: await tap.listen(), deviceId, deviceKeyPath: data.keyPath };
    const contentSync = { pageLimit: 1_000, pollIntervalMs: 3_600_000, backoffBaseMs: 100, backoffCapMs: 1_000 };
    edge = openKioskEdge(parseKioskEdgeConfig({ store: { dataDir, synchronous: 'NORMAL' }, outbox: { kioskId }, sync: {}, contentSync, gateway: gatewaySettings }));
    content = new ContentCache(edge.store, { kioskId });
    await upsertContent(pool, demoMall()); // idempotent: as the seed command loads it
    await upsertContent(pool, [{ kind: 'category', id: categoryId, version: 1, body: { id: categoryId, name: { en: 'Resync test' } } }, storeItem(`${prefix}-s1`, 'Resync store')]);
  });

  afterAll(async () => {
    edge?.close();
    await tap?.close();
    await gateway?.stop();
    if (pool) {
      await frozen(() => pool.query('DELETE FROM atrium.content_items WHERE id LIKE $1', [`${prefix}-%`]));
      await pool.query('DELETE FROM atrium.devices WHERE device_id = $1', [deviceId]);
      await pool.end();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a cache from a content store since rebuilt, when the gateway refuses its cursor, then the whole feed is pulled and replaces the cache in one transaction; the old content is served until then, and a full pull cut short changes nothing', async () => {
    // given: a kiosk in step with the gateway, whose cache then holds an item and a cursor from another content store
    expect(await edge.contentSync.pullOnce()).toMatchObject({ kind: 'pulled', reachedEnd: true });
    const foreign = encodeContentCursor((await headCursor()).seq + 1_000_000_000);
    const from = content.feedPosition().cursor!;
    content.applyContentPage({ cursor: from, nextCursor: foreign, hasMore: false, upserts: [storeItem(ghost, 'Ghost store')], deletes: [], serverTime: new Date().toISOString() });
    const before = content.feedPosition();
    const served: { ghost: boolean; version: number }[] = [];
    tap.onRequest = () => served.push({ ghost: content.storeDetail(ghost, new Date()) !== null, version: content.feedPosition().contentVersion });

    // when: the gateway refuses the cursor and the full pull that follows loses its connection on its second page
    tap.cursorsSent = [];
    tap.dropRequest = 3;
    const cut = await edge.contentSync.pullOnce();

    // then: nothing changed (content, cursor, version), the old content was served throughout, and a full pull is pending
    expect(cut).toMatchObject({ kind: 'failed', pages: 0, failure: { kind: 'network', code: 'NETWORK' } });
    expect(tap.cursorsSent).toEqual([foreign, null, expect.any(String)]);
    expect(content.feedPosition()).toEqual(before);
    expect(content.storeDetail(ghost, new Date())?.store.name).toBe('Ghost store');
    expect(served.every((s) => s.ghost && s.version === before.contentVersion)).toBe(true);
    expect(edge.contentSync.status()).toMatchObject({ resyncPending: true, lastResyncAt: null, lastError: { code: 'NETWORK' }, cursor: foreign });

    // when: the kiosk pulls again (content authoring held still, so the comparison is exact)
    tap.cursorsSent = [];
    tap.dropRequest = 0;
    served.length = 0;
    await frozen(async () => {
      const whole = await edge.contentSync.pullOnce();

      // then: it goes straight to the full pull (the refused cursor is not sent again), serving the old content until the end,
      expect(whole).toMatchObject({ kind: 'pulled', reachedEnd: true });
      expect(tap.cursorsSent[0]).toBeNull();
      expect(tap.cursorsSent).not.toContain(foreign);
      const during = served.filter((s) => s.ghost);
      expect(during.length).toBeGreaterThan(1);
      expect(during.every((s) => s.version === before.contentVersion)).toBe(true);
      // at most one request follows the replacement: the delta from the new cursor that stores its ETag
      expect(served.slice(during.length).every((s) => !s.ghost)).toBe(true);
      expect(served.length - during.length).toBeLessThanOrEqual(1);

      // and: the cache now holds exactly the live content, the ghost gone, at the gateway's own cursor
      const [cloud, kiosk] = await cloudAndKiosk();
      expect(kiosk).toEqual(cloud);
      expect(content.storeDetail(ghost, new Date())).toBeNull();
      expect(content.feedPosition().cursor).toBe((await headCursor()).cursor);
    });
    expect(content.searchStores('Resync store').map((h) => h.id)).toContain(`${prefix}-s1`);
    const status = edge.contentSync.status();
    expect(status).toMatchObject({ resyncPending: false, lastError: null, consecutiveFailures: 0 });
    expect(status.lastResyncAt).not.toBeNull();

    // and: the next pull is an ordinary delta from the new cursor
    tap.cursorsSent = [];
    expect(await edge.contentSync.pullOnce()).toMatchObject({ kind: 'pulled', reachedEnd: true });
    expect(tap.cursorsSent).toEqual([content.feedPosition().cursor]);
  });
});
