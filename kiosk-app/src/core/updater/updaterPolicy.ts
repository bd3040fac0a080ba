import type { CatalogueEvent } from '@atrium/contracts';
import { isInsideMaintenanceWindow } from './maintenanceWindow';
import type { KioskActivity, UpdateTarget, UpdaterDecision, UpdaterInput, UpdaterPolicy, UpdaterState } from './updaterState';

// The kiosk updater as a pure decision: state + input → next state, the kiosk.update.* events to
// record, and the effects for the edge to carry out (download, install, roll back). Time is a
// parameter. Only definite failures are reported as failed (a bad digest, an install that did not
// take): an interrupted download is retried quietly and resumed, so a flaky link cannot halt a rollout.

type UpdateEventType = 'kiosk.update.available' | 'kiosk.update.downloaded' | 'kiosk.update.installing' | 'kiosk.update.installed' | 'kiosk.update.failed' | 'kiosk.update.rolledback';

const MAX_REASON = 500;
const MAX_REJECTED = 20;

function event(type: UpdateEventType, target: UpdateTarget, fromVersion: string, reason?: string): CatalogueEvent {
  return {
    type,
    data: {
      version: target.version,
      ...(fromVersion !== target.version ? { fromVersion } : {}),
      ...(target.rolloutId ? { rolloutId: target.rolloutId } : {}),
      ...(reason ? { reason: reason.slice(0, MAX_REASON) } : {}),
    },
  };
}

const same = (state: UpdaterState): UpdaterDecision => ({ state, events: [], effects: [] });

/** Why an update that is ready would not install now, or null when it may. */
export function installBlocker(state: UpdaterState, activity: KioskActivity, at: number, policy: UpdaterPolicy): 'session active' | 'not idle' | 'no maintenance window' | 'outside maintenance window' | null {
  if (activity.sessionActive) return 'session active';
  if (!activity.attractLoop) return 'not idle';
  const window = state.installWindow ?? policy.fallbackWindow;
  if (!window) return 'no maintenance window';
  return isInsideMaintenanceWindow(window, new Date(at)) ? null : 'outside maintenance window';
}

/** Counts a definite failure of the target; gives the version up once it failed too often. */
function failed(state: UpdaterState, target: UpdateTarget, reason: string, at: number, policy: UpdaterPolicy, fromVersion = state.runningVersion): UpdaterDecision {
  const attempts = (state.attempts[target.version] ?? 0) + 1;
  const giveUp = attempts >= policy.maxAttemptsPerVersion;
  const detail = giveUp ? `${reason}; giving up on ${target.version} after ${attempts} attempts` : reason;
  return {
    state: {
      ...state,
      current: { step: 'idle' },
      attempts: { ...state.attempts, [target.version]: attempts },
      rejected: giveUp ? [...state.rejected, target.version].slice(-MAX_REJECTED) : state.rejected,
      notBefore: at + policy.retryDelayMs,
    },
    events: [event('kiosk.update.failed', target, fromVersion, detail)],
    effects: [{ kind: 'discardStaged', version: target.version }],
  };
}

function onFeed(state: UpdaterState, input: Extract<UpdaterInput, { type: 'feedChecked' }>): UpdaterDecision {
  const withWindow = { ...state, installWindow: input.installWindow ?? state.installWindow };
  const { current } = withWindow;
  // Mid-install or mid-verification the feed waits: the update in hand is finished first.
  if (current.step === 'installing' || current.step === 'verifying' || current.step === 'rollingBack') return same(withWindow);
  const target = input.target;
  const held = current.step === 'downloading' || current.step === 'downloaded' ? current.target : null;
  if (!target || target.version === withWindow.runningVersion || withWindow.rejected.includes(target.version)) {
    // The feed no longer names what we hold (a halted rollout, a rollback): drop it.
    if (held && held.version !== target?.version) {
      return { state: { ...withWindow, current: { step: 'idle' } }, events: [], effects: [{ kind: 'discardStaged', version: held.version }] };
    }
    return same(withWindow);
  }
  if (held && held.version === target.version && held.sha512 === target.sha512) return same(withWindow);
  if (input.at < withWindow.notBefore) return same(withWindow);
  const effects: UpdaterDecision['effects'] = held ? [{ kind: 'discardStaged', version: held.version }] : [];
  effects.push({ kind: 'download', target });
  const announce = withWindow.announced !== target.version;
  return {
    state: { ...withWindow, current: { step: 'downloading', target, startedAt: input.at }, announced: target.version },
    events: announce ? [event('kiosk.update.available', target, withWindow.runningVersion)] : [],
    effects,
  };
}

