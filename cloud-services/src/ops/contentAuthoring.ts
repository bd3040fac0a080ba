import type { Pool, PoolClient } from 'pg';
import { AtriumError, type ContentKind } from '@atrium/contracts';
import { inTransaction } from '../pg/inTransaction';

/** One authored content item as the ops API returns it. */
export interface ContentItem {
  kind: ContentKind;
  id: string;
  /** Raised by the table's trigger on every change. */
  version: number;
  /** The item's place in the gateway's content feed (`change_seq`). */
  changeSeq: number;
  deleted: boolean;
  updatedAt: string;
  body: Record<string, unknown>;
}

/** Writes and reads `atrium.content_items`, the table the gateway's content feed pages through. */
export interface ContentAuthoring {
  /**
   * Inserts or replaces an item; an unchanged body is left alone (no new change, no feed entry).
   * With `expectedVersion` (an `If-Match`), CONFLICT unless the item is at that version now.
   */
  put(kind: ContentKind, id: string, body: Record<string, unknown>, expectedVersion?: number): Promise<{ item: ContentItem; outcome: 'created' | 'updated' | 'unchanged' }>;
  get(kind: ContentKind, id: string): Promise<ContentItem | undefined>;
  /** Marks an item deleted (a tombstone kiosks learn of from the feed); undefined when there is none. */
  remove(kind: ContentKind, id: string, expectedVersion?: number): Promise<ContentItem | undefined>;
  /** Items of a kind in id order after `afterId`, tombstones included. */
  list(kind: ContentKind, afterId: string, limit: number): Promise<ContentItem[]>;
}

interface Row {
  kind: ContentKind;
  id: string;
  version: number;
  change_seq: string;
  deleted: boolean;
  updated_at: Date;
  body: Record<string, unknown>;
  inserted?: boolean;
}

const COLUMNS = 'kind, id, version, change_seq, deleted, updated_at, body';
const itemOf = (r: Row): ContentItem => ({ kind: r.kind, id: r.id, version: r.version, changeSeq: Number(r.change_seq), deleted: r.deleted, updatedAt: r.updated_at.toISOString(), body: r.body });

/** Locks the item's row and checks its version against an `If-Match`. */
async function checkVersion(client: PoolClient, kind: ContentKind, id: string, expectedVersion: number | undefined): Promise<void> {
  if (expectedVersion === undefined) return;
  const { rows } = await client.query<{ version: number }>('SELECT version FROM atrium.content_items WHERE kind = $1 AND id = $2 FOR UPDATE', [kind, id]);
  const current = rows[0]?.version;
  if (current !== expectedVersion) throw new AtriumError('CONFLICT', `${kind} ${id} is ${current === undefined ? 'not there' : `at version ${current}`}, not ${expectedVersion}`);
}


/**
 * Content authoring on PostgreSQL (migration 003). The table's trigger stamps `change_seq` under an
 * advisory lock, so the feed's cursor order is commit order; transactions here stay short. An
 * offer's stock and per-shopper limit are written to `<viewSchema>.offer_inventory` in the same
 * transaction, so the offer-claims projection checks claims against what kiosks were told.
 */
export function pgContentAuthoring(pool: Pool, viewSchema: string): ContentAuthoring {
  return {
    async put(kind, id, body, expectedVersion) {
      return inTransaction(pool, async (client) => {
        await checkVersion(client, kind, id, expectedVersion);
        const written = await client.query<Row>(
          `INSERT INTO atrium.content_items AS c (kind, id, version, body, deleted, change_seq) VALUES ($1, $2, 1, $3, false, 0)
           ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, deleted = false
            WHERE c.body IS DISTINCT FROM excluded.body OR c.deleted
           RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
          [kind, id, JSON.stringify(body)],
        );
        if (kind === 'offer') {
          const offer = body as { stock?: number; perShopperLimit?: number };
          await client.query(
            `INSERT INTO ${viewSchema}.offer_inventory (offer_id, stock, per_shopper_limit, updated_at) VALUES ($1, $2, $3, now())
             ON CONFLICT (offer_id) DO UPDATE SET stock = excluded.stock, per_shopper_limit = excluded.per_shopper_limit, updated_at = now()`,
            [id, offer.stock ?? null, offer.perShopperLimit ?? null],
          );
        }
        const row = written.rows[0];
        if (row) return { item: itemOf(row), outcome: row.inserted ? ('created' as const) : ('updated' as const) };
        const current = await client.query<Row>(`SELECT ${COLUMNS} FROM atrium.content_items WHERE kind = $1 AND id = $2`, [kind, id]);
        return { item: itemOf(current.rows[0]!), outcome: 'unchanged' as const };
      });
    },
    async get(kind, id) {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM atrium.content_items WHERE kind = $1 AND id = $2`, [kind, id]);
      return rows[0] ? itemOf(rows[0]) : undefined;
    },
    async remove(kind, id, expectedVersion) {
      return inTransaction(pool, async (client) => {
        await checkVersion(client, kind, id, expectedVersion);
        const updated = await client.query<Row>(`UPDATE atrium.content_items SET deleted = true WHERE kind = $1 AND id = $2 AND NOT deleted RETURNING ${COLUMNS}`, [kind, id]);
        if (updated.rows[0]) return itemOf(updated.rows[0]);
        const current = await client.query<Row>(`SELECT ${COLUMNS} FROM atrium.content_items WHERE kind = $1 AND id = $2`, [kind, id]);
        return current.rows[0] ? itemOf(current.rows[0]) : undefined;
      });
    },
    async list(kind, afterId, limit) {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM atrium.content_items WHERE kind = $1 AND id > $2 ORDER BY id LIMIT $3`, [kind, afterId, limit]);
      return rows.map(itemOf);
    },
  };
}
