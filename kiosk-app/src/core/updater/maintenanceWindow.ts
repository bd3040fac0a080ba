import type { MaintenanceWindow, Weekday } from '@atrium/contracts';
import { localClockAt } from '../content/openingHours';

// Spans are wall-clock times in the mall's zone, read through Intl for the instant in question, so
// a DST change needs no special case: "01:00-05:00" is whatever instants the local clock shows
// those times at, one hour fewer on the spring-forward night and one more on the fall-back night.

const DAY_NAMES: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTES_PER_DAY = 24 * 60;
const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * True when `now` falls inside one of the window's spans. A span whose end is not after its start
 * crosses midnight, and belongs to the day it starts on: "fri 22:00-06:00" covers Saturday 05:00.
 */
export function isInsideMaintenanceWindow(window: MaintenanceWindow, now: Date): boolean {
  const local = localClockAt(now, window.timeZone);
  const today = DAY_NAMES[local.weekday]!;
  const yesterday = DAY_NAMES[(local.weekday + 6) % 7]!;
  return window.spans.some((span) => {
    const start = toMinutes(span.start);
    const end = toMinutes(span.end);
    const on = (day: Weekday) => !span.days || span.days.includes(day);
    if (end > start) return on(today) && local.minutes >= start && local.minutes < end;
    // Crossing midnight: the evening part today, or the morning part of a span that began yesterday.
    return (on(today) && local.minutes >= start) || (on(yesterday) && local.minutes < end % MINUTES_PER_DAY);
  });
}
