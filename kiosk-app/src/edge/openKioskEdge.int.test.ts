import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kioskDataFiles, type KioskEnrolmentFile } from '@atrium/contracts';
import { openKioskEdge, parseKioskEdgeConfig } from './openKioskEdge';
import { readEnrolment } from './sync/deviceKey';
import { TestGateway, type TestDevice } from './testing/testGateway';
import { makeTestDeviceKey } from './testing/testDeviceKey';
import { tempDataDir } from './testing/testKiosk';
import { offerClaimed } from './testing/sampleEvents';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('opening the kiosk edge from its data folder', () => {
  it('given an enrolled kiosk, then it records and uploads events, and keeps signing after a key rotation without a restart', async () => {
    const t = tempDataDir();
    cleanups.push(t.remove);
    const key = makeTestDeviceKey(t.dir, kioskDataFiles.signingKey);
    const device: TestDevice = { deviceId: 'dev-edge-1', kioskId: 'mall-03-k002', publicKey: key.publicKey };
    const gateway = await new TestGateway({ devices: [device] }).start();
    cleanups.push(() => gateway.stop());
    const enrolment: KioskEnrolmentFile = {
      deviceId: device.deviceId,
      kioskId: device.kioskId,
      mallId: 'mall-03',
      gatewayUrl: gateway.url,
      vpnAddress: '10.77.0.2',
      interfaceName: 'atrium0',
      enrolledAt: new Date().toISOString(),
      keyGeneration: 1,
    };
    writeFileSync(join(t.dir, kioskDataFiles.enrolment), JSON.stringify(enrolment));

    const enrolled = readEnrolment(t.dir);
    const config = parseKioskEdgeConfig({
      store: { dataDir: t.dir },
      outbox: { kioskId: enrolled.kioskId },
      sync: {},
      gateway: { url: enrolled.url, deviceId: enrolled.deviceId, deviceKeyPath: enrolled.deviceKeyPath },
    });
    expect(config.store.synchronous).toBe('FULL');
    const edge = openKioskEdge(config);
    cleanups.push(() => edge.close());

    edge.outbox.append(offerClaimed(1));
    expect(await edge.sync.syncOnce()).toMatchObject({ kind: 'uploaded', ackedThrough: 1 });

    // provisioning rotates the key in place; the registry learns the new public key
    const rotated = makeTestDeviceKey(t.dir, kioskDataFiles.signingKey);
    device.publicKey = rotated.publicKey;
    edge.outbox.append(offerClaimed(2));
    expect(await edge.sync.syncOnce()).toMatchObject({ kind: 'uploaded', ackedThrough: 2 });
    expect(gateway.events.map((e) => e.kioskid)).toEqual(['mall-03-k002', 'mall-03-k002']);
  });

  it('refuses a device key that other users can read', () => {
    const t = tempDataDir();
    cleanups.push(t.remove);
    const key = makeTestDeviceKey(t.dir);
    chmodSync(key.pemPath, 0o644);
    const config = parseKioskEdgeConfig({
      store: { dataDir: t.dir },
      outbox: { kioskId: 'mall-03-k002' },
      sync: {},
      gateway: { url: 'http://127.0.0.1:9', deviceId: 'dev', deviceKeyPath: key.pemPath },
    });
    expect(() => openKioskEdge(config)).toThrow(/readable by others/);
  });

  it('names the first invalid field of a bad configuration', () => {
    expect(() => parseKioskEdgeConfig({ store: { dataDir: '/x' }, outbox: { kioskId: 'NOT VALID' }, sync: {}, gateway: {} })).toThrow(/Invalid kiosk edge config at \/outbox\/kioskId|\/gateway/);
  });
});
