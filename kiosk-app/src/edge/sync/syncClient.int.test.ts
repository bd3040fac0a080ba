import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { TestGateway, type TestGatewayOptions } from '../testing/testGateway';
import { makeTestDeviceKey } from '../testing/testDeviceKey';
import { openTestKiosk, skewedClockSource, tempDataDir, type TestKiosk } from '../testing/testKiosk';
import { heartbeat, offerClaimed } from '../testing/sampleEvents';
import { HttpBatchUploader } from './httpBatchUploader';
import { loadDevicePrivateKey } from './deviceKey';
import { SyncClient, type SyncClientConfig } from './syncClient';

const KIOSK = 'mall-01-k007';
const DEVICE = 'dev-7f3a';
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Rig {
  kiosk: TestKiosk;
  gateway: TestGateway;
  sync: SyncClient;
}

async function rig(options: { gateway?: Partial<TestGatewayOptions>; sync?: Partial<SyncClientConfig>; kioskSkewMs?: number; registeredKey?: 'own' | 'other' } = {}): Promise<Rig> {
  const t = tempDataDir();
  const key = makeTestDeviceKey(t.dir);
  const publicKey = options.registeredKey === 'other' ? generateKeyPairSync('ed25519').publicKey : key.publicKey;
  const gateway = await new TestGateway({ devices: [{ deviceId: DEVICE, kioskId: KIOSK, publicKey }], ...options.gateway }).start();
  const kiosk = openTestKiosk(t.dir, { kioskId: KIOSK, clockSource: skewedClockSource(options.kioskSkewMs ?? 0) });
  const uploader = new HttpBatchUploader({ gatewayUrl: gateway.url, deviceId: DEVICE, privateKey: loadDevicePrivateKey(key.pemPath), requestTimeoutMs: 5_000 });
  const sync = new SyncClient({ outbox: kiosk.outbox, uploader, config: { backoffBaseMs: 10, backoffCapMs: 50, ...options.sync }, random: () => 0.5 });
  cleanups.push(t.remove, () => kiosk.close(), () => gateway.stop());
  return { kiosk, gateway, sync };
}

/** Sleeps until the kiosk's own (corrected) clock reaches `until`. */
async function sleepUntil(kiosk: TestKiosk, until: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const left = until - kiosk.clock.nowMs();
    if (left < 0) return;
    await new Promise((r) => setTimeout(r, left + 2));
  }
}

/** Runs steps until nothing is left to send (waiting out backoff), bounded. */
async function drain({ sync, kiosk }: Rig, maxSteps = 100): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    const step = await sync.syncOnce();
    if (step.kind === 'idle') return;
    if (step.kind === 'wait') await sleepUntil(kiosk, step.until);
  }
  throw new Error('did not drain');
}

