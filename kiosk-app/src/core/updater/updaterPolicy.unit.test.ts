import { describe, expect, it } from 'vitest';
import { validateEvent, makeEvent, newEventId, type MaintenanceWindow } from '@atrium/contracts';
import { decideUpdate, installBlocker } from './updaterPolicy';
import { initialUpdaterState, type UpdaterInput, type UpdaterPolicy, type UpdaterState, type UpdateTarget } from './updaterState';

// 2026-01-15 is a winter Thursday; London is on GMT, so local time equals UTC.
const t = (hhmm: string) => Date.parse(`2026-01-15T${hhmm}:00Z`);
const window: MaintenanceWindow = { timeZone: 'Europe/London', spans: [{ start: '01:00', end: '05:00' }] };
const policy: UpdaterPolicy = { healthDeadlineMs: 5 * 60_000, maxAttemptsPerVersion: 3, retryDelayMs: 60_000, fallbackWindow: null };
const target: UpdateTarget = { version: '1.1.0', url: 'artefacts/stable-1.1.0/a.AppImage', sha512: 'A'.repeat(86) + '==', size: 1000, rolloutId: 'ro-1' };
const idle = { sessionActive: false, attractLoop: true };
const shopping = { sessionActive: true, attractLoop: false };

/** Runs inputs in order, collecting every event and effect. */
function run(inputs: UpdaterInput[], state: UpdaterState = initialUpdaterState('1.0.0')) {
  const events = [];
  const effects = [];
  for (const input of inputs) {
    const d = decideUpdate(state, input, policy);
    state = d.state;
    events.push(...d.events);
    effects.push(...d.effects);
  }
  return { state, events, effects };
}

const offered = (at = t('00:10')): UpdaterInput => ({ type: 'feedChecked', target, installWindow: window, at });
const verified = (at = t('00:20')): UpdaterInput => ({ type: 'downloadFinished', version: '1.1.0', sha512: target.sha512, size: 1000, at });

