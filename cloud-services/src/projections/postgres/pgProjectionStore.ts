import type { Pool } from 'pg';
import type { ValidEvent } from '@atrium/contracts';
import type { DeadLettered, EventApplier } from '../../kafka/eventConsumer';
import { liveTables, type PgProjection, type TableName } from './pgProjection';
import { inTransaction } from '../../pg/inTransaction';

/** Where a projection writes: the live tables and watermark key, or a rebuild's. */
export interface PgTarget {
  /** Schema of the watermark and dead-letter tables. */
  schema: string;
  table: TableName;
  /** Key of the watermark rows (`offer-claims`, or `offer-claims#rebuild` during a rebuild). */
  watermarkKey: string;
}


/**
 * Applies a batch in one transaction: lock the batch's kiosks' watermark rows (in kiosk order, so
 * concurrent consumers never deadlock on them), keep only events above each watermark, apply
 * them, move the watermarks, commit. A redelivered event is at or below its watermark and is
 * skipped; a zombie consumer racing a new owner waits on the row lock and then skips.
 */
export async function applyAboveWatermark(pool: Pool, projection: PgProjection, target: PgTarget, events: readonly ValidEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  return inTransaction(pool, async (client) => {
    const kiosks = [...new Set(events.map((e) => e.kioskid))].sort();
    await client.query(`INSERT INTO ${target.schema}.projection_watermarks (projection, kiosk_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [target.watermarkKey, kiosks]);
    const rows = await client.query<{ kiosk_id: string; sequence: string }>(
      `SELECT kiosk_id, sequence FROM ${target.schema}.projection_watermarks WHERE projection = $1 AND kiosk_id = ANY($2::text[]) ORDER BY kiosk_id FOR UPDATE`,
      [target.watermarkKey, kiosks],
    );
    const watermark = new Map(rows.rows.map((r) => [r.kiosk_id, Number(r.sequence)]));
    const fresh: ValidEvent[] = [];
    for (const event of events) {
      if (event.sequence <= (watermark.get(event.kioskid) ?? 0)) continue;
      watermark.set(event.kioskid, event.sequence);
      fresh.push(event);
    }
    if (fresh.length === 0) return 0;
    await projection.applyInTransaction(client, fresh.filter((e) => projection.handles(e.type)), target.table);
    const moved = [...new Set(fresh.map((e) => e.kioskid))];
    await client.query(
      `UPDATE ${target.schema}.projection_watermarks w SET sequence = v.sequence
         FROM unnest($2::text[], $3::bigint[]) AS v(kiosk_id, sequence)
        WHERE w.projection = $1 AND w.kiosk_id = v.kiosk_id`,
      [target.watermarkKey, moved, moved.map((k) => watermark.get(k))],
    );
    return fresh.length;
  });
}

/** The consumer stage of a PostgreSQL projection on its live tables. */
export function pgProjectionApplier(pool: Pool, schema: string, projection: PgProjection): EventApplier {
  const target: PgTarget = { schema, table: liveTables(schema), watermarkKey: projection.name };
  return {
    stage: projection.name,
    apply: async (events) => {
      await applyAboveWatermark(pool, projection, target, events);
    },
    async deadLettered(items: readonly DeadLettered[]) {
      const known = items.filter((i): i is DeadLettered & { kioskId: string; sequence: number } => Boolean(i.kioskId && i.sequence));
      if (known.length === 0) return;
      // The watermark moves past a dead-lettered event, so only a redrive can ever apply it.
      await inTransaction(pool, async (client) => {
        for (const item of known) {
          await client.query(
            `INSERT INTO ${target.schema}.projection_dead_letters (projection, kiosk_id, sequence, event_id, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [projection.name, item.kioskId, item.sequence, item.event?.id ?? null, item.why.reason],
          );
          await client.query(
            `INSERT INTO ${target.schema}.projection_watermarks AS w (projection, kiosk_id, sequence) VALUES ($1, $2, $3)
             ON CONFLICT (projection, kiosk_id) DO UPDATE SET sequence = GREATEST(w.sequence, excluded.sequence)`,
            [projection.name, item.kioskId, item.sequence],
          );
        }
      });
    },
  };
}

/**
 * Applies a dead-lettered event again (redrive): only while its dead-letter row exists, deleting
 * the row in the same transaction, so running a redrive twice applies it once.
 */
export async function redrivePg(pool: Pool, schema: string, projection: PgProjection, event: ValidEvent): Promise<'applied' | 'not-dead-lettered'> {
  return inTransaction(pool, async (client) => {
    const gone = await client.query(`DELETE FROM ${schema}.projection_dead_letters WHERE projection = $1 AND kiosk_id = $2 AND sequence = $3`, [
      projection.name,
      event.kioskid,
      event.sequence,
    ]);
    if (gone.rowCount === 0) return 'not-dead-lettered';
    if (projection.handles(event.type)) await projection.applyInTransaction(client, [event], liveTables(schema));
    return 'applied';
  });
}
