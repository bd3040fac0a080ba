// Vitest global setup of the "int" project: one real test stack per run, shared by every
// int test of every package. It reuses a running test stack and leaves it running afterwards
// (a second run starts in seconds) unless ATRIUM_STACK_TEARDOWN=1, which CI sets.
import { runMigrations } from './migrations/runMigrations';
import { reporterFor } from './progress';
import { findRepoPaths } from './repoPaths';
import { stackDown } from './stack/stackDown';
import { stackUp } from './stack/stackUp';
import { resolveStackConfig } from './stackConfig';
import { endpointsToEnv } from './stackEndpoints';

export default async function setup(): Promise<() => Promise<void>> {
  // ATRIUM_STACK_BROKERS=3 runs the int tier against a three-broker Kafka (fault tests).
  const brokers = process.env.ATRIUM_STACK_BROKERS === '3' ? 3 : 1;
  const config = resolveStackConfig({ profile: 'test', brokers }, process.env, findRepoPaths());
  const report = reporterFor('test-stack');
  const teardown = process.env.ATRIUM_STACK_TEARDOWN === '1';
  let endpoints;
  try {
    endpoints = await stackUp(config, report);
    await runMigrations(endpoints, { migrationsDir: config.migrationsDir, replication: config.cassandra.replication, report });
  } catch (error) {
    // Vitest runs no teardown when setup fails, so CI would otherwise leave half a stack behind.
    if (teardown) await stackDown(config, {}, report).catch(() => undefined);
    throw error;
  }
  // Test workers start after global setup and inherit this environment.
  Object.assign(process.env, endpointsToEnv(endpoints));
  report(`endpoints exported: ${Object.keys(endpointsToEnv(endpoints)).join(', ')}`);

  return async () => {
    if (teardown) await stackDown(config, {}, report);
    else report('leaving the test stack running (ATRIUM_STACK_TEARDOWN=1 stops it; or npm run stack:down -- --profile test)');
  };
}
