import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGateway } from '../edge/testing/testGateway';
import { makeTestDeviceKey } from '../edge/testing/testDeviceKey';
import { RELAUNCH_EXIT_CODE } from '../edge/updater/relaunchExitCode';
import { TestUpdateFeed } from '../edge/updater/testing/testUpdateFeed';
import { startShellProcess, testShellConfig, type ShellProcess } from './testing/shellProcess';

// The kiosk backend as Electron main forks it for a packaged AppImage
// (`shell/main.ts --no-browser --announce --app-version <v> --self-update $APPIMAGE`), on a
// stand-in gateway (signed uploads) and update feed: it finds the update, installs it while idle
// and exits asking main for a relaunch; started again as the new version, it confirms the update.
const dir = mkdtempSync(join(tmpdir(), 'atrium-shell-update-'));
const kioskId = 'mall-01-k778';
const deviceId = 'dev-k778';
const appImage = join(dir, 'Atrium.AppImage');
const oldBytes = randomBytes(30_000);
const newBytes = randomBytes(80_000);
let gateway: TestGateway;
let feed: TestUpdateFeed;
let configPath: string;

function startBackend(version: string): Promise<ShellProcess> {
  return startShellProcess(['--config', configPath, '--no-browser', '--announce', '--seed-demo', '--app-version', version, '--self-update', appImage]);
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const updateEvents = () => gateway.events.filter((e) => e.type.startsWith('kiosk.update.')).map((e) => e.type);

beforeAll(async () => {
  const key = makeTestDeviceKey(dir);
  gateway = await new TestGateway({ devices: [{ deviceId, kioskId, publicKey: key.publicKey }] }).start();
  feed = new TestUpdateFeed();
  await feed.start();
  feed.release = { version: '1.1.0', bytes: newBytes, rolloutId: 'ro-7' };
  writeFileSync(appImage, oldBytes);
  configPath = join(dir, 'kiosk.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      ...testShellConfig({ dataDir: join(dir, 'data'), kioskId, gatewayUrl: gateway.url, deviceId, deviceKeyPath: key.pemPath }),
      // The stand-in feed listens apart from the stand-in gateway; a real kiosk uses <gateway>/v1/updates.
      updates: { feedUrl: feed.url, idleBeforeInstallMs: 1_000, checkIntervalMs: 500, tickIntervalMs: 200, healthCheckIntervalMs: 200, fallbackWindow: { timeZone: 'UTC', spans: [{ start: '00:00', end: '00:00' }] } },
    }),
  );
});

afterAll(async () => {
  await feed?.stop();
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('self-update of the kiosk backend', () => {
  it('downloads with signed requests, waits for the shopper, installs while idle, exits for a relaunch, and confirms the new version after it', async () => {
    // Given a kiosk on 1.0.0 whose feed offers 1.1.0, with a shopper in a session
    const first = await startBackend('1.0.0');
    const session = (await first.call('startSession', { language: 'en' })) as { ok: boolean; value: { sessionId: string } };
    expect(session.ok).toBe(true);
    await until(() => updateEvents().includes('kiosk.update.downloaded'), 'the download to be recorded and uploaded');
    expect(feed.reportedVersions[0]).toBe('1.0.0');
    expect(new Set(feed.signedBy)).toEqual(new Set([deviceId]));

    // When the shopper leaves (the page goes back to its attract loop)
    await first.call('endSession', { sessionId: session.value.sessionId, reason: 'shopper', durationMs: 5_000 });
    await first.call('kioskInfo');

    // Then, once the kiosk has been quiet for a while, the new AppImage takes the old one's place
    // and the backend exits asking Electron main to relaunch the app
    expect(await first.exit).toBe(RELAUNCH_EXIT_CODE);
    expect(readFileSync(appImage).equals(newBytes)).toBe(true);
    expect(readFileSync(join(dir, 'data', 'updates', 'installed', '1.0.0.AppImage')).equals(oldBytes)).toBe(true);

    // When the app starts again as 1.1.0 and its page comes up
    const second = await startBackend('1.1.0');
    await second.call('kioskInfo');

    // Then the health check passes (renderer up, uploads acknowledged) and the update is confirmed
    await until(() => updateEvents().includes('kiosk.update.installed'), 'the installed report');
    expect(updateEvents()).toEqual(['kiosk.update.available', 'kiosk.update.downloaded', 'kiosk.update.installing', 'kiosk.update.installed']);
    // And the install waited for the session: downloaded during it, installing only after it ended
    const sequenceOf = (type: string) => gateway.events.find((e) => e.type === type)!.sequence;
    expect(sequenceOf('kiosk.update.downloaded')).toBeLessThan(sequenceOf('mall.session.ended'));
    expect(sequenceOf('mall.session.ended')).toBeLessThan(sequenceOf('kiosk.update.installing'));
    const installed = gateway.events.find((e) => e.type === 'kiosk.update.installed');
    expect(installed?.data).toMatchObject({ version: '1.1.0', fromVersion: '1.0.0', rolloutId: 'ro-7' });
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 180_000);
});
