import { describe, expect, it } from 'vitest';
import { planReconcile, summariseDrift } from './reconcilePlan';
import { parseWgDump } from '../wireguard/wgDump';

const desired = [
  { deviceId: 'dev-a', publicKey: 'KA', allowedIp: '10.77.1.1/32' },
  { deviceId: 'dev-b', publicKey: 'KB', allowedIp: '10.77.1.2/32' },
];

describe('hub reconcile plan', () => {
  it('given a hub with exactly the desired peers, when planned, then nothing changes', () => {
    const actual = desired.map((p) => ({ publicKey: p.publicKey, allowedIps: [p.allowedIp] }));
    expect(planReconcile(desired, actual)).toEqual([]);
  });

  it('given an empty hub, when planned, then every desired peer is added', () => {
    expect(planReconcile(desired, []).map((a) => a.kind)).toEqual(['add', 'add']);
  });

  it('given an unknown peer and a wrong address, when planned, then the unknown peer goes first and the address is fixed', () => {
    const actual = [
      { publicKey: 'KX', allowedIps: ['10.77.1.9/32'] },
      { publicKey: 'KA', allowedIps: ['10.77.1.7/32'] },
      { publicKey: 'KB', allowedIps: ['10.77.1.2/32'] },
    ];
    const plan = planReconcile(desired, actual);
    expect(plan).toEqual([
      { kind: 'remove', publicKey: 'KX' },
      { kind: 'setAllowedIps', publicKey: 'KA', allowedIps: ['10.77.1.1/32'], deviceId: 'dev-a' },
    ]);
    expect(summariseDrift(plan)).toEqual({ missing: 0, unknown: 1, allowedIpsChanged: 1 });
  });

  it('given a rotated key, when planned, then the old peer is removed before the new one takes its address', () => {
    const plan = planReconcile([{ deviceId: 'dev-a', publicKey: 'KA2', allowedIp: '10.77.1.1/32' }], [{ publicKey: 'KA', allowedIps: ['10.77.1.1/32'] }]);
    expect(plan.map((a) => `${a.kind}:${a.publicKey}`)).toEqual(['remove:KA', 'add:KA2']);
  });
});

describe('wg dump parsing', () => {
  const dump = [
    'PRIVATEKEY=\tPUBKEY=\t51820\toff',
    'PEER1=\t(none)\t10.250.0.11:41000\t10.77.1.1/32\t1767225600\t1024\t2048\t25',
    'PEER2=\t(none)\t(none)\t(none)\t0\t0\t0\toff',
  ].join('\n');

  it('reads the interface and every peer, and keeps no private key', () => {
    const parsed = parseWgDump(dump);
    expect(parsed).toEqual({
      publicKey: 'PUBKEY=',
      listenPort: 51820,
      peers: [
        { publicKey: 'PEER1=', endpoint: '10.250.0.11:41000', allowedIps: ['10.77.1.1/32'], latestHandshakeS: 1767225600, rxBytes: 1024, txBytes: 2048, persistentKeepaliveS: 25 },
        { publicKey: 'PEER2=', endpoint: null, allowedIps: [], latestHandshakeS: 0, rxBytes: 0, txBytes: 0, persistentKeepaliveS: null },
      ],
    });
    expect(JSON.stringify(parsed)).not.toContain('PRIVATEKEY');
  });

  it('refuses text that is not a dump', () => {
    expect(() => parseWgDump('')).toThrow(/interface line/);
  });
});
