import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_FEED_PATH, PROBLEM_CONTENT_TYPE, demoMall, problem, type ContentKind, type ContentPage, type ContentUpsert } from '@atrium/contracts';
import type { RunningGateway } from '../../sync-gateway/src/app/startGateway';
import { encodeContentCursor } from '../../sync-gateway/src/content/contentCursor';
import { deleteContent, upsertContent } from '../../sync-gateway/src/content/contentStore';
import { registerDevice, stackEndpoints, startTestGateway } from '../../sync-gateway/src/testing/intHarness';
import { ContentCache } from '../../kiosk-app/src/edge/content';
import { contentTables } from '../../kiosk-app/src/edge/content/contentWriter';
import { openKioskEdge, parseKioskEdgeConfig, type KioskEdge } from '../../kiosk-app/src/edge/openKioskEdge';

// The advisory lock every content writer takes first (infra/migrations/postgres/003): holding it
// freezes content authoring, so "the kiosk now holds exactly what PostgreSQL holds" and "nothing
// changed, so 304" are exact statements on a database other test runs write to as well.
const CONTENT_WRITERS_LOCK = 4150233901;

type Fault = 'corrupt' | 'truncate' | 'unavailable';

/**
 * A tiny real HTTP proxy in front of the gateway, transparent (the Host header is kept, so the
 * kiosk's signature over @target-uri still verifies) until a fault is armed; each fault spoils
 * exactly one content feed reply.
 */
class FaultyProxy {
  fault: Fault | null = null;
  /** The upsert the `corrupt` fault broke. */
  corrupted: { kind: ContentKind; id: string } | null = null;
  private server: Server | null = null;

