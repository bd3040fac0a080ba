import { describe, expect, it } from 'vitest';
import type { OpeningHoursBody } from '@atrium/contracts';
import { isValidTimeZone, localClockAt, openStatusAt } from './openingHours';

const MADRID = 'Europe/Madrid';
const everyDay = (open: string, close: string): OpeningHoursBody['weekly'] => [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open, close }));
const hours = (weekly: OpeningHoursBody['weekly'], exceptions: OpeningHoursBody['exceptions'] = []): OpeningHoursBody => ({ id: 'store-1', weekly, exceptions });
const at = (iso: string) => new Date(iso);

describe('open now, in the mall time zone', () => {
  const tenToNine = hours(everyDay('10:00', '21:00'));

  it('given 10:00-21:00 in Madrid (UTC+1 in winter), when it is 09:30 UTC, then the store is open and closes at 21:00', () => {
    expect(openStatusAt(tenToNine, at('2026-01-15T09:30:00Z'), MADRID)).toEqual({ open: true, closesAt: { date: '2026-01-15', time: '21:00' } });
  });

  it('given the same hours, when it is 08:59 UTC (09:59 local), then it is closed and opens at 10:00 today', () => {
    expect(openStatusAt(tenToNine, at('2026-01-15T08:59:00Z'), MADRID)).toEqual({ open: false, opensAt: { date: '2026-01-15', time: '10:00' } });
  });

  it('given closing time 21:00, when the clock reads 20:59 it is open and at 21:00 exactly it is closed until tomorrow', () => {
    expect(openStatusAt(tenToNine, at('2026-01-15T19:59:59Z'), MADRID).open).toBe(true);
    expect(openStatusAt(tenToNine, at('2026-01-15T20:00:00Z'), MADRID)).toEqual({ open: false, opensAt: { date: '2026-01-16', time: '10:00' } });
  });

  it('given the spring DST change (29 March 2026, 02:00 -> 03:00), when it is 08:30 UTC, then it is closed the day before (09:30 CET) and open on the day (10:30 CEST)', () => {
    expect(openStatusAt(tenToNine, at('2026-03-28T08:30:00Z'), MADRID).open).toBe(false);
    expect(openStatusAt(tenToNine, at('2026-03-29T08:30:00Z'), MADRID).open).toBe(true);
    expect(localClockAt(at('2026-03-29T00:59:00Z'), MADRID).minutes).toBe(1 * 60 + 59);
    expect(localClockAt(at('2026-03-29T01:00:00Z'), MADRID).minutes).toBe(3 * 60);
  });

  it('given the autumn DST change (25 October 2026, 03:00 -> 02:00), when it is 20:00 UTC, then it is 21:00 local and closed, while 19:59 UTC is still open', () => {
    expect(openStatusAt(tenToNine, at('2026-10-25T19:59:00Z'), MADRID).open).toBe(true);
    expect(openStatusAt(tenToNine, at('2026-10-25T20:00:00Z'), MADRID).open).toBe(false);
    // A day earlier (still CEST, UTC+2) the same UTC instant is 22:00 local.
    expect(localClockAt(at('2026-10-24T20:00:00Z'), MADRID).minutes).toBe(22 * 60);
  });

  it('given a bar open 20:00-02:00 on Saturdays only, when it is 01:30 on Sunday, then it is open and closes at 02:00 that Sunday', () => {
    const bar = hours([{ day: 6, open: '20:00', close: '02:00' }]);
    // 2026-01-18 is a Sunday; 00:30 UTC is 01:30 in Madrid.
    expect(openStatusAt(bar, at('2026-01-18T00:30:00Z'), MADRID)).toEqual({ open: true, closesAt: { date: '2026-01-18', time: '02:00' } });
    expect(openStatusAt(bar, at('2026-01-18T01:00:00Z'), MADRID)).toEqual({ open: false, opensAt: { date: '2026-01-24', time: '20:00' } });
  });

  it('given midnight, when a store is open 00:00-24:00 every day, then it is open with no closing within the week', () => {
    expect(openStatusAt(hours(everyDay('00:00', '24:00')), at('2026-01-14T23:00:00Z'), MADRID)).toEqual({ open: true, closesAt: null });
  });

  it('given a lunch break (10-14, 16-20), when it is 15:00 local, then it is closed and opens at 16:00', () => {
    const split = hours([
      { day: 4, open: '10:00', close: '14:00' },
      { day: 4, open: '16:00', close: '20:00' },
    ]);
    expect(openStatusAt(split, at('2026-01-15T14:00:00Z'), MADRID)).toEqual({ open: false, opensAt: { date: '2026-01-15', time: '16:00' } });
    expect(openStatusAt(split, at('2026-01-15T12:00:00Z'), MADRID)).toEqual({ open: true, closesAt: { date: '2026-01-15', time: '14:00' } });
  });

  it('given a closed-day exception (Christmas), when it is midday that day, then it is closed and opens the next day', () => {
    const xmas = hours(everyDay('10:00', '21:00'), [{ date: '2025-12-25', closed: true }]);
    expect(openStatusAt(xmas, at('2025-12-25T12:00:00Z'), MADRID)).toEqual({ open: false, opensAt: { date: '2025-12-26', time: '10:00' } });
  });

  it('given special hours on a date (Christmas Eve 10:00-15:00), when it is 16:00 local, then it is closed', () => {
    const eve = hours(everyDay('10:00', '21:00'), [{ date: '2025-12-24', closed: false, open: '10:00', close: '15:00' }]);
    expect(openStatusAt(eve, at('2025-12-24T13:59:00Z'), MADRID)).toEqual({ open: true, closesAt: { date: '2025-12-24', time: '15:00' } });
    expect(openStatusAt(eve, at('2025-12-24T15:00:00Z'), MADRID).open).toBe(false);
  });

  it('given no hours at all, then it is closed with no known opening', () => {
    expect(openStatusAt(hours([]), at('2026-01-15T12:00:00Z'), MADRID)).toEqual({ open: false, opensAt: null });
  });

  it('tells known IANA time zones from unknown ones', () => {
    expect(isValidTimeZone(MADRID)).toBe(true);
    expect(isValidTimeZone('Asia/Dubai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
