import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { topics } from '@atrium/contracts';
import { runMigrations } from '../../../infra/local/src/migrations/runMigrations';
import { isRecordAlive, readProcessRecords } from '../../../infra/local/src/process/processRecord';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { stackDown } from '../../../infra/local/src/stack/stackDown';
import { stackUp } from '../../../infra/local/src/stack/stackUp';
import { resolveStackConfig, type ServiceName, type StackConfig } from '../../../infra/local/src/stackConfig';
import { endpointsFor, type StackEndpoints } from '../../../infra/local/src/stackEndpoints';

/**
 * Servers of the stack on their own ports and in their own state folder (never the shared test
 * stack), for faults that stop them. Started and stopped with the stack's own code.
 */
export class PrivateStack {
  readonly config: StackConfig;
  private readonly stateRoot: string;

  /** `ports`: env overrides of the test profile's ports, e.g. { KAFKA_PORT: 29300 }. */
  constructor(services: readonly ServiceName[], brokers: 1 | 3, ports: Record<string, number>) {
    this.stateRoot = mkdtempSync(join(tmpdir(), 'atrium-private-stack-'));
    // PostgreSQL runs as the postgres user, which must be able to enter the state folder.
    chmodSync(this.stateRoot, 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, ATRIUM_STATE_DIR: this.stateRoot, ATRIUM_CASSANDRA_HEAP_MB: '512', ATRIUM_KAFKA_HEAP_MB: '384' };
    for (const [name, port] of Object.entries(ports)) env[`ATRIUM_TEST_${name}`] = String(port);
    this.config = resolveStackConfig({ profile: 'test', brokers, only: services }, env, findRepoPaths());
  }

  get endpoints(): StackEndpoints {
    return endpointsFor(this.config);
  }

  /** Starts whatever of the stack is not running (all of it the first time) and waits until it answers. */
  async up(): Promise<void> {
    await stackUp(this.config, () => undefined);
  }

  /** Applies the project's migrations to the stores this stack runs. */
  async migrate(): Promise<void> {
    const stores = (['postgres', 'cassandra', 'mongo', 'kafka'] as const).filter((s) => this.config.services.includes(s === 'mongo' ? 'ferretdb' : s));
    await runMigrations(this.endpoints, { stores, report: () => undefined });
  }

  /** Stops services gracefully (and what depends on them: PostgreSQL takes FerretDB along). */
  async stop(only: readonly ServiceName[]): Promise<void> {
    await stackDown(this.config, { only }, () => undefined);
  }

  /** SIGKILLs one recorded server process of this stack (e.g. `kafka-2`), by its pid. */
  kill(name: string): void {
    const record = readProcessRecords(this.config.pidsDir).find((r) => r.name === name);
    if (!record || !isRecordAlive(record)) throw new Error(`${name} is not running in ${this.config.stateDir}`);
    process.kill(record.pid, 'SIGKILL');
  }

  /** Stops everything and deletes the state folder. */
  async destroy(): Promise<void> {
    await stackDown(this.config, { purge: true }, () => undefined).catch(() => undefined);
    rmSync(this.stateRoot, { recursive: true, force: true });
  }
}

/** Node ids leading partitions of the kiosk-events topic, the busiest leader first. */
export async function partitionLeaders(brokers: string[]): Promise<number[]> {
  const admin = new Kafka({ clientId: 'atrium-e2e-leaders', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topics.kioskEvents] });
    const counts = new Map<number, number>();
    for (const p of metadata.topics[0]?.partitions ?? []) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]).map(([leader]) => leader);
  } finally {
    await admin.disconnect();
  }
}