describe('the sync client against a gateway', () => {
  it('given queued events, then it uploads a signed gzip batch, and marks delivered through ackedThrough', async () => {
    const r = await rig();
    const { kiosk, gateway, sync } = r;
    for (let i = 0; i < 5; i++) kiosk.outbox.append(offerClaimed(i));
    kiosk.outbox.append(heartbeat());
    expect(sync.status()).toMatchObject({ queue: { business: 5, telemetry: 1, total: 6 }, online: false });
    expect(await sync.syncOnce()).toEqual({ kind: 'uploaded', from: 1, to: 6, ackedThrough: 6 });
    expect(gateway.events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    const status = sync.status();
    expect(status).toMatchObject({ online: true, queue: { total: 0 }, ackedThrough: 6, lastError: null, oldestUndeliveredAgeMs: null });
    expect(status.lastSuccessAt).not.toBeNull();
    expect(status.clockOffsetMs).not.toBeNull();
  });

  it('given a 503 with Retry-After, then it waits at least that long and shows the error', async () => {
    const r = await rig({ sync: { maxRetryAfterMs: 3_600_000 } });
    const { kiosk, gateway, sync } = r;
    kiosk.outbox.append(offerClaimed());
    gateway.failNext({ kind: 'status', status: 503, code: 'BACKEND_UNAVAILABLE', retryAfterS: 120 });
    const before = Date.now();
    expect(await sync.syncOnce()).toMatchObject({ kind: 'failed', failure: { status: 503, code: 'BACKEND_UNAVAILABLE', retryAfterMs: 120_000 } });
    const step = await sync.syncOnce();
    expect(step.kind).toBe('wait');
    expect(step.kind === 'wait' && step.until - before).toBeGreaterThanOrEqual(119_000);
    expect(sync.status()).toMatchObject({ online: true, lastError: { code: 'BACKEND_UNAVAILABLE', status: 503 }, queue: { total: 1 } });
  });

  it('given a dropped connection, then it shows offline, backs off, and delivers once the link is back', async () => {
    const r = await rig();
    const { kiosk, gateway, sync } = r;
    for (let i = 0; i < 3; i++) kiosk.outbox.append(offerClaimed(i));
    gateway.failNext({ kind: 'drop' });
    expect(await sync.syncOnce()).toMatchObject({ kind: 'failed', failure: { kind: 'network' } });
    expect(sync.status()).toMatchObject({ online: false, link: 'offline', lastError: { code: 'NETWORK' } });
    await drain(r);
    expect(gateway.events.map((e) => e.sequence)).toEqual([1, 2, 3]);
  });

  it('given the acknowledgement is lost after the gateway stored the batch, then the resend is deduplicated and each event arrives once', async () => {
    const r = await rig();
    const { kiosk, gateway } = r;
    for (let i = 0; i < 4; i++) kiosk.outbox.append(offerClaimed(i));
    gateway.failNext({ kind: 'drop-after-commit' });
    await drain(r);
    expect(gateway.events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(gateway.stats.duplicates).toBe(4);
    expect(kiosk.outbox.watermarks().ackedThrough).toBe(4);
  });

  it('given rejected events, then they are recorded for diagnostics, acknowledged and not resent', async () => {
    const r = await rig();
    const { kiosk, gateway, sync } = r;
    for (let i = 0; i < 5; i++) kiosk.outbox.append(offerClaimed(i));
    gateway.rejectOnArrival(2, 4);
    await drain(r);
    expect(gateway.events.map((e) => e.sequence)).toEqual([1, 3, 5]);
    expect(gateway.stats.requests).toBe(1);
    expect(kiosk.outbox.recentRejections().map((r) => r.sequence)).toEqual([4, 2]);
    expect(sync.status()).toMatchObject({ rejectionsRecorded: 2, queue: { total: 0 } });
  });

  it('given a partial acknowledgement, then the next batch continues right after it', async () => {
    const r = await rig();
    const { kiosk, gateway, sync } = r;
    for (let i = 0; i < 6; i++) kiosk.outbox.append(offerClaimed(i));
    gateway.failNext({ kind: 'partial', limit: 2 });
    expect(await sync.syncOnce()).toMatchObject({ kind: 'uploaded', ackedThrough: 2 });
    expect(await sync.syncOnce()).toMatchObject({ kind: 'uploaded', from: 3, ackedThrough: 6 });
  });

  it('given batches larger than the gateway accepts, then the batch is halved until it fits', async () => {
    const r = await rig({ gateway: { maxEventsPerBatch: 3 } });
    const { kiosk, gateway } = r;
    for (let i = 0; i < 10; i++) kiosk.outbox.append(offerClaimed(i));
    await drain(r);
    expect(gateway.events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('given a device the gateway does not know, then the failing head is shown as blocked instead of retried hot', async () => {
    const r = await rig({ registeredKey: 'other', sync: { headFailureLimit: 3, blockedRetryMs: 3_600_000 } });
    const { kiosk, gateway, sync } = r;
    kiosk.outbox.append(offerClaimed());
    for (let i = 0; i < 20; i++) {
      const step = await sync.syncOnce();
      if (step.kind === 'wait') {
        if (step.until - Date.now() > 60_000) break;
        await sleepUntil(kiosk, step.until);
      }
    }
    expect(gateway.stats.requests).toBe(3);
    const status = sync.status();
    expect(status.headTrouble).toMatchObject({ from: 1, failures: 3, code: 'SIGNATURE_INVALID', blocked: true });
    expect(status.nextAttemptAt! - Date.now()).toBeGreaterThan(60_000);
  });

  it('given a kiosk clock ten minutes behind, then the gateway refuses the first signature, the kiosk learns the time from the reply, and then succeeds with corrected event times', async () => {
    const r = await rig({ kioskSkewMs: -600_000 });
    const { kiosk, gateway, sync } = r;
    kiosk.outbox.append(offerClaimed());
    expect(await sync.syncOnce()).toMatchObject({ kind: 'failed', failure: { status: 401, code: 'SIGNATURE_EXPIRED' } });
    expect(sync.status().clockOffsetMs).toBeGreaterThan(598_000);
    await drain(r);
    kiosk.outbox.append(offerClaimed());
    await drain(r);
    const [first, second] = gateway.events;
    expect(Date.now() - Date.parse(first!.time)).toBeGreaterThan(590_000); // stamped before the kiosk knew
    expect(Math.abs(Date.now() - Date.parse(second!.time))).toBeLessThan(10_000);
    expect(Date.parse(second!.time) - Date.parse(second!.rawtime!)).toBeGreaterThan(598_000);
  });

  it('runs one loop at a time, wakes on new events, and stops cleanly on abort', async () => {
    const r = await rig({ sync: { idlePollMs: 3_600_000 } });
    const { kiosk, gateway, sync } = r;
    const controller = new AbortController();
    const loop = sync.run(controller.signal);
    await expect(sync.run(controller.signal)).rejects.toMatchObject({ code: 'CONFLICT' });
    kiosk.outbox.append(offerClaimed());
    for (let i = 0; i < 200 && gateway.events.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(gateway.events).toHaveLength(1);
    controller.abort();
    await loop;
    expect(sync.isRunning()).toBe(false);
  });

  it('given an upload in flight, when the loop is aborted, then nothing is marked and the batch is sent again later', async () => {
    const r = await rig();
    const { kiosk, gateway, sync } = r;
    kiosk.outbox.append(offerClaimed());
    gateway.failNext({ kind: 'delay', ms: 2_000 });
    const controller = new AbortController();
    const step = sync.syncOnce(controller.signal);
    setTimeout(() => controller.abort(), 100);
    expect(await step).toEqual({ kind: 'aborted' });
    expect(kiosk.outbox.watermarks().ackedThrough).toBe(0);
    await drain(r);
    expect(kiosk.outbox.watermarks().ackedThrough).toBe(1);
    expect(gateway.events.map((e) => e.sequence)).toEqual([1]);
  });
});
