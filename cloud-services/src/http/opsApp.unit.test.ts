import { describe, expect, it } from 'vitest';
import { AtriumError, PROBLEM_CONTENT_TYPE } from '@atrium/contracts';
import { auditKiosk } from '../audit/gapAudit';
import { createLogger } from '../log/logger';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import type { OtaService } from '../ota/otaService';
import { otaRoutes } from '../ota/otaRuntime';
import { buildOpsApp } from './opsApp';

// Only what the OTA routes below call; the rest of the service is exercised by the OTA int tests.
const ota = {
  view: async (rolloutId: string) => {
    throw new AtriumError('NOT_FOUND', `no rollout ${rolloutId}`);
  },
} as unknown as OtaService;

async function app(paused = false) {
  return buildOpsApp({
    routes: [otaRoutes(ota)],
    log: createLogger('test', 'silent'),
    metrics: createServiceMetrics(),
    audit: async (ids) => (ids ?? ['mall-01-k001']).map((id) => (id === 'mall-01-k001' ? auditKiosk(id, [{ first: 1, last: 5 }, { first: 8, last: 9 }], []) : auditKiosk(id, [], []))),
    fleetStatus: async () => [],
    consumers: () => [{ stage: 'event-store', running: true, pausedSince: paused ? '2026-11-01T00:00:00.000Z' : null, lastError: null }],
  });
}

describe('ops API', () => {
  it('given a kiosk with a hole, when its audit is read, then the missing range is listed', async () => {
    const res = await (await app()).inject({ url: '/audit/kiosks/mall-01-k001' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ highestContiguous: 5, missing: [{ first: 6, last: 7 }], missingCount: 2 });
  });

  it('answers problem+json for a malformed kiosk id and an unknown kiosk', async () => {
    const bad = await (await app()).inject({ url: '/audit/kiosks/NOT_VALID' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const unknown = await (await app()).inject({ url: '/audit/kiosks/mall-09-k404' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is not ready while a consumer is paused on an outage, and serves metrics', async () => {
    expect((await (await app(true)).inject({ url: '/readyz' })).statusCode).toBe(503);
    expect((await (await app()).inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await (await app()).inject({ url: '/metrics' })).body).toContain('atrium_consumer_events_total');
  });

  it('lists the OTA routes in its OpenAPI document and answers their refusals through its one problem handler', async () => {
    const ops = await app();
    const paths = Object.keys((await ops.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(['/ops/ota/releases', '/ops/ota/releases/{releaseId}/artefact', '/ops/ota/rollouts', '/ops/ota/rollouts/{rolloutId}/rollback', '/ops/ota/malls/{mallId}/maintenance-window']));
    const missing = await ops.inject({ url: '/ops/ota/rollouts/r-404' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND', detail: 'no rollout r-404', instance: '/ops/ota/rollouts/r-404' });
    const invalid = await ops.inject({ method: 'POST', url: '/ops/ota/rollouts', payload: { releaseId: 'x', stages: [{ percent: 150, waitS: 0 }] } });
    expect(invalid.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/ops/ota/rollouts' });
  });
});
