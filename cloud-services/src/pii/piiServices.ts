import type { Pool } from 'pg';
import type { CloudConfig } from '../config/cloudConfig';
import { EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import type { EventApplier } from '../kafka/eventConsumer';
import { pgMemberKeyStore, type MemberKeyStore } from './memberKeyStore';
import type { PiiConfig } from './piiConfig';
import { piiResealer, withResealedPii, type PiiResealer } from './piiResealer';

/** The stages that see enrolments only resealed to member keys. */
export const PII_RESEALING_STAGES: ReadonlySet<string> = new Set([EVENT_STORE_STAGE, 'loyalty-members']);

/** The loyalty PII parts, built once from the validated configuration. */
export interface PiiServices {
  keys: MemberKeyStore;
  resealer: PiiResealer;
  /** For `startConsumers`: reseals before the writer and the loyalty projection; other stages as they are. */
  wrapApplier(applier: EventApplier): EventApplier;
}

/** Builds the member key store (schema of the views) and the resealer. */
export function piiServices(config: CloudConfig, pii: PiiConfig, pool: Pool): PiiServices {
  const keys = pgMemberKeyStore(pool, config.postgresSchema, Buffer.from(pii.memberKeyWrapKey, 'base64'));
  const resealer = piiResealer(pii, keys);
  return { keys, resealer, wrapApplier: (applier) => (PII_RESEALING_STAGES.has(applier.stage) ? withResealedPii(applier, resealer) : applier) };
}
