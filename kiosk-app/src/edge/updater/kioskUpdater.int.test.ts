import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogueEvent, MaintenanceWindow } from '@atrium/contracts';
import type { HealthReport, KioskActivity } from '../../core/updater/updaterState';
import { appImageInstaller } from './appImageInstaller';
import { KioskUpdater } from './kioskUpdater';
import { parseKioskUpdaterConfig } from './kioskUpdaterConfig';
import { TestUpdateFeed } from './testing/testUpdateFeed';

// London in winter: local time is UTC. The window is 01:00–05:00.
const window: MaintenanceWindow = { timeZone: 'Europe/London', spans: [{ start: '01:00', end: '05:00' }] };
const at = (hhmm: string) => Date.parse(`2026-01-15T${hhmm}:00Z`);

let dir: string;
let feed: TestUpdateFeed;
let clock: number;
let activity: KioskActivity;
let health: HealthReport;
let events: CatalogueEvent[];
let relaunches: number;
const oldBytes = randomBytes(20_000);
const newBytes = randomBytes(50_000);

async function openUpdater(runningVersion: string): Promise<KioskUpdater> {
  const config = parseKioskUpdaterConfig({ feedUrl: feed.url, dataDir: join(dir, 'updates'), healthDeadlineMs: 300_000, retryDelayMs: 60_000 });
  return KioskUpdater.open(
    {
      config,
      fetch: (url, init) => fetch(url, init),
      append: (e) => void events.push(e),
      activity: () => activity,
      health: async () => health,
      installer: appImageInstaller({ appImagePath: join(dir, 'Atrium.AppImage'), keepDir: join(dir, 'updates', 'installed'), electron: { relaunch: () => void (relaunches += 1) } }),
      now: () => clock,
    },
    runningVersion,
  );
}

const types = () => events.map((e) => e.type);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atrium-updater-'));
  await writeFile(join(dir, 'Atrium.AppImage'), oldBytes);
  feed = new TestUpdateFeed();
  await feed.start();
  feed.release = { version: '1.1.0', bytes: newBytes, rolloutId: 'ro-42' };
  feed.installWindow = window;
  clock = at('12:00');
  activity = { sessionActive: false, attractLoop: true };
  health = { rendererUp: true, syncOk: true };
  events = [];
  relaunches = 0;
});

afterEach(async () => {
  await feed.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the kiosk updater on a kiosk', () => {
  it('downloads in the background, waits out the session and the day, installs in the window, and confirms after a healthy restart', async () => {
    // Given the feed offers 1.1.0 at noon
    const updater = await openUpdater('1.0.0');
    await updater.checkFeed();
    await updater.settled();
    expect(types()).toEqual(['kiosk.update.available', 'kiosk.update.downloaded']);
    expect(feed.reportedVersions).toEqual(['1.0.0']);

    // When the kiosk is idle at noon (outside the window), then nothing installs
    await updater.tick();
    // When a shopper is mid-session at 02:00 (inside the window), then nothing installs
    clock = at('02:00');
    activity = { sessionActive: true, attractLoop: false };
    await updater.tick();
    expect(types()).toEqual(['kiosk.update.available', 'kiosk.update.downloaded']);
    expect(await readFile(join(dir, 'Atrium.AppImage'))).toEqual(oldBytes);
    expect(relaunches).toBe(0);

    // When the session ends and the attract loop is back, then it installs and relaunches
    activity = { sessionActive: false, attractLoop: true };
    await updater.tick();
    expect(types().at(-1)).toBe('kiosk.update.installing');
    expect(await readFile(join(dir, 'Atrium.AppImage'))).toEqual(newBytes);
    expect(relaunches).toBe(1);

    // And after the restart a healthy check records installed
    clock = at('02:01');
    const restarted = await openUpdater('1.1.0');
    expect(restarted.state().current.step).toBe('verifying');
    await restarted.checkHealth();
    expect(events.at(-1)).toMatchObject({ type: 'kiosk.update.installed', data: { version: '1.1.0', fromVersion: '1.0.0', rolloutId: 'ro-42' } });
  });

  it('refuses a download whose sha512 differs from the feed’s, records kiosk.update.failed and leaves the kiosk as it was', async () => {
    const tampered = Buffer.from(newBytes);
    tampered[1234] = tampered[1234]! ^ 0xff;
    feed.release = { version: '1.1.0', bytes: newBytes, served: tampered, rolloutId: 'ro-42' };
    const updater = await openUpdater('1.0.0');
    await updater.checkFeed();
    await updater.settled();
    expect(types()).toEqual(['kiosk.update.available', 'kiosk.update.failed']);
    expect(events.at(-1)).toMatchObject({ data: { version: '1.1.0', reason: expect.stringMatching(/download refused: sha512/) } });
    expect(existsSync(join(dir, 'updates', 'staging', '1.1.0'))).toBe(false);
    clock = at('02:00');
    await updater.tick();
    expect(await readFile(join(dir, 'Atrium.AppImage'))).toEqual(oldBytes);
    expect(relaunches).toBe(0);
  });

  it('resumes an interrupted download with a Range request, reporting nothing for the interruption', async () => {
    feed.dropAfterBytes = 16_384;
    const updater = await openUpdater('1.0.0');
    await updater.checkFeed();
    await updater.settled();
    expect(types()).toEqual(['kiosk.update.available']);
    clock += 61_000;
    await updater.checkFeed();
    await updater.settled();
    expect(types()).toEqual(['kiosk.update.available', 'kiosk.update.downloaded']);
    expect(feed.artefactRanges[0]).toBe('');
    expect(feed.artefactRanges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(feed.artefactRanges[1]!)![0])).toBeGreaterThan(0);
  });

  it('rolls back to the previous version when sync does not work before the deadline, and records why', async () => {
    const updater = await openUpdater('1.0.0');
    await updater.checkFeed();
    await updater.settled();
    clock = at('02:00');
    await updater.tick();
    expect(relaunches).toBe(1);

    const restarted = await openUpdater('1.1.0');
    health = { rendererUp: true, syncOk: false };
    await restarted.checkHealth();
    clock = at('02:06');
    await restarted.tick();
    expect(events.at(-1)).toMatchObject({ type: 'kiosk.update.rolledback', data: { version: '1.1.0', fromVersion: '1.0.0', reason: expect.stringMatching(/sync not working/) } });
    expect(await readFile(join(dir, 'Atrium.AppImage'))).toEqual(oldBytes);
    expect(relaunches).toBe(2);

    const back = await openUpdater('1.0.0');
    expect(back.state()).toMatchObject({ runningVersion: '1.0.0', current: { step: 'idle' }, rejected: ['1.1.0'] });
    await back.checkFeed();
    await back.settled();
    expect(types().filter((t) => t === 'kiosk.update.available')).toHaveLength(1);
  });
});
