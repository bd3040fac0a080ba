import type { OpeningHoursBody } from '@atrium/contracts';

// Opening hours are wall-clock times in the mall's time zone. Everything here works on the
// local date and clock that Intl gives for an instant, so a DST change moves nothing: 10:00 is
// 10:00 on both sides of it. Weekday numbers follow JavaScript: 0 is Sunday.

/** A date and clock time in the mall's time zone. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM, 24-hour */
  time: string;
}

/** Whether a place is open at an instant, and when that next changes (local times). */
export type OpenStatus = { open: true; closesAt: LocalTime | null } | { open: false; opensAt: LocalTime | null };

/** The wall clock of an instant in a time zone. */
export interface LocalClock {
  date: string;
  weekday: number;
  minutes: number;
}

const MINUTES_PER_DAY = 24 * 60;
const LOOKAHEAD_DAYS = 8;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA time zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local date, weekday and minutes since midnight of `now` in `timeZone`. */
export function localClockAt(now: Date, timeZone: string): LocalClock {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(now).map((p) => [p.type, p.value]));
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    weekday: WEEKDAYS.indexOf(parts['weekday'] ?? ''),
    minutes: Number(parts['hour']) * 60 + Number(parts['minute']),
  };
}

/** Opening intervals of one local date in minutes from its midnight; `end` may pass 1440 (open past midnight). */
interface Interval {
  start: number;
  end: number;
}

const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const toClock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function interval(open: string, close: string): Interval {
  const start = toMinutes(open);
  const end = toMinutes(close);
  // A close at or before the open means the place closes after midnight, on the next date.
  return { start, end: end <= start ? end + MINUTES_PER_DAY : end };
}

/** Calendar arithmetic on YYYY-MM-DD dates (UTC is used only as a calendar, never as a zone). */
function addDays(date: string, days: number): { date: string; weekday: number } {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return { date: d.toISOString().slice(0, 10), weekday: d.getUTCDay() };
}

/** The opening intervals of a local date: its dated exception if there is one, else its weekday's hours. */
export function intervalsOn(hours: OpeningHoursBody, date: string, weekday: number): Interval[] {
  const exception = hours.exceptions.find((e) => e.date === date);
  if (exception) {
    if (exception.closed) return [];
    if (exception.open !== undefined && exception.close !== undefined) return [interval(exception.open, exception.close)];
  }
  return hours.weekly
    .filter((w) => w.day === weekday)
    .map((w) => interval(w.open, w.close))
    .sort((a, b) => a.start - b.start);
}

/** Intervals from `date` - 1 to `date` + LOOKAHEAD_DAYS on one time line (minutes from `date`'s midnight). */
function timeline(hours: OpeningHoursBody, date: string): Interval[] {
  const out: Interval[] = [];
  for (let offset = -1; offset <= LOOKAHEAD_DAYS; offset++) {
    const day = addDays(date, offset);
    for (const i of intervalsOn(hours, day.date, day.weekday)) out.push({ start: i.start + offset * MINUTES_PER_DAY, end: i.end + offset * MINUTES_PER_DAY });
  }
  return out.sort((a, b) => a.start - b.start);
}

function localTimeAt(date: string, minutesFromDate: number): LocalTime {
  const offset = Math.floor(minutesFromDate / MINUTES_PER_DAY);
  return { date: addDays(date, offset).date, time: toClock(minutesFromDate - offset * MINUTES_PER_DAY) };
}

/**
 * Whether a store (or the mall) is open at `now` in `timeZone`, with the local time it next
 * closes or opens (null when that is more than a week away). A night that runs past midnight
 * counts for the date it started on, so Saturday's 20:00-02:00 is open at 01:00 on Sunday.
 */
export function openStatusAt(hours: OpeningHoursBody, now: Date, timeZone: string): OpenStatus {
  const clock = localClockAt(now, timeZone);
  const line = timeline(hours, clock.date);
  const current = line.find((i) => i.start <= clock.minutes && clock.minutes < i.end);
  if (current) {
    // Back-to-back intervals (10-14, 14-20, or a 24-hour week) close only when the last one ends.
    let end = current.end;
    for (const next of line) if (next.start <= end && next.end > end) end = next.end;
    return { open: true, closesAt: end >= (LOOKAHEAD_DAYS + 1) * MINUTES_PER_DAY ? null : localTimeAt(clock.date, end) };
  }
  const next = line.find((i) => i.start > clock.minutes);
  return { open: false, opensAt: next ? localTimeAt(clock.date, next.start) : null };
}

/** The opening times of the local date that `now` falls on in `timeZone` (empty when closed all day). */
export function openingTimesOn(hours: OpeningHoursBody, now: Date, timeZone: string): { date: string; times: Array<{ open: string; close: string }> } {
  const clock = localClockAt(now, timeZone);
  const times = intervalsOn(hours, clock.date, clock.weekday).map((i) => ({ open: toClock(i.start), close: toClock(i.end % MINUTES_PER_DAY) }));
  return { date: clock.date, times };
}
