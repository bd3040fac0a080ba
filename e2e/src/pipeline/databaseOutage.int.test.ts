import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { answers200 } from './childService';
import { topicEnds } from './faultFigures';
import { faultParameters, faultTestTimeout } from './faultParameters';
import { finishFault, pause, recoveryFrom, startFleet } from './faultScenario';
import { startPipelineRig, type PipelineRig } from './pipelineRig';
import { PrivateStack } from './privateStack';

const p = faultParameters();
// Private Cassandra, PostgreSQL and FerretDB (own ports and state), since these tests stop them;
// Kafka is the shared test stack's.
const stores = new PrivateStack(['postgres', 'ferretdb', 'cassandra'], 1, {
  PG_PORT: 25_433,
  FERRETDB_PORT: 47_017,
  CASSANDRA_PORT: 29_042,
  CASSANDRA_STORAGE_PORT: 27_010,
  CASSANDRA_JMX_PORT: 27_209,
});
let rig: PipelineRig;

/** The cloud's paused consumers and their last errors, as its /readyz reports them (for the report when recovery stalls). */
async function pausedConsumers(readyUrl: string): Promise<string> {
  try {
    const body = (await (await fetch(readyUrl, { signal: AbortSignal.timeout(3_000) })).json()) as { consumers: { stage: string; pausedSince: string | null; lastError: string | null }[] };
    return body.consumers.filter((c) => c.pausedSince).map((c) => `${c.stage} since ${c.pausedSince} (${c.lastError ?? 'no error'})`).join('; ') || 'none';
  } catch (error) {
    return `readyz did not answer: ${(error as Error).message}`;
  }
}

beforeAll(async () => {
  await stores.up();
  await stores.migrate();
  rig = await startPipelineRig({ name: 'dbdown', endpoints: { ...stores.endpoints, kafkaBrokers: testEndpoints().kafkaBrokers } });
}, 600_000);

afterAll(async () => {
  await rig?.stop();
  await stores.destroy();
}, 300_000);

describe('fault: a database of the pipeline is stopped for a while', () => {
  it.each([
    ['Cassandra (the event store)', ['cassandra'] as const, p.cassandraDownMs, 1],
    ['PostgreSQL, and FerretDB with it (device registry, views)', ['postgres'] as const, p.postgresDownMs, 11],
  ])(
    'given kiosks uploading, when %s is stopped and started again, then nothing is lost and the views catch up',
    async (what, services, downMs, first) => {
      const from = await topicEnds(rig.stores.endpoints.kafkaBrokers);
      const identities = await rig.provision(first, p.kiosks);
      const crashesBefore = { gateway: rig.gateway.crashes, cloud: rig.cloud.crashes };
      const fleet = startFleet(rig, identities, { ratePerS: p.ratePerKiosk, durationMs: downMs + 12_000, drainTimeoutMs: p.settleTimeoutMs + downMs, seed: first });
      await pause(4_000);
      const stopped = Date.now();
      await stores.stop(services);
      await pause(Math.max(0, downMs - (Date.now() - stopped)));
      const restartStarted = Date.now();
      await stores.up();
      const restartMs = Date.now() - restartStarted;
      // Recovered: every event recorded by the restart is stored, and no consumer is paused any more (views applying again).
      const stored = recoveryFrom(rig, p, identities);
      let stillPaused = '';
      const consumersBack = (async () => {
        const deadline = Date.now() + p.settleTimeoutMs;
        while (Date.now() < deadline && !(await answers200(rig.cloudReadyUrl).catch(() => false))) await pause(200);
        if (Date.now() >= deadline) stillPaused = await pausedConsumers(rig.cloudReadyUrl);
        return Date.now() - restartStarted - restartMs;
      })();
      const recoverMs = Math.max(await stored(), await consumersBack);
      const result = await fleet.done;
      expect(result.drained).toBe(true);
      const report = await finishFault(rig, p, `${what} stopped for ${downMs / 1000} s`, 1, from, [recoverMs], [
        `the restart took ${restartMs} ms until the server answered; time to recover counts from then until everything recorded by then is stored and no consumer is paused`,
        `service crashes during the outage: gateway ${rig.gateway.crashes - crashesBefore.gateway}, cloud services ${rig.cloud.crashes - crashesBefore.cloud}`,
        ...(stillPaused ? [`consumers still paused at the deadline: ${stillPaused}`] : []),
      ], identities);
      expect(report.lost).toBe(0);
      expect(report.auditClean).toBe(true);
      // The services ride out the outage themselves: the rig's supervisor must not have restarted them.
      expect({ gateway: rig.gateway.crashes, cloud: rig.cloud.crashes }).toEqual(crashesBefore);
    },
    faultTestTimeout(p, Math.max(p.cassandraDownMs, p.postgresDownMs) + 120_000),
  );
});
