// 300 simulated kiosks poll the gateway's update feed (sync-gateway/src/updateFeed, served from a
// real Fastify on 127.0.0.1) while the cloud's OTA service runs a staged rollout on the shared
// test PostgreSQL. The feed plugin is imported by path: this test is about the two sides agreeing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { isChosenAt, rolloutBucket, type CatalogueEvent, type ValidEvent } from '@atrium/contracts';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { localArtefactReader, pgUpdateFeedSource, updateFeedPlugin } from '../../../sync-gateway/src/updateFeed';
import { applyUpdateReports } from './pg/updateReportApplier';
import { kioskReporter, otaRig, type OtaRig } from './testing/otaTestRig';

const FLEET = 300;

interface SimKiosk {
  deviceId: string;
  kioskId: string;
  mallId: string;
  /** Versions the feed named, poll after poll. */
  offered: string[];
  report: (event: CatalogueEvent) => ValidEvent;
}

let rig: OtaRig;
let feed: FastifyInstance;
let feedUrl: string;
let kiosks: SimKiosk[];
let v1: string;
let v2: string;

async function poll(kiosk: SimKiosk): Promise<string | null> {
  const res = await fetch(`${feedUrl}/latest-linux.yml`, { headers: { 'x-test-device': kiosk.deviceId, 'x-test-kiosk': kiosk.kioskId, 'x-test-mall': kiosk.mallId } });
  if (res.status === 404) return null;
  expect(res.status).toBe(200);
  const version = (parse(await res.text()) as { version: string }).version;
  kiosk.offered.push(version);
  return version;
}

/** Every kiosk polls once (a few at a time, as a fleet's polls spread out); returns who got which version. */
async function pollAll(): Promise<Map<string, string | null>> {
  const answers = new Map<string, string | null>();
  for (let i = 0; i < kiosks.length; i += 25) {
    const batch = kiosks.slice(i, i + 25);
    const versions = await Promise.all(batch.map(poll));
    batch.forEach((k, j) => answers.set(k.deviceId, versions[j]!));
  }
  return answers;
}

const on = (answers: Map<string, string | null>, version: string) => new Set([...answers].filter(([, v]) => v === version).map(([id]) => id));

/** The kiosk goes through a successful update, reported as the edge updater reports it. */
async function install(kiosk: SimKiosk, version: string, fromVersion: string, rolloutId: string): Promise<void> {
  const data = { version, fromVersion, rolloutId };
  const events = (['kiosk.update.available', 'kiosk.update.downloaded', 'kiosk.update.installing', 'kiosk.update.installed'] as const).map((type) => kiosk.report({ type, data }));
  await applyUpdateReports(rig.pool, events, rig.clock.now());
}

beforeAll(async () => {
  rig = await otaRig(testEndpoints().postgresUrl);
  const malls = ['a', 'b', 'c'].map((m) => `mall-${m}-${rig.run}`);
  kiosks = Array.from({ length: FLEET }, (_, i) => {
    const kioskId = `k-${rig.run}-${i}`;
    return { deviceId: `dev-${rig.run}-${i}`, kioskId, mallId: malls[i % 3]!, offered: [], report: kioskReporter(kioskId, rig.clock.now) };
  });
  feed = Fastify();
  await feed.register(updateFeedPlugin, {
    prefix: '/v1/updates',
    identify: (request) => ({ deviceId: String(request.headers['x-test-device']), kioskId: String(request.headers['x-test-kiosk']), mallId: String(request.headers['x-test-mall']) }),
    source: pgUpdateFeedSource(rig.pool),
    artefacts: localArtefactReader(rig.artefactRoot),
    now: rig.clock.now,
  });
  const address = await feed.listen({ host: '127.0.0.1', port: 0 });
  feedUrl = `${address}/v1/updates`;

  v1 = `1.0.0-run.${rig.run}`;
  v2 = `1.1.0-run.${rig.run}`;
  const baseline = await rig.release(v1);
  await rig.release(v2);
  // The fleet's current version: a one-stage rollout that completes at once.
  const base = await rig.service.createRollout({ releaseId: baseline.releaseId, target: { malls }, stages: [{ percent: 100, waitS: 0 }], thresholds: { minSuccessRate: 0 } }, 'test');
  await rig.service.tick();
  expect((await rig.service.view(base.rollout.rolloutId)).rollout.status).toBe('completed');
});

afterAll(async () => {
  await feed?.close();
  await rig?.close();
});

