import { dailyAnalyticsChange } from '../reducers/dailyAnalytics';
import type { PgProjection } from './pgProjection';

/** Daily analytics per mall: events per UTC day and type, one upsert per batch. */
export const dailyAnalyticsProjection: PgProjection = {
  name: 'daily-analytics',
  tables: ['daily_analytics'],
  handles: () => true,
  async applyInTransaction(client, events, table) {
    const counts = dailyAnalyticsChange(events);
    if (counts.length === 0) return;
    const t = table('daily_analytics');
    await client.query(
      `INSERT INTO ${t} AS d (mall_id, day, event_type, events)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[])
       ON CONFLICT (mall_id, day, event_type) DO UPDATE SET events = d.events + excluded.events`,
      [counts.map((c) => c.mallId), counts.map((c) => c.day), counts.map((c) => c.eventType), counts.map((c) => c.events)],
    );
  },
};
