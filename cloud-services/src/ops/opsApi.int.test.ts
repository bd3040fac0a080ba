import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import { buildOpsApp } from '../http/opsApp';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import { startConsumers } from '../runtime/cloudConsumers';
import { createCloudTestKit, eventually, type CloudTestKit } from '../testing/cloudTestKit';
import { mixedEvents } from '../testing/eventMix';
import { broadcastRoutes } from './broadcastRoutes';
import { gatewayBroadcastPublisher } from './gatewayBroadcasts';
import { opsRoutes } from './opsRoutes';

const KIOSK = 'mall-51-k001';
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('ops API on the real stores and the real sync gateway', () => {
  let kit: CloudTestKit;
  let ops: Awaited<ReturnType<typeof buildOpsApp>>;
  let gateway: ChildProcess;
  let gatewayLog = '';
  let adminUrl: string;

  beforeAll(async () => {
    kit = await createCloudTestKit('opsapi', 2);
    const endpoints = testEndpoints();
    adminUrl = `http://127.0.0.1:${await freePort()}`;
    const root = findRepoPaths().root;
    gateway = spawn(process.execPath, ['--import', 'tsx', join(root, 'sync-gateway/src/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        ATRIUM_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        ATRIUM_PG_URL: endpoints.postgresUrl,
        ATRIUM_GATEWAY_KIOSK_HOST: '127.0.0.1',
        ATRIUM_GATEWAY_KIOSK_PORT: '0',
        ATRIUM_GATEWAY_ADMIN_HOST: '127.0.0.1',
        ATRIUM_GATEWAY_ADMIN_PORT: adminUrl.split(':').at(-1)!,
        ATRIUM_GATEWAY_PRODUCER: 'kafkajs',
        ATRIUM_GATEWAY_LOG_LEVEL: 'warn',
        ATRIUM_GATEWAY_OTA_ARTEFACT_DIR: join(tmpdir(), `atrium-ops-${kit.suffix}`),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => void (gatewayLog = (gatewayLog + chunk.toString()).slice(-10_000));
    gateway.stdout!.on('data', keep);
    gateway.stderr!.on('data', keep);
    ops = await buildOpsApp({ log: kit.log, metrics: createServiceMetrics(), audit: async () => [], fleetStatus: async () => [], consumers: () => [], routes: opsRoutes(kit.config, kit.connections, { gatewayAdminUrl: adminUrl }) });
    await eventually(async () => (await fetch(`${adminUrl}/healthz`).catch(() => undefined))?.ok === true, `the gateway's admin listener\n${gatewayLog}`, 120_000);
  });
  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway.once('exit', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
    await kit?.cleanup();
  });

  it('given stores, offers, hours and map nodes authored, when the gateway feed reads past its cursor, then it sees each change once, in order, deletes as tombstones', async () => {
    const pool = kit.connections.pg();
    const head = async () => Number((await pool.query('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS head FROM atrium.content_change_seq')).rows[0].head);
    const cursor = await head();
    const s = kit.suffix.replace(/_/g, '-');
    const store = { id: `store-${s}`, name: 'Lumen Books', categoryIds: ['books'], floor: 0, unit: 'G-12', nodeId: `n-${s}`, keywords: ['books'] };
    const offer = { id: `offer-${s}`, storeId: store.id, title: { en: '2 for 1' }, validFrom: '2026-11-01T00:00:00.000Z', validTo: '2026-12-01T00:00:00.000Z', stock: 5, perShopperLimit: 1 };
    const hours = { id: store.id, weekly: [{ day: 1, open: '09:00', close: '21:00' }], exceptions: [{ date: '2026-12-25', closed: true }] };
    const node = { id: `n-${s}`, floor: 0, x: 10, y: 20, kind: 'store' as const, label: 'Lumen Books' };

    expect((await ops.inject({ method: 'PUT', url: `/content/stores/${store.id}`, payload: store })).statusCode).toBe(201);
    const unchanged = await ops.inject({ method: 'PUT', url: `/content/stores/${store.id}`, payload: store });
    expect([unchanged.statusCode, unchanged.json().version]).toEqual([200, 1]);
    const renamed = (await ops.inject({ method: 'PUT', url: `/content/stores/${store.id}`, payload: { ...store, name: 'Lumen Books & Café' } })).json();
    expect(renamed).toMatchObject({ version: 2 });
    // Two editors: the one who read version 1 is refused, the change of the other stays.
    const stale = await ops.inject({ method: 'PUT', url: `/content/stores/${store.id}`, headers: { 'if-match': '"1"' }, payload: { ...store, name: 'Stale edit' } });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'CONFLICT']);
    expect((await ops.inject({ method: 'PUT', url: `/content/offers/${offer.id}`, payload: offer })).statusCode).toBe(201);
    expect((await ops.inject({ method: 'PUT', url: `/content/hours/${hours.id}`, payload: hours })).statusCode).toBe(201);
    expect((await ops.inject({ method: 'PUT', url: `/content/map-nodes/${node.id}`, payload: node })).statusCode).toBe(201);
    expect((await ops.inject({ method: 'DELETE', url: `/content/map-nodes/${node.id}`, headers: { 'if-match': '"7"' } })).statusCode).toBe(409);
    expect((await ops.inject({ method: 'DELETE', url: `/content/map-nodes/${node.id}`, headers: { 'if-match': '"1"' } })).json()).toMatchObject({ deleted: true });
    expect((await ops.inject({ method: 'PUT', url: `/content/stores/${store.id}`, payload: { ...store, floor: 'ground' } })).json()).toMatchObject({ code: 'VALIDATION_FAILED' });

    // The gateway's feed reads `change_seq > cursor ORDER BY change_seq` (sync-gateway PgContentStore).
    const feed = await pool.query(`SELECT kind, id, version, deleted, body->>'name' AS name FROM atrium.content_items WHERE change_seq > $1 AND id LIKE $2 ORDER BY change_seq`, [cursor, `%${s}`]);
    expect(feed.rows).toEqual([
      { kind: 'store', id: store.id, version: 2, deleted: false, name: 'Lumen Books & Café' },
      { kind: 'offer', id: offer.id, version: 1, deleted: false, name: null },
      { kind: 'opening-hours', id: store.id, version: 1, deleted: false, name: null },
      { kind: 'map-node', id: node.id, version: 2, deleted: true, name: null },
    ]);
    // The offer's stock reaches the claims projection's inventory in the same transaction.
    const inventory = await pool.query(`SELECT stock, per_shopper_limit FROM ${kit.config.postgresSchema}.offer_inventory WHERE offer_id = $1`, [offer.id]);
    expect(inventory.rows).toEqual([{ stock: 5, per_shopper_limit: 1 }]);
  });

  it("given a kiosk's events across two store partitions, when its timeline is paged, then every event comes once, newest first", async () => {
    await kit.produce(mixedEvents(KIOSK, 99_991, 100_010, 'offer-timeline'));
    const consumers = await startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), { stages: [EVENT_STORE_STAGE, 'fleet-status'], sessionTimeoutMs: 10_000 });
    const caughtUp = async () => {
      const kiosk = (await ops.inject({ url: `/fleet/kiosks/${KIOSK}` })).json();
      return kiosk?.delivery?.storedCount === 20 && kiosk?.status?.kioskId === KIOSK;
    };
    await eventually(caughtUp, 'the events in the store and the fleet view').finally(() => consumers.stop());

    const sequences: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const res = await ops.inject({ url: `/kiosks/${KIOSK}/events?limit=7${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { events: { sequence: number; type: string; data: Record<string, unknown> }[]; nextCursor: string | null };
      sequences.push(...body.events.map((e) => e.sequence));
      for (const e of body.events) if (e.type === 'mall.loyalty.enrolled') expect(e.data['sealedPii']).toBe('[sealed]');
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => 100_010 - i));
    expect((await ops.inject({ url: `/kiosks/${KIOSK}/events?cursor=not-a-cursor` })).json()).toMatchObject({ code: 'CURSOR_INVALID' });
    expect((await ops.inject({ url: '/kiosks/mall-51-k404/events' })).statusCode).toBe(404);
    expect((await ops.inject({ url: `/fleet/kiosks/${KIOSK}` })).json()).toMatchObject({ status: { kioskId: KIOSK }, delivery: { highestSeen: 100_010, storedCount: 20 } });
  });

  it('given an emergency, when ops broadcasts and then clears it, then the gateway puts both on its urgent channel', async () => {
    const listener = new pg.Client({ connectionString: testEndpoints().postgresUrl });
    await listener.connect();
    const heard: { message: { kind: string; id?: string } }[] = [];
    listener.on('notification', (n) => void heard.push(JSON.parse(n.payload ?? '{}')));
    await listener.query('LISTEN atrium_urgent');
    try {
      const sent = await ops.inject({ method: 'POST', url: '/broadcasts/emergencies', payload: { message: { en: 'Please leave by the nearest exit', ar: 'يرجى المغادرة من أقرب مخرج' }, kioskIds: [KIOSK] } });
      expect(sent.statusCode).toBe(202);
      const { broadcastId } = sent.json() as { broadcastId: string };
      await eventually(async () => heard.some((h) => h.message.kind === 'emergency' && h.message.id === broadcastId), 'the emergency on the urgent channel', 30_000);
      const row = await kit.connections.pg().query('SELECT cleared_at FROM atrium.urgent_broadcasts WHERE broadcast_id = $1', [broadcastId]);
      expect(row.rows).toEqual([{ cleared_at: null }]);

      expect((await ops.inject({ method: 'DELETE', url: `/broadcasts/emergencies/${broadcastId}` })).statusCode).toBe(202);
      await eventually(async () => heard.some((h) => h.message.kind === 'emergency-cleared' && h.message.id === broadcastId), 'the clearance', 30_000);
      expect((await kit.connections.pg().query('SELECT cleared_at FROM atrium.urgent_broadcasts WHERE broadcast_id = $1', [broadcastId])).rows[0].cleared_at).not.toBeNull();

      // The gateway's own refusal comes back as its problem code; a gateway that is not there, as 503.
      const tooBig = await ops.inject({ method: 'POST', url: '/broadcasts/emergencies', payload: { message: { en: 'x'.repeat(500), es: 'y'.repeat(500), ar: 'z'.repeat(500) }, kioskIds: Array.from({ length: 200 }, (_, i) => `mall-51-k${String(i).padStart(54, '0')}`) } });
      expect([tooBig.statusCode, tooBig.json().code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(tooBig.json().detail).toMatch(/bytes/);
      const nowhere = await buildOpsApp({ log: kit.log, metrics: createServiceMetrics(), audit: async () => [], fleetStatus: async () => [], consumers: () => [], routes: [broadcastRoutes({ publisher: gatewayBroadcastPublisher(`http://127.0.0.1:${await freePort()}`) })] });
      const down = await nowhere.inject({ method: 'POST', url: '/broadcasts/emergencies', payload: { message: { en: 'Test' } } });
      expect([down.statusCode, down.json().code]).toEqual([503, 'BACKEND_UNAVAILABLE']);
    } finally {
      await listener.end();
    }
  });
});