describe('the kiosk updater', () => {
  it('given the feed names a new version, then it announces it and downloads in the background', () => {
    const { state, events, effects } = run([offered()]);
    expect(events).toEqual([{ type: 'kiosk.update.available', data: { version: '1.1.0', fromVersion: '1.0.0', rolloutId: 'ro-1' } }]);
    expect(effects).toEqual([{ kind: 'download', target }]);
    expect(state.current.step).toBe('downloading');
  });

  it('given a verified download, then it records downloaded and waits for the kiosk to be idle', () => {
    const { state, events } = run([offered(), verified()]);
    expect(events.map((e) => e.type)).toEqual(['kiosk.update.available', 'kiosk.update.downloaded']);
    expect(state.current.step).toBe('downloaded');
  });

  it('given a download whose sha512 is wrong, then it is refused, discarded and recorded as failed', () => {
    const { state, events, effects } = run([offered(), { type: 'downloadFinished', version: '1.1.0', sha512: 'B'.repeat(86) + '==', size: 1000, at: t('00:20') }]);
    expect(events.at(-1)).toMatchObject({ type: 'kiosk.update.failed', data: { version: '1.1.0', fromVersion: '1.0.0', rolloutId: 'ro-1', reason: expect.stringMatching(/download refused: sha512/) } });
    expect(effects.at(-1)).toEqual({ kind: 'discardStaged', version: '1.1.0' });
    expect(state.current.step).toBe('idle');
    expect(state.attempts['1.1.0']).toBe(1);
    expect(events.some((e) => e.type === 'kiosk.update.downloaded')).toBe(false);
  });

  it('given a version that keeps arriving corrupt, then it gives up after the allowed attempts', () => {
    const bad: UpdaterInput[] = [];
    for (let i = 0; i < 3; i += 1) {
      bad.push(offered(t('00:10') + i * 120_000), { type: 'downloadFinished', version: '1.1.0', sha512: 'B'.repeat(86) + '==', size: 1000, at: t('00:11') + i * 120_000 });
    }
    const { state, events, effects } = run([...bad, offered(t('00:30'))]);
    expect(events.filter((e) => e.type === 'kiosk.update.failed')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'kiosk.update.available')).toHaveLength(1);
    expect(state.rejected).toContain('1.1.0');
    expect(effects.filter((e) => e.kind === 'download')).toHaveLength(3);
  });

  it('given an interrupted download, then nothing is reported and it resumes after the retry delay', () => {
    const interrupted = run([offered(), { type: 'downloadInterrupted', version: '1.1.0', reason: 'ECONNRESET', at: t('00:11') }]);
    expect(interrupted.events.map((e) => e.type)).toEqual(['kiosk.update.available']);
    const tooSoon = run([offered(t('00:11'))], interrupted.state);
    expect(tooSoon.effects).toEqual([]);
    const later = run([offered(t('00:13'))], interrupted.state);
    expect(later.effects).toEqual([{ kind: 'download', target }]);
    expect(later.events).toEqual([]);
  });

  describe('installing never interrupts a shopper', () => {
    const staged = () => run([offered(), verified()]).state;

    it('given a session in progress inside the window, then it does not install', () => {
      const { events, effects, state } = run([{ type: 'tick', activity: shopping, at: t('02:00') }], staged());
      expect(effects).toEqual([]);
      expect(events).toEqual([]);
      expect(installBlocker(state, shopping, t('02:00'), policy)).toBe('session active');
    });

    it('given an idle kiosk outside the window, then it does not install', () => {
      expect(run([{ type: 'tick', activity: idle, at: t('12:00') }], staged()).effects).toEqual([]);
      expect(installBlocker(staged(), idle, t('12:00'), policy)).toBe('outside maintenance window');
    });

    it('given no session but the kiosk not back on its attract loop, then it does not install', () => {
      expect(installBlocker(staged(), { sessionActive: false, attractLoop: false }, t('02:00'), policy)).toBe('not idle');
    });

    it('given the attract loop inside the window, then it records installing and installs', () => {
      const { events, effects, state } = run([{ type: 'tick', activity: idle, at: t('02:00') }], staged());
      expect(events.map((e) => e.type)).toEqual(['kiosk.update.installing']);
      expect(effects).toEqual([{ kind: 'install', target, fromVersion: '1.0.0' }]);
      expect(state.current).toMatchObject({ step: 'installing', fromVersion: '1.0.0' });
    });

    it('given a shopper arriving between the decision and the restart, then the update goes back to waiting', () => {
      const { state } = run([{ type: 'tick', activity: idle, at: t('02:00') }, { type: 'installDeferred', at: t('02:00') }], staged());
      expect(state.current.step).toBe('downloaded');
    });

    it('given no window from the feed and none configured, then it never installs', () => {
      const noWindow = run([{ type: 'feedChecked', target, installWindow: null, at: t('00:10') }, verified(), { type: 'tick', activity: idle, at: t('02:00') }]);
      expect(noWindow.effects.some((e) => e.kind === 'install')).toBe(false);
    });
  });

  describe('after the restart', () => {
    const installed = () => run([offered(), verified(), { type: 'tick', activity: idle, at: t('02:00') }, { type: 'started', runningVersion: '1.1.0', at: t('02:01') }]);

    it('given a passing health check before the deadline, then it records installed', () => {
      const { events, state } = run([{ type: 'healthReported', health: { rendererUp: true, syncOk: true }, at: t('02:03') }], installed().state);
      expect(events).toEqual([{ type: 'kiosk.update.installed', data: { version: '1.1.0', fromVersion: '1.0.0', rolloutId: 'ro-1', reason: expect.any(String) } }]);
      expect(state).toMatchObject({ runningVersion: '1.1.0', current: { step: 'idle' } });
    });

    it('given sync never working before the deadline, then it rolls back to the previous version and records why', () => {
      const { events, effects, state } = run(
        [
          { type: 'healthReported', health: { rendererUp: true, syncOk: false }, at: t('02:03') },
          { type: 'tick', activity: idle, at: t('02:05') },
          { type: 'tick', activity: idle, at: t('02:06') },
        ],
        installed().state,
      );
      expect(events).toEqual([
        { type: 'kiosk.update.rolledback', data: { version: '1.1.0', fromVersion: '1.0.0', rolloutId: 'ro-1', reason: expect.stringMatching(/sync not working.*rolling back to 1\.0\.0/) } },
      ]);
      expect(effects).toEqual([{ kind: 'rollback', toVersion: '1.0.0', fromVersion: '1.1.0' }]);
      const back = run([{ type: 'started', runningVersion: '1.0.0', at: t('02:07') }, offered(t('02:30'))], state);
      expect(back.state).toMatchObject({ runningVersion: '1.0.0', current: { step: 'idle' }, rejected: ['1.1.0'] });
      expect(back.effects).toEqual([]);
    });

    it('given the new version crashing and restarting past the deadline, then the next start rolls back', () => {
      const { events } = run([{ type: 'started', runningVersion: '1.1.0', at: t('02:30') }], installed().state);
      expect(events.map((e) => e.type)).toEqual(['kiosk.update.rolledback']);
    });

    it('given the old version starting after an install, then the install is recorded as failed', () => {
      const { events } = run([offered(), verified(), { type: 'tick', activity: idle, at: t('02:00') }, { type: 'started', runningVersion: '1.0.0', at: t('02:01') }]);
      expect(events.at(-1)).toMatchObject({ type: 'kiosk.update.failed', data: { reason: expect.stringMatching(/install did not take/) } });
    });
  });

  it('given the feed going back to the running version while a download is staged, then the download is dropped', () => {
    const { state, effects } = run([offered(), verified(), { type: 'feedChecked', target: { ...target, version: '1.0.0' }, installWindow: window, at: t('00:40') }]);
    expect(state.current.step).toBe('idle');
    expect(effects.at(-1)).toEqual({ kind: 'discardStaged', version: '1.1.0' });
  });

  it('makes only events the catalogue accepts', () => {
    const { events } = run([offered(), { type: 'downloadFinished', version: '1.1.0', sha512: 'x', size: 3, at: t('00:20') }]);
    for (const [i, e] of events.entries()) {
      expect(validateEvent(makeEvent(e, { id: newEventId(), kioskId: 'k-1', sequence: i + 1, time: '2026-01-15T00:20:00.000Z' })).ok).toBe(true);
    }
  });
});
