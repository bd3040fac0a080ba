import { describe, expect, it } from 'vitest';
import { AtriumError, PROBLEM_CONTENT_TYPE, type ContentKind } from '@atrium/contracts';
import { buildOpsApp } from '../http/opsApp';
import { createLogger } from '../log/logger';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import type { FleetStatusEntry } from '../projections/mongo/viewReaders';
import { broadcastRoutes } from './broadcastRoutes';
import type { ContentAuthoring, ContentItem } from './contentAuthoring';
import { contentRoutes } from './contentRoutes';
import { fleetRoutes } from './fleetRoutes';
import type { UrgentBroadcast } from './gatewayBroadcasts';

/** Content authoring in memory: the same contract as the PostgreSQL adapter. */
function memoryAuthoring(): ContentAuthoring {
  const items = new Map<string, ContentItem>();
  let seq = 0;
  return {
    async put(kind, id, body, expectedVersion) {
      const old = items.get(`${kind}/${id}`);
      if (expectedVersion !== undefined && old?.version !== expectedVersion) throw new AtriumError('CONFLICT', 'changed');
      if (old && !old.deleted && JSON.stringify(old.body) === JSON.stringify(body)) return { item: old, outcome: 'unchanged' };
      const item = { kind, id, body, deleted: false, version: (old?.version ?? 0) + 1, changeSeq: (seq += 1), updatedAt: new Date(0).toISOString() };
      items.set(`${kind}/${id}`, item);
      return { item, outcome: old ? 'updated' : 'created' };
    },
    async get(kind, id) {
      return items.get(`${kind}/${id}`);
    },
    async remove(kind: ContentKind, id: string) {
      const old = items.get(`${kind}/${id}`);
      if (!old) return undefined;
      const item = { ...old, deleted: true, version: old.version + 1, changeSeq: (seq += 1) };
      items.set(`${kind}/${id}`, item);
      return item;
    },
    async list(kind) {
      return [...items.values()].filter((i) => i.kind === kind);
    },
  };
}

const fleet: FleetStatusEntry[] = [
  { kioskId: 'mall-01-k001', connectivity: 'online', lastHeartbeatAt: '2026-11-01T10:00:00.000Z', version: '1.4.0', queueDepth: 0 },
  { kioskId: 'mall-01-k002', connectivity: 'offline', lastHeartbeatAt: '2026-11-01T08:00:00.000Z', version: '1.3.0', queueDepth: 12 },
  { kioskId: 'mall-02-k001', connectivity: 'online', lastHeartbeatAt: '2026-11-01T10:00:00.000Z', version: '1.4.0', queueDepth: 1 },
];
const store = { id: 'store-1', name: 'Zara', categoryIds: ['fashion'], floor: 1, unit: 'L1-04', nodeId: 'n-14', keywords: ['clothes'] };

async function app(published: UrgentBroadcast[] = []) {
  return buildOpsApp({
    log: createLogger('test', 'silent'),
    metrics: createServiceMetrics(),
    audit: async () => [],
    fleetStatus: async () => fleet,
    consumers: () => [],
    routes: [
      contentRoutes({ authoring: memoryAuthoring() }),
      fleetRoutes({ fleetStatus: async () => fleet, audit: async () => [] }),
      broadcastRoutes({ publisher: { publish: async (b) => void published.push(b) } }),
    ],
  });
}

describe('ops API: content, fleet, broadcasts', () => {
  it('given a store body, when put twice and then changed, then it is created, left alone, then updated', async () => {
    const ops = await app();
    const put = (body: object) => ops.inject({ method: 'PUT', url: '/content/stores/store-1', payload: body });
    expect((await put(store)).statusCode).toBe(201);
    const same = await put(store);
    expect([same.statusCode, same.json().version]).toEqual([200, 1]);
    expect((await put({ ...store, name: 'Zara Home' })).json()).toMatchObject({ version: 2, body: { name: 'Zara Home' } });
    expect((await ops.inject({ method: 'DELETE', url: '/content/stores/store-1' })).json()).toMatchObject({ deleted: true });
  });

  it('given an If-Match with a stale version, when put, then it is refused as CONFLICT; with the current one it goes through', async () => {
    const ops = await app();
    const created = await ops.inject({ method: 'PUT', url: '/content/stores/store-1', payload: store });
    expect(created.headers['etag']).toBe('"1"');
    await ops.inject({ method: 'PUT', url: '/content/stores/store-1', payload: { ...store, name: 'Other' } });
    const stale = await ops.inject({ method: 'PUT', url: '/content/stores/store-1', headers: { 'if-match': '"1"' }, payload: { ...store, name: 'Mine' } });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'CONFLICT']);
    const current = await ops.inject({ method: 'PUT', url: '/content/stores/store-1', headers: { 'if-match': '"2"' }, payload: { ...store, name: 'Mine' } });
    expect([current.statusCode, current.json().version]).toEqual([200, 3]);
  });

  it('refuses, as problem+json, a body that does not match the contract: an unknown field, a wrong type, another id, broken JSON', async () => {
    const ops = await app();
    for (const payload of [{ ...store, extra: true }, { ...store, floor: '1' }, { ...store, id: 'store-2' }]) {
      const res = await ops.inject({ method: 'PUT', url: '/content/stores/store-1', payload });
      expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    }
    const broken = await ops.inject({ method: 'PUT', url: '/content/stores/store-1', headers: { 'content-type': 'application/json' }, payload: '{"id":' });
    expect([broken.statusCode, broken.json().code]).toEqual([400, 'BODY_MALFORMED']);
    expect((await ops.inject({ url: '/content/offers/none' })).json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('summarises the fleet per mall and version', async () => {
    expect((await (await app()).inject({ url: '/fleet/summary' })).json()).toEqual({
      total: 3,
      online: 2,
      offline: 1,
      neverSeen: 0,
      malls: [
        { mallId: 'mall-01', total: 2, online: 1, offline: 1, neverSeen: 0 },
        { mallId: 'mall-02', total: 1, online: 1, offline: 0, neverSeen: 0 },
      ],
      versions: [
        { version: '1.4.0', kiosks: 2 },
        { version: '1.3.0', kiosks: 1 },
      ],
    });
  });

  it('given an emergency, when broadcast, then the gateway gets it with a fresh id for the audience named', async () => {
    const published: UrgentBroadcast[] = [];
    const res = await (await app(published)).inject({ method: 'POST', url: '/broadcasts/emergencies', payload: { message: { en: 'Please leave by the nearest exit' }, mallId: 'mall-01' } });
    expect(res.statusCode).toBe(202);
    expect(published).toEqual([{ message: { kind: 'emergency', id: res.json().broadcastId, message: { en: 'Please leave by the nearest exit' } }, mallId: 'mall-01' }]);
  });

  it('documents the new routes in the OpenAPI document', async () => {
    const paths = Object.keys((await (await app()).inject({ url: '/openapi.json' })).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/content/stores/{id}', '/content/hours/{id}', '/content/map-nodes/{id}', '/fleet/summary', '/broadcasts/emergencies']));
  });
});
