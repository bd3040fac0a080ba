import { describe, expect, it } from 'vitest';
import { clockOffsetMs, correctedTimeMs, initialClockState, observeServerTime, stampTime, type ClockReading } from './eventClock';

const boot = 'boot-a';
const at = (monoMs: number, wallMs: number, bootId = boot): ClockReading => ({ bootId, monoMs, wallMs });

describe('event clock', () => {
  it('given no server reply yet, when an event is stamped, then time is the raw wall clock', () => {
    const { stamp } = stampTime(initialClockState(), at(1_000, 1_700_000_000_000));
    expect(stamp).toEqual({ timeMs: 1_700_000_000_000, rawMs: 1_700_000_000_000 });
  });

  it('given a kiosk clock 90 s slow, when the server time is learned, then events carry corrected and raw time', () => {
    const wall = 1_700_000_000_000;
    const learned = observeServerTime(initialClockState(), { serverMs: wall + 90_000, precisionMs: 1, sentMonoMs: 4_980, received: at(5_000, wall) });
    const { stamp } = stampTime(learned, at(6_000, wall + 1_000));
    // server time plus half the 20 ms round trip plus half the 1 ms precision, then one second later
    expect(stamp.timeMs).toBe(wall + 90_000 + 10 + 1_000 + 1);
    expect(stamp.rawMs).toBe(wall + 1_000);
    expect(clockOffsetMs(learned)).toBe(90_011);
  });

  it('given a learned anchor, when someone steps the wall clock back an hour, then corrected time keeps counting on the monotonic clock', () => {
    const wall = 1_700_000_000_000;
    const learned = observeServerTime(initialClockState(), { serverMs: wall, precisionMs: 1, sentMonoMs: 10_000, received: at(10_000, wall) });
    const { stamp } = stampTime(learned, at(70_000, wall + 60_000 - 3_600_000));
    expect(stamp.timeMs).toBe(Math.round(wall + 0.5 + 60_000));
    expect(stamp.rawMs).toBe(wall + 60_000 - 3_600_000);
  });

  it('given an anchor from a previous boot, when the kiosk restarts, then wall clock plus the last offset is used', () => {
    const wall = 1_700_000_000_000;
    const learned = observeServerTime(initialClockState(), { serverMs: wall + 5_000, precisionMs: 1, sentMonoMs: 100, received: at(100, wall) });
    const afterReboot = initialClockState(learned.anchor);
    expect(correctedTimeMs(afterReboot.anchor, at(50, wall + 600_000, 'boot-b'))).toBe(wall + 600_000 + 5_001);
  });

  it('given a precise anchor, when a coarse Date header arrives that agrees with it, then the anchor is kept', () => {
    const wall = 1_700_000_000_000;
    const precise = observeServerTime(initialClockState(), { serverMs: wall, precisionMs: 1, sentMonoMs: 1_000, received: at(1_000, wall) });
    const coarse = observeServerTime(precise, { serverMs: wall + 2_000, precisionMs: 1_000, sentMonoMs: 3_000, received: at(3_000, wall + 2_000) });
    expect(coarse.anchor).toEqual(precise.anchor);
  });

  it('given an anchor, when the server clock was stepped by a minute, then the new sample replaces it', () => {
    const wall = 1_700_000_000_000;
    const first = observeServerTime(initialClockState(), { serverMs: wall, precisionMs: 1, sentMonoMs: 1_000, received: at(1_000, wall) });
    const stepped = observeServerTime(first, { serverMs: wall + 62_000, precisionMs: 1_000, sentMonoMs: 3_000, received: at(3_000, wall + 2_000) });
    expect(stepped.anchor?.serverMs).toBe(wall + 62_500);
  });

  it('never hands out a time earlier than the last one in the same process', () => {
    const wall = 1_700_000_000_000;
    let state = initialClockState();
    state = stampTime(state, at(1_000, wall)).state;
    const { stamp } = stampTime(state, at(1_001, wall - 5_000));
    expect(stamp.timeMs).toBe(wall);
  });
});
