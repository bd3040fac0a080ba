import type { ValidEvent } from '@atrium/contracts';
import { utcDay } from '../../eventStore/sequenceBucket';
import { mallOfKiosk } from './kioskMall';

/** One counter of the daily analytics view. */
export interface DailyCount {
  mallId: string;
  day: string;
  eventType: string;
  events: number;
}

/** `(view, events) -> change`: the counts to add per mall, UTC day and event type. */
export function dailyAnalyticsChange(events: readonly ValidEvent[]): DailyCount[] {
  const counts = new Map<string, DailyCount>();
  for (const event of events) {
    const row = { mallId: mallOfKiosk(event.kioskid), day: utcDay(event.time), eventType: event.type };
    const key = `${row.mallId}\u0000${row.day}\u0000${row.eventType}`;
    const current = counts.get(key) ?? { ...row, events: 0 };
    current.events += 1;
    counts.set(key, current);
  }
  return [...counts.values()];
}
