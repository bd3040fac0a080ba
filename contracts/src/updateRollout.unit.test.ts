import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import {
  bucketsForPercent,
  chooseDeviceRelease,
  isChosenAt,
  rolloutBucket,
  rolloutServesDevice,
  type FeedDevice,
  type FeedRelease,
  type FeedRollout,
} from './updateRollout';
import './formats';
import { MaintenanceWindow, UpdateInfo } from './updateFeed';

const device: FeedDevice = { deviceId: 'dev-0001', mallId: 'mall-01', tags: ['ground-floor'], channel: 'stable' };

function release(version: string): FeedRelease {
  return { releaseId: `rel-${version}`, version, fileName: `atrium-kiosk-${version}.AppImage`, sha512: 'AAAA', size: 10, releasedAt: '2026-11-01T00:00:00.000Z' };
}

function rollout(overrides: Partial<FeedRollout> = {}): FeedRollout {
  return { rolloutId: 'ro-1', channel: 'stable', targetMalls: [], targetTags: [], status: 'active', stagePercent: 100, release: release('1.1.0'), ...overrides };
}

describe('rollout bucketing', () => {
  it('puts a device in the same bucket every time, within 0..9999', () => {
    const a = rolloutBucket('ro-1', 'dev-0001');
    expect(rolloutBucket('ro-1', 'dev-0001')).toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(10_000);
  });

  it('is pinned to known values (the first 32 bits of SHA-256, checked with node:crypto), so a change of hash is a visible contract break', () => {
    expect(rolloutBucket('a', 'b')).toBe(222);
    expect(rolloutBucket('ro-1', 'dev-0001')).toBe(6690);
  });

  it('spreads 20,000 devices evenly: each tenth of the range holds about a tenth', () => {
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i += 1) deciles[Math.floor(rolloutBucket('ro-spread', `dev-${i}`) / 1000)]! += 1;
    for (const n of deciles) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });

  it('keeps a device chosen at 5% chosen at 25% and 100%', () => {
    for (let i = 0; i < 2000; i += 1) {
      const id = `dev-${i}`;
      if (isChosenAt('ro-mono', id, 5)) expect(isChosenAt('ro-mono', id, 25)).toBe(true);
      if (isChosenAt('ro-mono', id, 25)) expect(isChosenAt('ro-mono', id, 100)).toBe(true);
    }
    expect(bucketsForPercent(0.01)).toBe(1);
    expect(bucketsForPercent(100)).toBe(10_000);
  });
});

describe('which release a device should run', () => {
  it('given an active rollout at 100%, when a targeted device polls, then it gets the new release', () => {
    expect(chooseDeviceRelease(device, [rollout()])?.release.version).toBe('1.1.0');
  });

  it('given a rollout for another mall, tag or channel, then the device is not targeted', () => {
    expect(rolloutServesDevice(rollout({ targetMalls: ['mall-02'] }), device)).toBe(false);
    expect(rolloutServesDevice(rollout({ targetTags: ['food-court'] }), device)).toBe(false);
    expect(rolloutServesDevice(rollout({ targetTags: ['food-court', 'ground-floor'] }), device)).toBe(true);
    expect(rolloutServesDevice(rollout({ channel: 'beta' }), device)).toBe(false);
  });

  it('given a newer rollout that does not choose the device yet, then it keeps the previous release', () => {
    const older = rollout({ rolloutId: 'ro-0', status: 'completed', release: release('1.0.0') });
    const newer = rollout({ rolloutId: 'ro-1', stagePercent: 0 });
    expect(chooseDeviceRelease(device, [newer, older])).toEqual({ rolloutId: 'ro-0', release: release('1.0.0') });
  });

  it('given a halted rollout, then only devices that installed it keep it', () => {
    const older = rollout({ rolloutId: 'ro-0', status: 'completed', release: release('1.0.0') });
    expect(chooseDeviceRelease(device, [rollout({ status: 'halted', deviceState: 'installed' }), older])?.release.version).toBe('1.1.0');
    expect(chooseDeviceRelease(device, [rollout({ status: 'halted', deviceState: 'downloaded' }), older])?.release.version).toBe('1.0.0');
    expect(chooseDeviceRelease(device, [rollout({ status: 'halted' }), older])?.release.version).toBe('1.0.0');
  });

  it('given a rolled-back rollout, then every device gets the previous release, installed or not', () => {
    const older = rollout({ rolloutId: 'ro-0', status: 'completed', release: release('1.0.0') });
    expect(chooseDeviceRelease(device, [rollout({ status: 'rolledback', deviceState: 'installed' }), older])?.release.version).toBe('1.0.0');
  });

  it('given no rollout serving the device, then there is nothing to run', () => {
    expect(chooseDeviceRelease(device, [rollout({ status: 'rolledback' })])).toBeNull();
  });
});

describe('update feed shapes', () => {
  it('accepts a maintenance window that crosses midnight and an UpdateInfo carrying it', () => {
    const installWindow = { timeZone: 'Europe/London', spans: [{ days: ['mon', 'tue'], start: '22:30', end: '06:00' }] };
    expect(Value.Check(MaintenanceWindow, installWindow)).toBe(true);
    expect(Value.Check(MaintenanceWindow, { timeZone: 'Europe/London', spans: [{ start: '24:00', end: '06:00' }] })).toBe(false);
    const info = {
      version: '1.1.0',
      files: [{ url: 'a.AppImage', sha512: 'AAAA', size: 1 }],
      path: 'a.AppImage',
      sha512: 'AAAA',
      releaseDate: '2026-11-01T00:00:00.000Z',
      rolloutId: 'ro-1',
      installWindow,
    };
    expect(Value.Check(UpdateInfo, info)).toBe(true);
  });
});
