import pg from 'pg';

/** A client inside a transaction (or a pool, for single statements). */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Opens the service's connection pool. */
export function openPool(url: string, max = 10, onIdleError: (error: Error) => void = () => undefined): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000, application_name: 'atrium-provisioning' });
  // An idle client dies when PostgreSQL restarts; the pool drops it and connects afresh. Without
  // a listener the 'error' event would end the process.
  pool.on('error', onIdleError);
  return pool;
}

/**
 * Runs `work` in one READ COMMITTED transaction on one pooled client: committed when it
 * returns, rolled back when it throws. Row locks and unique constraints do the serialising.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** True for a PostgreSQL unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** True for a PostgreSQL exclusion-constraint violation (overlapping pools). */
export function isExclusionViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23P01';
}
