import type { ValidEvent } from '@atrium/contracts';
import type { CloudConfig, ProjectionName } from '../config/cloudConfig';
import { mergeRanges } from '../eventStore/sequenceRanges';
import { inTransaction } from '../pg/inTransaction';
import { projectionNamed } from '../projections/projectionCatalogue';
import { rebuildTables } from '../projections/postgres/pgProjection';
import { applyAboveWatermark } from '../projections/postgres/pgProjectionStore';
import type { CloudConnections } from '../runtime/cloudConnections';

const BATCH = 500;

/** What a rebuild did. */
export interface RebuildReport {
  projection: ProjectionName;
  kiosks: number;
  events: number;
  swapped: boolean;
}

/** The rebuild copy's name: `<table>_rebuild` (PostgreSQL) or `<collection>_rebuild` (MongoDB). */
export const rebuildName = (name: string) => `${name}_rebuild`;

/** Every stored event, kiosk by kiosk in sequence order, in batches. */
async function* storedEvents(connections: CloudConnections): AsyncGenerator<ValidEvent[]> {
  const store = await connections.eventStore();
  for (const kioskId of await store.kioskIds()) {
    const stored = mergeRanges((await store.summaryRows(kioskId)).filter((r) => r.kind === 'stored'));
    const highest = stored.length > 0 ? stored[stored.length - 1]!.last : 0;
    let batch: ValidEvent[] = [];
    for await (const event of store.readKiosk(kioskId, 1, highest)) {
      batch.push(event);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

/**
 * Rebuilds a view from the event store into a fresh copy (`*_rebuild`), with its own watermarks,
 * and, when `swap` is set, swaps it in by renaming. Stop the projection's consumer first and let
 * the writer catch up (gap audit): the swapped view continues from the rebuilt watermarks, and the
 * consumer from its committed offsets, skipping whatever the rebuild already applied.
 */
export async function rebuildView(
  name: ProjectionName,
  config: CloudConfig,
  connections: CloudConnections,
  options: { swap: boolean; onProgress?: (done: { kiosks: number; events: number }) => void },
): Promise<RebuildReport> {
  const named = projectionNamed(name);
  const kiosks = new Set<string>();
  let events = 0;
  if (named.store === 'postgres') {
    const { projection } = named;
    const pool = connections.pg();
    const schema = config.postgresSchema;
    const watermarkKey = `${name}#rebuild`;
    for (const table of projection.tables) {
      await pool.query(`DROP TABLE IF EXISTS ${schema}.${rebuildName(table)}`);
      await pool.query(`CREATE TABLE ${schema}.${rebuildName(table)} (LIKE ${schema}.${table} INCLUDING ALL)`);
    }
    await pool.query(`DELETE FROM ${schema}.projection_watermarks WHERE projection = $1`, [watermarkKey]);
    for await (const batch of storedEvents(connections)) {
      batch.forEach((e) => kiosks.add(e.kioskid));
      events += batch.length;
      await applyAboveWatermark(pool, projection, { schema, table: rebuildTables(schema), watermarkKey }, batch);
      options.onProgress?.({ kiosks: kiosks.size, events });
    }
    if (options.swap) {
      await inTransaction(pool, async (client) => {
        for (const table of projection.tables) {
          await client.query(`LOCK TABLE ${schema}.${table} IN ACCESS EXCLUSIVE MODE`);
          await client.query(`DROP TABLE ${schema}.${table}`);
          await client.query(`ALTER TABLE ${schema}.${rebuildName(table)} RENAME TO ${table}`);
        }
        await client.query(`DELETE FROM ${schema}.projection_watermarks WHERE projection = $1`, [name]);
        await client.query(`UPDATE ${schema}.projection_watermarks SET projection = $1 WHERE projection = $2`, [name, watermarkKey]);
      });
    }
  } else {
    const { projection } = named;
    const db = await connections.mongo();
    const target = rebuildName(projection.collection);
    await db.collection(target).drop().catch(() => undefined);
    await db.createCollection(target);
    const indexes = await db.collection(projection.collection).listIndexes().toArray().catch(() => []);
    for (const { key, name: indexName, unique } of indexes) {
      if (indexName !== '_id_') await db.collection(target).createIndex(key, { name: indexName, ...(unique ? { unique } : {}) });
    }
    for await (const batch of storedEvents(connections)) {
      batch.forEach((e) => kiosks.add(e.kioskid));
      events += batch.length;
      await projection.apply(db, target, batch);
      options.onProgress?.({ kiosks: kiosks.size, events });
    }
    if (options.swap) {
      // FerretDB 1.24 has no renameCollection dropTarget: move the live one aside, then rename.
      // Readers may find the view empty for that instant; the consumer is stopped meanwhile.
      const aside = `${projection.collection}_old`;
      await db.collection(aside).drop().catch(() => undefined);
      await db.collection(projection.collection).rename(aside).catch(() => undefined);
      await db.collection(target).rename(projection.collection);
      await db.collection(aside).drop().catch(() => undefined);
    }
  }
  return { projection: name, kiosks: kiosks.size, events, swapped: options.swap };
}