  constructor(private readonly target: URL) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.forward(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const isFeed = (req.url ?? '').startsWith(CONTENT_FEED_PATH);
    if (isFeed && this.fault === 'unavailable') {
      this.fault = null;
      res.writeHead(503, { 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': '7' }).end(JSON.stringify(problem('BACKEND_UNAVAILABLE', 'proxy says: down for maintenance')));
      return;
    }
    const upstream = request({ hostname: this.target.hostname, port: this.target.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
      const spoil = isFeed && reply.statusCode === 200 ? this.fault : null;
      if (!spoil) {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => chunks.push(chunk));
      reply.on('end', () => {
        this.fault = null;
        const text = Buffer.concat(chunks).toString('utf8');
        const body = spoil === 'truncate' ? text.slice(0, Math.floor(text.length / 2)) : this.corrupt(text);
        const { 'content-length': _length, ...headers } = reply.headers;
        res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
      });
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  }

  /** Breaks the middle upsert of the page (its id becomes a number); the rest stays valid. */
  private corrupt(text: string): string {
    const page = JSON.parse(text) as ContentPage;
    const victim = page.upserts[Math.floor(page.upserts.length / 2)];
    if (!victim) throw new Error('the corrupt fault needs a page with upserts');
    this.corrupted = { kind: victim.kind, id: victim.id };
    victim.body = { ...victim.body, id: 42 };
    return JSON.stringify(page);
  }
}

function store(id: string, name: string, categoryId: string): ContentUpsert {
  return { kind: 'store', id, version: 1, body: { id, name, categoryIds: [categoryId], floor: 0, unit: 'CF1', nodeId: `${id}-node`, keywords: ['feed'] } };
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the kiosk pulls the content feed from the real sync gateway', () => {
  const { pgUrl } = stackEndpoints();
  const prefix = `cf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const kioskId = `${prefix}-kiosk`;
  const categoryId = `${prefix}-cat`;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let proxy: FaultyProxy;
  let dataDir: string;
  let edge: KioskEdge;
  let content: ContentCache;
  let deviceId: string;

  /** Runs `fn` while no content can be authored (see CONTENT_WRITERS_LOCK). */
  async function withAuthoringFrozen<T>(fn: () => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [CONTENT_WRITERS_LOCK]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [CONTENT_WRITERS_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  /** Every live item in PostgreSQL and in the kiosk, as "kind/id@version", sorted. */
  async function bothSides(): Promise<{ cloud: string[]; kiosk: string[] }> {
    const { rows } = await pool.query<{ kind: string; id: string; version: number }>('SELECT kind, id, version FROM atrium.content_items WHERE NOT deleted');
    const cloud = rows.map((r) => `${r.kind}/${r.id}@${r.version}`).sort();
    const kiosk = Object.entries(contentTables)
      .flatMap(([kind, table]) => edge.store.db.prepare<[], { id: string; version: number }>(`SELECT id, version FROM ${table}`).all().map((r) => `${kind}/${r.id}@${r.version}`))
      .sort();
    return { cloud, kiosk };
  }

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: pgUrl, max: 3 });
    gateway = await startTestGateway({ producer: 'kafkajs' });
    proxy = new FaultyProxy(new URL(gateway.kioskUrl));
    const proxyUrl = await proxy.start();
    const key = await registerDevice(pool, kioskId, { deviceId: `dev-${kioskId}` });
    deviceId = key.deviceId;
    dataDir = mkdtempSync(join(tmpdir(), 'atrium-content-feed-'));
    const pemPath = join(dataDir, 'device-key.pem');
    writeFileSync(pemPath, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    edge = openKioskEdge(
      parseKioskEdgeConfig({
        store: { dataDir, synchronous: 'NORMAL' },
        outbox: { kioskId },
        sync: {},
        contentSync: { pageLimit: 500, pollIntervalMs: 3_600_000, backoffBaseMs: 100, backoffCapMs: 1_000 },
        gateway: { url: proxyUrl, deviceId, deviceKeyPath: pemPath, requestTimeoutMs: 30_000 },
      }),
    );
    content = new ContentCache(edge.store, { kioskId });
    // The demo mall (as the seed command loads it: idempotent) and this run's own items.
    await upsertContent(pool, demoMall());
    await upsertContent(pool, [
      { kind: 'category', id: categoryId, version: 1, body: { id: categoryId, name: { en: 'Feed test' } } },
      ...Array.from({ length: 4 }, (_, i) => store(`${prefix}-s${i}`, `Feed store ${i}`, categoryId)),
    ]);
  });

  afterAll(async () => {
    edge?.close();
    await proxy?.stop();
    await gateway?.stop();
    if (pool) {
      // Taken under the writers' lock, so a concurrent run's exact comparison never sees half of it.
      await withAuthoringFrozen(async () => {
        await pool.query('DELETE FROM atrium.content_items WHERE id LIKE $1', [`${prefix}-%`]);
      });
      await pool.query('DELETE FROM atrium.devices WHERE device_id = $1', [deviceId]);
      await pool.end();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a fresh kiosk and a seeded mall, when it pulls, then it follows every page and holds exactly the live content, and a second pull is a 304', async () => {
    expect(content.feedPosition().cursor).toBeNull();
    await withAuthoringFrozen(async () => {
      const first = await edge.contentSync.pullOnce();
      const { cloud, kiosk } = await bothSides();
      expect(first).toMatchObject({ kind: 'pulled', reachedEnd: true });
      expect(first.pages).toBeGreaterThanOrEqual(Math.ceil(cloud.length / 500));
      expect(kiosk).toEqual(cloud);
      expect(cloud).toContain(`store/${prefix}-s3@1`);
      const { rows } = await pool.query<{ last: string }>('SELECT max(change_seq) AS last FROM atrium.content_items');
      expect(content.feedPosition().cursor).toBe(encodeContentCursor(Number(rows[0]?.last)));
      const versionAfterFirst = content.feedPosition().contentVersion;

      const second = await edge.contentSync.pullOnce();
      expect(second).toEqual({ kind: 'pulled', pages: 0, changes: 0, reachedEnd: true });
      expect(content.feedPosition().contentVersion).toBe(versionAfterFirst);
    });
    expect(edge.contentSync.status()).toMatchObject({ lastError: null, consecutiveFailures: 0, pulling: false, cursor: content.feedPosition().cursor });
    expect(edge.contentSync.status().lastSyncAt).not.toBeNull();
    expect(content.searchStores('Feed store 2').map((h) => h.id)).toContain(`${prefix}-s2`);
  });

  it('given an upsert and a delete authored afterwards, when the kiosk pulls again, then both arrive', async () => {
    await upsertContent(pool, [store(`${prefix}-s1`, 'Feed store renamed', categoryId), store(`${prefix}-s9`, 'Feed store new', categoryId)]);
    await deleteContent(pool, [{ kind: 'store', id: `${prefix}-s2` }]);
    const now = new Date();
    expect(content.storeDetail(`${prefix}-s2`, now)).not.toBeNull();

    const result = await edge.contentSync.pullOnce();
    expect(result).toMatchObject({ kind: 'pulled', reachedEnd: true });
    expect(content.storeDetail(`${prefix}-s1`, now)?.store.name).toBe('Feed store renamed');
    expect(content.storeDetail(`${prefix}-s9`, now)?.categories.map((c) => c.id)).toEqual([categoryId]);
    expect(content.storeDetail(`${prefix}-s2`, now)).toBeNull();
    expect(content.searchStores('renamed').map((h) => h.id)).toContain(`${prefix}-s1`);
  });

  it('given a gateway reply with one broken item or cut short, then the kiosk refuses the whole page: content and cursor stay, the error shows in the status', async () => {
    const late = [0, 1, 2].map((i) => store(`${prefix}-late${i}`, `Late store ${i}`, categoryId));
    await upsertContent(pool, late);
    const before = content.feedPosition();
    const present = () => late.filter((s) => content.storeDetail(s.id, new Date()) !== null).map((s) => s.id);

    proxy.fault = 'truncate';
    const cut = await edge.contentSync.pullOnce();
    expect(cut).toMatchObject({ kind: 'failed', pages: 0, failure: { code: 'REPLY_INVALID' } });
    expect(content.feedPosition()).toEqual(before);

    proxy.fault = 'corrupt';
    const broken = await edge.contentSync.pullOnce();
    expect(broken).toMatchObject({ kind: 'failed', pages: 0, failure: { kind: 'refused', code: 'VALIDATION_FAILED' } });
    expect(proxy.corrupted).not.toBeNull();
    expect(content.feedPosition()).toEqual(before);
    expect(present()).toEqual([]);
    const status = edge.contentSync.status();
    expect(status).toMatchObject({ cursor: before.cursor, consecutiveFailures: 2, lastError: { code: 'VALIDATION_FAILED' } });
    expect(status.lastError?.detail).toContain(proxy.corrupted!.id);
    expect(status.nextPullAt).not.toBeNull();

    // The same page, unspoilt, applies whole.
    const healed = await edge.contentSync.pullOnce();
    expect(healed).toMatchObject({ kind: 'pulled', reachedEnd: true });
    expect(present()).toEqual(late.map((s) => s.id));
    expect(edge.contentSync.status().lastError).toBeNull();
  });

  it('given the gateway answers 503 with Retry-After, then the next pull waits at least that long', async () => {
    proxy.fault = 'unavailable';
    const result = await edge.contentSync.pullOnce();
    expect(result).toMatchObject({ kind: 'failed', failure: { kind: 'http', status: 503, code: 'BACKEND_UNAVAILABLE', retryAfterMs: 7_000 } });
    const status = edge.contentSync.status();
    expect(status.nextPullAt! - status.lastError!.at).toBeGreaterThanOrEqual(7_000);
  });

  it('given the pull loop running, when a sync-now nudge arrives, then new content is pulled at once; a second loop is refused', async () => {
    const stop = new AbortController();
    edge.contentSync.requestPull(); // lifts the Retry-After wait of the previous test
    const loop = edge.contentSync.run(stop.signal);
    try {
      await expect(edge.contentSync.run(stop.signal)).rejects.toMatchObject({ code: 'CONFLICT' });
      await until(() => edge.contentSync.status().lastError === null && edge.contentSync.status().nextPullAt !== null, 'the loop to finish its first pull');
      await upsertContent(pool, [store(`${prefix}-nudged`, 'Nudged store', categoryId)]);
      // The poll interval is an hour: only the nudge can bring this store in.
      edge.contentSync.requestPull();
      await until(() => content.storeDetail(`${prefix}-nudged`, new Date()) !== null, 'the nudged pull');
    } finally {
      stop.abort();
      await loop;
    }
    expect(edge.contentSync.status().pulling).toBe(false);
  });
});