describe('a staged rollout to 300 kiosks', () => {
  it('moves through 5% and 25%, halts on failures within one poll, and rolls back to the previous version', async () => {
    // Given the fleet on v1
    const before = await pollAll();
    expect(on(before, v1).size).toBe(FLEET);

    // When ops start v2 at 5% → 25% → 100%
    const malls = [...new Set(kiosks.map((k) => k.mallId))];
    const created = await rig.service.createRollout(
      {
        releaseId: `stable-${v2}`,
        target: { malls },
        stages: [
          { percent: 5, waitS: 3600 },
          { percent: 25, waitS: 3600 },
          { percent: 100, waitS: 0 },
        ],
        thresholds: { maxFailureRate: 0.25, minReports: 10, minSuccessRate: 0.8 },
      },
      'test',
    );
    const rolloutId = created.rollout.rolloutId;
    const chosenAt = (percent: number) => new Set(kiosks.filter((k) => isChosenAt(rolloutId, k.deviceId, percent)).map((k) => k.deviceId));

    // Then exactly the kiosks whose bucket is below 500 get v2 (5% of 300 is 15, give or take the hash)
    const stage1 = await pollAll();
    expect(on(stage1, v2)).toEqual(chosenAt(5));
    expect(on(stage1, v2).size).toBeGreaterThanOrEqual(4);
    expect(on(stage1, v2).size).toBeLessThanOrEqual(30);
    expect(on(stage1, v1).size).toBe(FLEET - on(stage1, v2).size);

    // And they install it
    const byId = new Map(kiosks.map((k) => [k.deviceId, k]));
    for (const id of on(stage1, v2)) await install(byId.get(id)!, v2, v1, rolloutId);
    let view = await rig.service.view(rolloutId);
    expect(view.progress.stages[0]).toMatchObject({ devices: on(stage1, v2).size, installed: on(stage1, v2).size, pending: 0, failed: 0, open: true });
    expect(view.progress.stages[1]).toMatchObject({ devices: chosenAt(25).size - chosenAt(5).size, open: false });

    // When the stage's hour is not yet over, nothing moves; when it is, the rollout goes to 25%
    rig.clock.advance(3599);
    expect(await rig.service.tick()).toEqual([]);
    rig.clock.advance(1);
    const advanced = await rig.service.tick();
    expect(advanced.map((c) => [c.rolloutId, c.transition.action])).toContainEqual([rolloutId, 'advance']);

    const stage2 = await pollAll();
    expect(on(stage2, v2)).toEqual(chosenAt(25));
    expect([...on(stage1, v2)].every((id) => on(stage2, v2).has(id))).toBe(true);
    expect(on(stage2, v2).size).toBeGreaterThanOrEqual(50);
    expect(on(stage2, v2).size).toBeLessThanOrEqual(100);

    // When the new stage's kiosks report: some install, then failures pile up one report at a time
    const newcomers = [...on(stage2, v2)].filter((id) => !on(stage1, v2).has(id)).sort((a, b) => rolloutBucket(rolloutId, a) - rolloutBucket(rolloutId, b));
    const installers = newcomers.slice(0, 10);
    for (const id of installers) await install(byId.get(id)!, v2, v1, rolloutId);
    const failing = newcomers.slice(10);
    let halted = false;
    let failures = 0;
    const installedCount = on(stage1, v2).size + installers.length;
    for (const id of failing) {
      const kiosk = byId.get(id)!;
      const result = await applyUpdateReports(rig.pool, [kiosk.report({ type: 'kiosk.update.failed', data: { version: v2, fromVersion: v1, rolloutId, reason: 'sha512 mismatch' } })], rig.clock.now());
      failures += 1;
      const crossed = failures / (installedCount + failures) >= 0.25;
      expect(result.length > 0).toBe(crossed);
      // Then the first poll after the tipping report already sees the halt: a chosen kiosk that
      // has not installed is back on v1, and one that installed keeps v2
      if (crossed) {
        halted = true;
        const waiting = byId.get(failing[failing.length - 1]!)!;
        expect(await poll(waiting)).toBe(v1);
        expect(await poll(byId.get(installers[0]!)!)).toBe(v2);
        break;
      }
      expect(await poll(kiosk)).toBe(v2);
    }
    expect(halted).toBe(true);
    view = await rig.service.view(rolloutId);
    expect(view.rollout.status).toBe('halted');
    expect(view.rollout.statusReason).toMatch(/failure threshold/);
    expect(view.history.at(-1)).toMatchObject({ action: 'halt', actor: 'thresholds' });
    expect(view.progress.reports).toMatchObject({ installed: installedCount, failed: failures });

    // And the scheduler does not move a halted rollout on, however long it waits
    rig.clock.advance(86_400);
    expect((await rig.service.tick()).filter((c) => c.rolloutId === rolloutId)).toEqual([]);

    const afterHalt = await pollAll();
    const installedIds = new Set([...on(stage1, v2), ...installers]);
    expect(on(afterHalt, v2)).toEqual(installedIds);

    // No kiosk ever went from v2 back to v1 while the rollout was only moving forward or halted
    for (const kiosk of kiosks) {
      const firstV2 = kiosk.offered.indexOf(v2);
      if (firstV2 >= 0 && installedIds.has(kiosk.deviceId)) expect(kiosk.offered.slice(firstV2)).not.toContain(v1);
    }

    // When ops roll back, then every kiosk, installed or not, is served the previous version
    await rig.service.command(rolloutId, { kind: 'rollback', reason: 'failures at 25%' }, 'test');
    const afterRollback = await pollAll();
    expect(on(afterRollback, v1).size).toBe(FLEET);
  });
});
