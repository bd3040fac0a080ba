import { Type, type Static } from '@sinclair/typebox';

/**
 * How the kiosk's one SQLite file is opened. `synchronous` is the durability knob (see the
 * kiosk-app README): FULL survives power loss with every commit; NORMAL stays consistent but
 * may lose the last commits.
 */
export const StoreConfig = Type.Object({
  dataDir: Type.String({ minLength: 1, description: "the kiosk's data folder" }),
  fileName: Type.String({ default: 'kiosk.db', pattern: '^[A-Za-z0-9._-]+$' }),
  synchronous: Type.Union([Type.Literal('FULL'), Type.Literal('NORMAL')], { default: 'FULL' }),
  busyTimeoutMs: Type.Integer({ minimum: 0, default: 5_000 }),
  /** `quick` (quick_check, O(n) without index cross-checks) or `full` (integrity_check). */
  integrityCheck: Type.Union([Type.Literal('quick'), Type.Literal('full')], { default: 'quick' }),
  /** The WAL file is truncated back to this size after checkpoints. */
  journalSizeLimitBytes: Type.Integer({ minimum: 0, default: 64 * 1024 * 1024 }),
});

/** Validated store configuration. */
export type StoreConfig = Static<typeof StoreConfig>;
