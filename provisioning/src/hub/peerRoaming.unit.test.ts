import { describe, expect, it } from 'vitest';
import { endpointHost, observeEndpoints, type RoamingHistory } from './peerRoaming';

const options = { windowS: 600, threshold: 3 };

function replay(endpoints: string[], stepS = 10) {
  let history = new Map<string, RoamingHistory>();
  let alerts: ReturnType<typeof observeEndpoints>['alerts'] = [];
  endpoints.forEach((endpoint, i) => {
    ({ history, alerts } = observeEndpoints(history, [{ publicKey: 'K', endpoint }], 1_000 + i * stepS, options));
  });
  return alerts;
}

describe('peer roaming (the same key seen from two places)', () => {
  it('reads the host of IPv4 and IPv6 endpoints', () => {
    expect(endpointHost('10.250.0.11:41000')).toBe('10.250.0.11');
    expect(endpointHost('[2001:db8::1]:51820')).toBe('2001:db8::1');
  });

  it('given one kiosk whose NAT port changes, when observed, then nothing is flagged', () => {
    expect(replay(['198.51.100.7:1000', '198.51.100.7:2000', '198.51.100.7:3000', '198.51.100.7:4000'])).toEqual([]);
  });

  it('given a kiosk that moved network once, when observed, then nothing is flagged', () => {
    expect(replay(['198.51.100.7:1000', '203.0.113.9:1000', '203.0.113.9:1000'])).toEqual([]);
  });

  it('given a key flipping between two hosts, when observed, then it is flagged with both hosts', () => {
    expect(replay(['198.51.100.7:1000', '203.0.113.9:1000', '198.51.100.7:1000', '203.0.113.9:1000'])).toEqual([{ publicKey: 'K', hosts: ['198.51.100.7', '203.0.113.9'], changes: 3 }]);
  });

  it('given flips spread wider than the window, when observed, then old flips no longer count', () => {
    expect(replay(['198.51.100.7:1', '203.0.113.9:1', '198.51.100.7:1', '203.0.113.9:1'], 400)).toEqual([]);
  });
});
