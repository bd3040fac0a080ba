import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction on one pooled connection; rolls back if it throws.
 *
 * A checked-out client has no error listener of the pool's, so a server shutdown during the
 * transaction would emit an unhandled 'error' and end the process. The listener here turns it
 * into a failed transaction instead (the consumer pauses and retries), and the broken
 * connection is destroyed rather than returned to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let connectionError: Error | undefined;
  const onError = (error: Error) => {
    connectionError = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(connectionError);
  }
}
