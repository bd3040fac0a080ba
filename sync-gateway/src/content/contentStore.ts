import type pg from 'pg';
import { AtriumError, type ContentKind, type ContentUpsert } from '@atrium/contracts';

/** One row of the content delta, in change order. */
export interface ContentChange {
  kind: ContentKind;
  id: string;
  version: number;
  body: Record<string, unknown>;
  deleted: boolean;
  changeSeq: number;
}

/** Reads the content delta: rows changed after a change sequence, in order. */
export interface ContentStore {
  /** Up to `limit` changes after `afterSeq`, plus whether more follow. */
  changesAfter(afterSeq: number, limit: number): Promise<{ changes: ContentChange[]; hasMore: boolean }>;
}

interface Row {
  kind: ContentKind;
  id: string;
  version: number;
  body: Record<string, unknown>;
  deleted: boolean;
  change_seq: string;
  head: string;
}

/**
 * `atrium.content_items` in PostgreSQL (migration 003). Writers are serialised by the table's
 * trigger, so change_seq order is commit order and a page never skips a row committed later.
 */
export class PgContentStore implements ContentStore {
  constructor(private readonly pool: pg.Pool) {}

  async changesAfter(afterSeq: number, limit: number): Promise<{ changes: ContentChange[]; hasMore: boolean }> {
    const { rows } = await this.pool.query<Row>(
      `WITH head AS (SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS head FROM atrium.content_change_seq)
       SELECT c.kind, c.id, c.version, c.body, c.deleted, c.change_seq, head.head
         FROM head LEFT JOIN LATERAL (
           SELECT kind, id, version, body, deleted, change_seq FROM atrium.content_items
            WHERE change_seq > $1 ORDER BY change_seq LIMIT $2
         ) c ON true`,
      [afterSeq, limit + 1],
    );
    const head = Number(rows[0]?.head ?? 0);
    // A cursor past anything ever issued comes from another database (a rebuilt one): the kiosk
    // must start over rather than silently miss everything up to its stale cursor.
    if (afterSeq > head) throw new AtriumError('CURSOR_INVALID', 'The cursor is ahead of this content store; start again without a cursor');
    const changes = rows
      .filter((r) => r.change_seq !== null)
      .map((r) => ({ kind: r.kind, id: r.id, version: r.version, body: r.body, deleted: r.deleted, changeSeq: Number(r.change_seq) }));
    const hasMore = changes.length > limit;
    return { changes: hasMore ? changes.slice(0, limit) : changes, hasMore };
  }
}

/**
 * Upserts items into `atrium.content_items` in one transaction; an item whose body is unchanged
 * (and not deleted) is left alone, so re-running a seed changes nothing and moves no cursor.
 * Returns how many rows were inserted or changed.
 */
export async function upsertContent(pool: pg.Pool, items: readonly ContentUpsert[], chunk = 1_000): Promise<number> {
  const client = await pool.connect();
  let changed = 0;
  try {
    await client.query('BEGIN');
    for (let i = 0; i < items.length; i += chunk) {
      const part = items.slice(i, i + chunk);
      const result = await client.query(
        `INSERT INTO atrium.content_items (kind, id, version, body, deleted, change_seq)
         SELECT kind, id, version, body, false, 0
           FROM unnest($1::text[], $2::text[], $3::int[], $4::jsonb[]) AS t(kind, id, version, body)
         ON CONFLICT (kind, id) DO UPDATE SET body = EXCLUDED.body, deleted = false, version = EXCLUDED.version
          WHERE atrium.content_items.body IS DISTINCT FROM EXCLUDED.body OR atrium.content_items.deleted`,
        [part.map((p) => p.kind), part.map((p) => p.id), part.map((p) => p.version), part.map((p) => JSON.stringify(p.body))],
      );
      changed += result.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return changed;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Marks items deleted (a tombstone the feed reports under `deletes`). */
export async function deleteContent(pool: pg.Pool, items: ReadonlyArray<{ kind: ContentKind; id: string }>): Promise<number> {
  const result = await pool.query(
    `UPDATE atrium.content_items SET deleted = true
      WHERE (kind, id) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND NOT deleted`,
    [items.map((i) => i.kind), items.map((i) => i.id)],
  );
  return result.rowCount ?? 0;
}