function onStarted(state: UpdaterState, input: Extract<UpdaterInput, { type: 'started' }>, policy: UpdaterPolicy): UpdaterDecision {
  const { current } = state;
  const running = { ...state, runningVersion: input.runningVersion };
  switch (current.step) {
    case 'installing':
      if (input.runningVersion === current.target.version) {
        return same({ ...running, current: { step: 'verifying', target: current.target, fromVersion: current.fromVersion, deadline: input.at + policy.healthDeadlineMs, lastHealth: null } });
      }
      return failed(running, current.target, `install did not take: ${input.runningVersion} started instead of ${current.target.version}`, input.at, policy, current.fromVersion);
    case 'verifying':
      if (input.runningVersion === current.fromVersion) {
        return {
          state: { ...running, current: { step: 'idle' }, rejected: [...state.rejected, current.target.version].slice(-MAX_REJECTED) },
          events: [event('kiosk.update.rolledback', current.target, current.fromVersion, 'the previous version started again before the health check passed')],
          effects: [],
        };
      }
      // A restart during verification (a crash, a watchdog) keeps the original deadline.
      return input.at >= current.deadline ? rollBack(running, current, policy) : same(running);
    case 'rollingBack':
      if (input.runningVersion === current.fromVersion) {
        return same({ ...running, current: { step: 'idle' }, rejected: [...state.rejected, current.target.version].slice(-MAX_REJECTED) });
      }
      // Still on the bad version: ask again.
      return { state: running, events: [], effects: [{ kind: 'rollback', toVersion: current.fromVersion, fromVersion: current.target.version }] };
    case 'idle':
    case 'downloading':
    case 'downloaded':
      // A download in flight died with the process; the next feed check starts it again.
      return same({ ...running, current: current.step === 'downloading' ? { step: 'idle' } : current });
    default: {
      const never: never = current;
      throw new Error(`unknown updater step ${JSON.stringify(never)}`);
    }
  }
}

function rollBack(state: UpdaterState, current: Extract<UpdaterState['current'], { step: 'verifying' }>, _policy: UpdaterPolicy): UpdaterDecision {
  const seen = current.lastHealth;
  const why = !seen ? 'no health report' : [!seen.rendererUp ? 'renderer not up' : null, !seen.syncOk ? 'sync not working' : null].filter(Boolean).join(', ');
  const reason = `health check did not pass before the deadline (${why}); rolling back to ${current.fromVersion}`;
  return {
    state: { ...state, current: { step: 'rollingBack', target: current.target, fromVersion: current.fromVersion, reason } },
    events: [event('kiosk.update.rolledback', current.target, current.fromVersion, reason)],
    effects: [{ kind: 'rollback', toVersion: current.fromVersion, fromVersion: current.target.version }],
  };
}

/** Decides what one input means for the updater. */
export function decideUpdate(state: UpdaterState, input: UpdaterInput, policy: UpdaterPolicy): UpdaterDecision {
  const { current } = state;
  switch (input.type) {
    case 'started':
      return onStarted(state, input, policy);
    case 'feedChecked':
      return onFeed(state, input);
    case 'downloadFinished': {
      if (current.step !== 'downloading' || current.target.version !== input.version) return same(state);
      const { target } = current;
      if (input.size !== target.size || input.sha512 !== target.sha512) {
        const why = input.size !== target.size ? `size ${input.size} instead of ${target.size}` : `sha512 ${input.sha512.slice(0, 16)}… instead of ${target.sha512.slice(0, 16)}…`;
        return failed(state, target, `download refused: ${why}`, input.at, policy);
      }
      return { state: { ...state, current: { step: 'downloaded', target } }, events: [event('kiosk.update.downloaded', target, state.runningVersion)], effects: [] };
    }
    case 'downloadInterrupted':
      if (current.step !== 'downloading' || current.target.version !== input.version) return same(state);
      return same({ ...state, current: { step: 'idle' }, notBefore: input.at + policy.retryDelayMs });
    case 'tick': {
      if (current.step === 'verifying') return input.at >= current.deadline ? rollBack(state, current, policy) : same(state);
      if (current.step !== 'downloaded' || installBlocker(state, input.activity, input.at, policy) !== null) return same(state);
      return {
        state: { ...state, current: { step: 'installing', target: current.target, fromVersion: state.runningVersion, startedAt: input.at } },
        events: [event('kiosk.update.installing', current.target, state.runningVersion)],
        effects: [{ kind: 'install', target: current.target, fromVersion: state.runningVersion }],
      };
    }
    case 'installDeferred':
      // A shopper arrived between the decision and the restart: the update waits, already staged.
      return current.step === 'installing' ? same({ ...state, current: { step: 'downloaded', target: current.target } }) : same(state);
    case 'installFailed':
      return current.step === 'installing' ? failed(state, current.target, `install failed: ${input.reason}`, input.at, policy) : same(state);
    case 'healthReported': {
      if (current.step !== 'verifying') return same(state);
      const { health } = input;
      if (!health.rendererUp || !health.syncOk || input.at >= current.deadline) return same({ ...state, current: { ...current, lastHealth: health } });
      const attempts = { ...state.attempts };
      delete attempts[current.target.version];
      return {
        state: { ...state, current: { step: 'idle' }, attempts },
        events: [event('kiosk.update.installed', current.target, current.fromVersion, 'health check passed: renderer up, sync working')],
        effects: [],
      };
    }
    default: {
      const never: never = input;
      throw new Error(`unknown updater input ${JSON.stringify(never)}`);
    }
  }
}
