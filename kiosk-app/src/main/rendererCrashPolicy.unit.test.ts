import { describe, expect, it } from 'vitest';
import { decideOnCrash, initialCrashPolicyState, type CrashPolicyState } from './rendererCrashPolicy';

const options = { maxReloads: 3, windowMs: 60_000 };

function crashes(times: number[]): { state: CrashPolicyState; actions: string[] } {
  let state = initialCrashPolicyState;
  const actions: string[] = [];
  for (const t of times) {
    const decision = decideOnCrash(state, t, options);
    state = decision.state;
    actions.push(decision.action.kind);
  }
  return { state, actions };
}

describe('the renderer crash policy', () => {
  it('given a first crash, when it is decided, then the page reloads (attempt 1)', () => {
    expect(decideOnCrash(initialCrashPolicyState, 1000, options).action).toEqual({ kind: 'reload', attempt: 1 });
  });

  it('given three crashes in the window, when a fourth comes, then the app restarts', () => {
    expect(crashes([0, 1000, 2000, 3000]).actions).toEqual(['reload', 'reload', 'reload', 'restart-app']);
  });

  it('given an app restart, when the next crash comes, then counting starts afresh', () => {
    const { state } = crashes([0, 1000, 2000, 3000]);
    expect(decideOnCrash(state, 4000, options).action).toEqual({ kind: 'reload', attempt: 1 });
  });

  it('given crashes spread wider than the window, when they come, then each is only a reload', () => {
    expect(crashes([0, 70_000, 140_000, 210_000, 280_000]).actions).toEqual(['reload', 'reload', 'reload', 'reload', 'reload']);
  });

  it('given old crashes, when a new one comes, then only those inside the window are remembered', () => {
    const { state } = crashes([0, 10_000, 65_000]);
    expect(state.crashesAt).toEqual([10_000, 65_000]);
  });
});
