import type { Collection, Document } from 'mongodb';
import type { ValidEvent } from '@atrium/contracts';

/** The document shape every Mongo view shares: a per-document watermark and dead-letter marks. */
export interface WatermarkedDoc extends Document {
  _id: string;
  kioskId: string;
  /** Highest sequence of `kioskId` applied to (or dead-lettered from) this document. */
  wm: number;
  /** Sequences dead-lettered from this document, waiting for a redrive. */
  deadLettered?: number[];
}

/** The change a group of fresh events makes to one document. */
export interface DocChange {
  set: Record<string, unknown>;
  inc: Record<string, number>;
}

/** Error codes of a duplicate key, as MongoDB and FerretDB report it. */
const DUPLICATE_KEY = 11000;
const MAX_ROUNDS = 20;

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/** Builds a nested document from dotted paths (`a.b.c: 1`), for the first write of a document. */
export function nestPaths(paths: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(paths)) {
    const parts = path.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}

/**
 * Applies per-document event groups with a compare-and-set on the watermark: read each
 * document's watermark, fold only the events above it, and write with a filter on the watermark
 * that was read (or insert when there was no document). A write that matched nothing, or an insert
 * that met an existing document, means someone else moved first: read again and retry. Every step
 * touches one document, which is all FerretDB needs to make it atomic.
 */
export async function casApply<D extends WatermarkedDoc>(
  collection: Collection<D>,
  groups: ReadonlyMap<string, { kioskId: string; events: readonly ValidEvent[] }>,
  change: (doc: D | undefined, fresh: readonly ValidEvent[]) => DocChange,
  insertFields: (docId: string, kioskId: string) => Record<string, unknown>,
): Promise<void> {
  let pending = new Map(groups);
  for (let round = 0; pending.size > 0; round += 1) {
    if (round >= MAX_ROUNDS) throw new Error(`view ${collection.collectionName}: documents kept changing under the projection`);
    const docs = await collection.find({ _id: { $in: [...pending.keys()] } } as never).toArray();
    const byId = new Map(docs.map((d) => [String(d._id), d as D]));
    const retry = new Map<string, { kioskId: string; events: readonly ValidEvent[] }>();
    await Promise.all(
      [...pending].map(async ([docId, group]) => {
        const doc = byId.get(docId);
        const wm = doc?.wm ?? 0;
        // Above the watermark and above every earlier event of the group: a batch may hold a
        // redelivered copy of an event it already holds.
        let top = wm;
        const fresh = group.events.filter((e) => (e.sequence > top ? ((top = e.sequence), true) : false));
        if (fresh.length === 0) return;
        const { set, inc } = change(doc, fresh);
        try {
          if (!doc) {
            await collection.insertOne({ ...insertFields(docId, group.kioskId), ...nestPaths({ ...set, ...inc }), _id: docId, kioskId: group.kioskId, wm: top } as never);
            return;
          }
          const result = await collection.updateOne({ _id: docId, wm } as never, { $set: { ...set, wm: top }, ...(Object.keys(inc).length > 0 ? { $inc: inc } : {}) } as never);
          if (result.matchedCount === 0) retry.set(docId, group);
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          retry.set(docId, group);
        }
      }),
    );
    pending = retry;
  }
}

/**
 * Marks a dead-lettered event on its document: the watermark moves past it (so only a redrive
 * can apply it) and its sequence is remembered for that redrive.
 */
export async function markDeadLettered(collection: Collection<WatermarkedDoc>, docId: string, kioskId: string, sequence: number, insertFields: Record<string, unknown>): Promise<void> {
  try {
    await collection.updateOne(
      { _id: docId } as never,
      { $max: { wm: sequence }, $addToSet: { deadLettered: sequence }, $setOnInsert: { ...insertFields, kioskId } } as never,
      { upsert: true },
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await markDeadLettered(collection, docId, kioskId, sequence, insertFields);
  }
}

/** Applies a redriven event's counters once: only while its dead-letter mark is on the document. */
export async function redriveInc(collection: Collection<WatermarkedDoc>, docId: string, sequence: number, inc: Record<string, number>): Promise<'applied' | 'not-dead-lettered'> {
  const result = await collection.updateOne(
    { _id: docId, deadLettered: sequence } as never,
    { $pull: { deadLettered: sequence }, ...(Object.keys(inc).length > 0 ? { $inc: inc } : {}) } as never,
  );
  return result.matchedCount === 1 ? 'applied' : 'not-dead-lettered';
}
