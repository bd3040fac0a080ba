import type { ValidEvent } from '@atrium/contracts';
import type { CloudConfig, ProjectionName } from '../config/cloudConfig';
import { ALL_PROJECTIONS } from '../config/cloudConfig';
import { EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import type { EventApplier } from '../kafka/eventConsumer';
import { projectionNamed } from '../projections/projectionCatalogue';
import { redrivePg } from '../projections/postgres/pgProjectionStore';
import type { PiiResealer } from '../pii/piiResealer';
import type { CloudConnections } from '../runtime/cloudConnections';

/** What a redrive did with one event. */
export type RedriveOutcome = 'applied' | 'not-dead-lettered';

/** Applies one dead-lettered event into its stage again. */
export type StageRedrive = (event: ValidEvent) => Promise<RedriveOutcome>;

/** Stages a redrive can target: the writer, every projection, and an integration applier when given. */
export const REDRIVE_STAGES: readonly string[] = [EVENT_STORE_STAGE, ...ALL_PROJECTIONS, 'crm-forwarder'];

/**
 * The redrive of a stage, on the existing per-view redrive functions: PostgreSQL views apply the
 * event only while its `projection_dead_letters` row exists (`redrivePg`), Mongo views only while
 * the document's mark exists (`redrive`), so running a redrive twice applies it once. The event
 * store's inserts are idempotent by key, so it simply appends (the gap audit then counts the
 * sequence as stored). An integration has no marks; its own idempotency (the CRM's key) covers it.
 * The writer and the loyalty view get the event resealed, as their consumers would.
 */
export async function stageRedrive(stage: string, config: CloudConfig, connections: CloudConnections, options: { resealer?: PiiResealer; integration?: EventApplier } = {}): Promise<StageRedrive> {
  const reseal = (event: ValidEvent) => (options.resealer ? options.resealer.reseal(event) : Promise.resolve(event));
  if (stage === EVENT_STORE_STAGE) {
    const store = await connections.eventStore();
    return async (event) => {
      await store.append([await reseal(event)]);
      return 'applied';
    };
  }
  if (options.integration && stage === options.integration.stage) {
    const integration = options.integration;
    return async (event) => {
      await integration.apply([event]);
      return 'applied';
    };
  }
  if (!(ALL_PROJECTIONS as readonly string[]).includes(stage)) throw new Error(`no redrive for stage "${stage}" (stages: ${REDRIVE_STAGES.join(', ')})`);
  const named = projectionNamed(stage as ProjectionName);
  if (named.store === 'postgres') {
    const pool = connections.pg();
    const needsReseal = stage === 'loyalty-members';
    return async (event) => redrivePg(pool, config.postgresSchema, named.projection, needsReseal ? await reseal(event) : event);
  }
  const db = await connections.mongo();
  return (event) => named.projection.redrive(db, named.projection.collection, event);
}
