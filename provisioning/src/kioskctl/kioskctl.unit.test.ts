import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EnrolmentResult } from '../api/schemas';
import { diagnose } from './diagChecks';
import { clockOffsetMs } from './gatewayProbe';
import { fingerprintOf, readHardwareIdentity } from './hardwareFingerprint';
import type { KioskStatus } from './kioskStatus';
import { nextStepForEnrolment } from './nextSteps';
import { ProvisioningRefusal } from './provisioningClient';
import { renderWireguardConfig } from './wireguardConfigFile';

const enrolment: EnrolmentResult = {
  deviceId: 'dev-1',
  kioskId: 'kiosk-1',
  mallId: 'mall-1',
  keyGeneration: 1,
  vpnAddress: '10.77.1.2',
  wireguard: { address: '10.77.1.2/32', hubPublicKey: 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=', endpoint: '198.51.100.7:51820', allowedIps: ['10.77.0.1/32'], persistentKeepaliveS: 25 },
  gatewayUrl: 'http://10.77.0.1:8443',
};

describe('the WireGuard configuration file', () => {
  it('names the hub peer and holds no private key', () => {
    const text = renderWireguardConfig(enrolment, '/data/keys/wireguard.key');
    expect(text).toContain('[Peer]\nPublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\nEndpoint = 198.51.100.7:51820\nAllowedIPs = 10.77.0.1/32\nPersistentKeepalive = 25');
    expect(text).not.toMatch(/PrivateKey/);
  });
});

describe('the hardware fingerprint', () => {
  const root = mkdtempSync(join(tmpdir(), 'atrium-sys-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('does not depend on the order of its parts, and changes with any part', () => {
    expect(fingerprintOf(['a', 'b'])).toBe(fingerprintOf(['b', 'a']));
    expect(fingerprintOf(['a', 'b'])).not.toBe(fingerprintOf(['a', 'c']));
    expect(fingerprintOf(['a'])).toMatch(/^[0-9a-f]{64}$/);
    expect(() => fingerprintOf([])).toThrow(/--hardware-id/);
  });

  it('reads DMI ids and physical NICs, skipping placeholders and virtual interfaces', () => {
    mkdirSync(join(root, 'class/dmi/id'), { recursive: true });
    writeFileSync(join(root, 'class/dmi/id/product_uuid'), '4C4C4544-0042-3510-8052-B4C04F4A4E32\n');
    writeFileSync(join(root, 'class/dmi/id/board_serial'), 'To be filled by O.E.M.\n');
    for (const [nic, mac, physical] of [
      ['eth0', '52:54:00:12:34:56', true],
      ['veth1', 'aa:bb:cc:dd:ee:ff', false],
    ] as const) {
      mkdirSync(join(root, 'class/net', nic), { recursive: true });
      writeFileSync(join(root, 'class/net', nic, 'address'), `${mac}\n`);
      if (physical) mkdirSync(join(root, 'class/net', nic, 'device'));
    }
    expect(readHardwareIdentity(root)).toEqual(['dmi.product_uuid=4c4c4544-0042-3510-8052-b4c04f4a4e32', 'nic=52:54:00:12:34:56']);
  });
});

describe('clock offset', () => {
  it('compares the server time with the midpoint of the request', () => {
    expect(clockOffsetMs(1_000, 1_200, 1_100)).toBe(0);
    expect(clockOffsetMs(1_000, 1_200, 6_100)).toBe(5_000);
  });
});

describe('next steps after a refused enrolment', () => {
  it('tell the technician what to do for each refusal, and what to check when the server is unreachable', () => {
    const refusal = (code: string) => new ProvisioningRefusal({ type: 't', title: 't', status: 409, code });
    expect(nextStepForEnrolment(refusal('TOKEN_EXPIRED'), 'https://p.example')).toMatch(/new token/);
    expect(nextStepForEnrolment(refusal('APPROVAL_REQUIRED'), 'https://p.example')).toMatch(/approve/);
    expect(nextStepForEnrolment(refusal('ADDRESS_POOL_EXHAUSTED'), 'https://p.example')).toMatch(/pool/);
    expect(nextStepForEnrolment(new TypeError('fetch failed'), 'https://p.example')).toContain('curl https://p.example/healthz');
  });
});

describe('diagnosis', () => {
  const healthy: KioskStatus = {
    checkedAt: '2026-03-01T10:00:00.000Z',
    enrolled: true,
    deviceId: 'dev-1',
    kioskId: 'kiosk-1',
    mallId: 'mall-1',
    keyGeneration: 1,
    interfaceName: 'atrium0',
    vpnAddress: '10.77.1.2',
    gatewayUrl: 'http://10.77.0.1:8443',
    tunnel: { interfaceUp: true, handshakeAgeS: 12, rxBytes: 100, txBytes: 200, hubEndpoint: '198.51.100.7:51820', routedThroughTunnel: true },
    gateway: { reachable: true, status: 200, rttMs: 4, clockOffsetMs: 120, refusal: null, error: null },
    clockOffsetMs: 120,
    queue: { depth: 3, lastSyncAt: '2026-03-01T09:59:00.000Z', unavailable: null },
    disk: { path: '/data', freeBytes: 50e9, totalBytes: 100e9, usedPercent: 50 },
    hardwareMatches: true,
    keyFilesPrivate: true,
  };

  it('given a healthy kiosk, when diagnosed, then every check is ok', () => {
    expect(diagnose(healthy).filter((c) => c.verdict !== 'ok')).toEqual([]);
  });

  it('given a copied disk, a stale handshake and a drifting clock, when diagnosed, then each is flagged with a next step', () => {
    const checks = diagnose({ ...healthy, hardwareMatches: false, tunnel: { ...healthy.tunnel, handshakeAgeS: 900 }, clockOffsetMs: 400_000 });
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['hardware']).toMatchObject({ verdict: 'fail' });
    expect(byName['tunnel']).toMatchObject({ verdict: 'warn' });
    expect(byName['clock']).toMatchObject({ verdict: 'fail' });
    expect(checks.filter((c) => c.verdict !== 'ok').every((c) => c.next)).toBe(true);
  });

  it('given a rebooted kiosk whose tunnel is gone, when diagnosed, then it says to run kioskctl up', () => {
    const down = { ...healthy, tunnel: { ...healthy.tunnel, interfaceUp: false, handshakeAgeS: null }, gateway: { ...healthy.gateway!, reachable: false, status: null, error: 'UND_ERR_CONNECT_TIMEOUT' } };
    expect(diagnose(down).find((c) => c.name === 'tunnel')).toMatchObject({ verdict: 'fail', next: expect.stringContaining('kioskctl up') });
  });

  it('given a revoked kiosk, when diagnosed, then the gateway check names the refusal and the way back', () => {
    const revoked = { ...healthy, gateway: { ...healthy.gateway!, reachable: false, status: 403, refusal: 'DEVICE_REVOKED', error: 'HTTP 403 DEVICE_REVOKED' } };
    expect(diagnose(revoked).find((c) => c.name === 'gateway')).toMatchObject({ verdict: 'fail', detail: expect.stringContaining('DEVICE_REVOKED'), next: expect.stringMatching(/new token.*approve/) });
  });

  it('given no enrolment, when diagnosed, then the one check says how to enrol', () => {
    expect(diagnose({ ...healthy, enrolled: false })).toEqual([expect.objectContaining({ name: 'enrolment', verdict: 'fail', next: expect.stringContaining('kioskctl enrol') })]);
  });
});
