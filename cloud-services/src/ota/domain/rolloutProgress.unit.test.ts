import { describe, expect, it } from 'vitest';
import { isChosenAt, rolloutBucket, type DeviceUpdateState } from '@atrium/contracts';
import { livePopulation, rolloutProgress, type KnownDevice } from './rolloutProgress';
import { stagePlanProblems, type Rollout } from './rollout';

const created = '2026-11-27T10:00:00.000Z';

function rollout(overrides: Partial<Rollout> = {}): Rollout {
  return {
    rolloutId: 'ro-progress',
    releaseId: 'rel-1',
    version: '1.1.0',
    channel: 'stable',
    target: { malls: ['mall-a', 'mall-b'], tags: [] },
    stages: [
      { percent: 10, waitS: 60 },
      { percent: 50, waitS: 60 },
      { percent: 100, waitS: 0 },
    ],
    thresholds: { maxFailureRate: 0.1, minReports: 5, minSuccessRate: 0.8 },
    status: 'active',
    statusReason: null,
    currentStage: 1,
    stageStartedAt: created,
    createdAt: created,
    ...overrides,
  };
}

const fleet: KnownDevice[] = Array.from({ length: 400 }, (_, i) => ({
  deviceId: `dev-${i}`,
  kioskId: `k-${i}`,
  mallId: i % 4 === 3 ? 'mall-z' : i % 2 === 0 ? 'mall-a' : 'mall-b',
  tags: [],
  channel: 'stable',
  lastSeenAt: i % 50 === 0 ? '2026-11-26T00:00:00.000Z' : '2026-11-27T10:05:00.000Z',
}));

describe('rollout progress', () => {
  it('given a fleet, then the live population is the targeted malls’ devices seen since the rollout began', () => {
    const live = livePopulation(rollout(), fleet);
    expect(live.every((d) => d.mallId !== 'mall-z')).toBe(true);
    expect(live.some((d) => d.deviceId === 'dev-0')).toBe(false);
    expect(live).toHaveLength(fleet.filter((d, i) => d.mallId !== 'mall-z' && i % 50 !== 0).length);
  });

  it('given reports, then each device counts once in the stage its bucket falls in, by its latest outcome', () => {
    const r = rollout();
    const live = livePopulation(r, fleet);
    const reports = new Map<string, DeviceUpdateState>();
    for (const d of live) {
      if (!isChosenAt(r.rolloutId, d.deviceId, 50)) continue;
      const n = Number(d.deviceId.slice(4));
      reports.set(d.kioskId, n % 5 === 0 ? 'failed' : n % 3 === 0 ? 'downloaded' : 'installed');
    }
    const p = rolloutProgress(r, fleet, reports);
    const inStage = (lo: number, hi: number) => live.filter((d) => rolloutBucket(r.rolloutId, d.deviceId) >= lo * 100 && rolloutBucket(r.rolloutId, d.deviceId) < hi * 100).length;
    expect(p.stages.map((s) => s.devices)).toEqual([inStage(0, 10), inStage(10, 50), inStage(50, 100)]);
    expect(p.stages.map((s) => s.open)).toEqual([true, true, false]);
    expect(p.stages[2]!.pending).toBe(p.stages[2]!.devices);
    for (const s of p.stages) expect(s.pending + s.downloaded + s.installed + s.failed).toBe(s.devices);
    expect(p.reached.devices).toBe(p.stages[0]!.devices + p.stages[1]!.devices);
    expect(p.reached.installed + p.reached.failed + p.reached.downloaded).toBe(reports.size);
    expect(p.reports.total).toBe(reports.size);
  });
});

describe('stage plans', () => {
  it('accepts growing stages and explains a plan that shrinks', () => {
    expect(stagePlanProblems([{ percent: 5, waitS: 0 }, { percent: 100, waitS: 0 }])).toEqual([]);
    expect(stagePlanProblems([{ percent: 25, waitS: 0 }, { percent: 5, waitS: 0 }])).toEqual(['stage 2 (5%) must reach more devices than stage 1 (25%)']);
    expect(stagePlanProblems([])).toHaveLength(1);
  });
});
