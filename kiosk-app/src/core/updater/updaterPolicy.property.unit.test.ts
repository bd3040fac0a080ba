import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MaintenanceWindow } from '@atrium/contracts';
import { isInsideMaintenanceWindow } from './maintenanceWindow';
import { decideUpdate } from './updaterPolicy';
import { initialUpdaterState, type UpdaterInput, type UpdaterPolicy, type UpdateTarget } from './updaterState';

const window: MaintenanceWindow = { timeZone: 'Europe/Berlin', spans: [{ start: '02:00', end: '04:00' }] };
const policy: UpdaterPolicy = { healthDeadlineMs: 120_000, maxAttemptsPerVersion: 3, retryDelayMs: 30_000, fallbackWindow: null };
const targets: UpdateTarget[] = ['1.1.0', '1.2.0'].map((version) => ({ version, url: `a/${version}`, sha512: `${version}-digest`, size: 10 }));

const input: fc.Arbitrary<(at: number) => UpdaterInput> = fc.oneof(
  fc.constantFrom(...targets, null).map((target) => (at: number): UpdaterInput => ({ type: 'feedChecked', target, installWindow: window, at })),
  fc.tuple(fc.constantFrom(...targets), fc.boolean()).map(([t, good]) => (at: number): UpdaterInput => ({ type: 'downloadFinished', version: t.version, sha512: good ? t.sha512 : 'bad', size: 10, at })),
  fc.constantFrom(...targets).map((t) => (at: number): UpdaterInput => ({ type: 'downloadInterrupted', version: t.version, reason: 'reset', at })),
  fc.record({ sessionActive: fc.boolean(), attractLoop: fc.boolean() }).map((activity) => (at: number): UpdaterInput => ({ type: 'tick', activity, at })),
  fc.constantFrom('1.0.0', '1.1.0', '1.2.0').map((runningVersion) => (at: number): UpdaterInput => ({ type: 'started', runningVersion, at })),
  fc.record({ rendererUp: fc.boolean(), syncOk: fc.boolean() }).map((health) => (at: number): UpdaterInput => ({ type: 'healthReported', health, at })),
  fc.constant((at: number): UpdaterInput => ({ type: 'installFailed', reason: 'disk full', at })),
  fc.constant((at: number): UpdaterInput => ({ type: 'installDeferred', at })),
);

describe('the kiosk updater, over any sequence of inputs', () => {
  it('installs only on a tick with no session, on the attract loop, inside the window; reports installed only on a healthy check', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(input, fc.integer({ min: 0, max: 20 * 60_000 })), { maxLength: 60 }), (steps) => {
        let state = initialUpdaterState('1.0.0');
        let at = Date.parse('2026-06-10T23:30:00Z');
        for (const [make, gap] of steps) {
          at += gap;
          const next = make(at);
          const decision = decideUpdate(state, next, policy);
          if (decision.effects.some((e) => e.kind === 'install')) {
            expect(next.type).toBe('tick');
            if (next.type === 'tick') {
              expect(next.activity).toEqual({ sessionActive: false, attractLoop: true });
              expect(isInsideMaintenanceWindow(window, new Date(at))).toBe(true);
            }
          }
          if (decision.events.some((e) => e.type === 'kiosk.update.installed')) {
            expect(next).toMatchObject({ type: 'healthReported', health: { rendererUp: true, syncOk: true } });
          }
          state = decision.state;
        }
      }),
      { numRuns: 500 },
    );
  });
});
