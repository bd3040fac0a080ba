import type { PoolClient } from 'pg';
import type { ValidEvent } from '@atrium/contracts';
import type { ProjectionName } from '../../config/cloudConfig';

/** Maps a projection's logical table name to the table it writes (live, or a rebuild copy). */
export type TableName = (logical: string) => string;

/** A PostgreSQL view: which events it reads and how it applies them inside a transaction. */
export interface PgProjection {
  name: ProjectionName;
  /** Tables of schema `atrium` this view owns (rebuilt and swapped together). */
  tables: readonly string[];
  handles(type: string): boolean;
  /** Applies events that are above the watermark, in order, in the caller's transaction. */
  applyInTransaction(client: PoolClient, events: readonly ValidEvent[], table: TableName): Promise<void>;
}

/** The live tables of a schema: `<schema>.<name>` (schema `atrium` in every deployment, another in tests). */
export function liveTables(schema: string): TableName {
  return (logical) => `${schema}.${logical}`;
}

/** The rebuild copies of a schema's tables: `<schema>.<name>_rebuild`. */
export function rebuildTables(schema: string): TableName {
  return (logical) => `${schema}.${logical}_rebuild`;
}
