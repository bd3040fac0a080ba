import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { readOutboxMarks, topicEnds } from './faultFigures';
import { faultParameters, faultTestTimeout } from './faultParameters';
import { finishFault, pause, recoveryFrom, startFleet } from './faultScenario';
import { startPipelineRig, type PipelineRig } from './pipelineRig';
import { partitionLeaders, PrivateStack } from './privateStack';
import { openSimulatedEdge } from './simulatedKiosk';

const p = faultParameters();
// A private three-broker cluster (RF 3, min.insync.replicas 2) on its own ports; the event store
// and views stay on the shared test stack, in the rig's own keyspace, schema and database.
const kafka = new PrivateStack(['kafka'], 3, { KAFKA_PORT: 29_300, KAFKA_CONTROLLER_PORT: 29_301 });
let rig: PipelineRig;

beforeAll(async () => {
  await kafka.up();
  rig = await startPipelineRig({ name: 'brokers', endpoints: { ...testEndpoints(), kafkaBrokers: kafka.endpoints.kafkaBrokers } });
}, 600_000);

afterAll(async () => {
  await rig?.stop();
  await kafka.destroy();
}, 300_000);

describe('fault: Kafka brokers die under ingest (3 brokers, RF 3, min ISR 2)', () => {
  it(
    'given kiosks uploading, when the broker leading the most partitions is SIGKILLed and later restarted, then ingest continues and nothing is lost',
    async () => {
      const from = await topicEnds(kafka.endpoints.kafkaBrokers);
      const identities = await rig.provision(1, p.kiosks);
      const fleet = startFleet(rig, identities, { ratePerS: p.ratePerKiosk, durationMs: p.brokerLeaderDownMs + 8_000, drainTimeoutMs: p.settleTimeoutMs, seed: 3 });
      await pause(4_000);
      const [leader] = await partitionLeaders(kafka.endpoints.kafkaBrokers);
      const killedAt = Date.now();
      kafka.kill(`kafka-${leader}`);
      // Batches in flight at the kill settle first; then ingest must go on with two brokers in sync.
      await pause(1_000);
      const before = identities.map((k) => readOutboxMarks(k.dataDir).ackedThrough);
      const acked = () => identities.reduce((n, k, i) => n + readOutboxMarks(k.dataDir).ackedThrough - before[i]!, 0);
      while (acked() === 0 && Date.now() - killedAt < 60_000) await pause(100);
      const failoverMs = Date.now() - killedAt;
      await pause(Math.max(0, p.brokerLeaderDownMs - (Date.now() - killedAt)));
      const ackedWhileDown = acked();
      await kafka.up();
      const recoverMs = await recoveryFrom(rig, p, identities)();
      const result = await fleet.done;
      expect(result.drained).toBe(true);
      const report = await finishFault(rig, p, 'partition leader SIGKILLed during ingest', 1, from, [recoverMs], [
        `killed kafka-${leader} for ${Math.max(p.brokerLeaderDownMs, failoverMs)} ms; acknowledgements resumed ${failoverMs} ms after the kill (two replicas in sync); ${ackedWhileDown} events acknowledged while it was down`,
      ], identities);
      expect(ackedWhileDown).toBeGreaterThan(0);
      expect(report.lost).toBe(0);
      expect(report.auditClean).toBe(true);
    },
    faultTestTimeout(p, p.brokerLeaderDownMs + 120_000),
  );

  it(
    'given kiosks uploading, when two of three brokers are SIGKILLed, then the gateway answers 503, acknowledges nothing, and after the restart everything acknowledged is stored',
    async () => {
      const from = await topicEnds(kafka.endpoints.kafkaBrokers);
      const identities = await rig.provision(11, p.kiosks);
      const [probeIdentity] = await rig.provision(19, 1);
      const fleet = startFleet(rig, identities, { ratePerS: p.ratePerKiosk, durationMs: p.twoBrokersDownMs + 12_000, drainTimeoutMs: p.settleTimeoutMs, seed: 4 });
      await pause(4_000);
      const [first, second] = await partitionLeaders(kafka.endpoints.kafkaBrokers).then((l) => [...new Set([...l, 1, 2, 3])]);
      kafka.kill(`kafka-${first}`);
      kafka.kill(`kafka-${second}`);
      // Batches already in the gateway may still be answered until the produce timeout; after it, none.
      await pause(6_000);
      const settled = identities.map((k) => readOutboxMarks(k.dataDir).ackedThrough);
      const probe = openSimulatedEdge({ identity: probeIdentity!, gatewayUrl: rig.gatewayUrl, ratePerS: 1, maxEvents: 1, maxDurationMs: 1, drainTimeoutMs: 1, seed: 1 });
      let probeStep;
      try {
        probe.outbox.append({ type: 'kiosk.heartbeat', data: { version: '1.4.0', uptimeS: 1, queueDepth: 0, sessionActive: false } });
        probeStep = await probe.sync.syncOnce();
      } finally {
        probe.close();
      }
      await pause(Math.max(0, p.twoBrokersDownMs - 6_000));
      const ackedDuringOutage = identities.reduce((n, k, i) => n + readOutboxMarks(k.dataDir).ackedThrough - settled[i]!, 0);
      const recordedDuringOutage = identities.reduce((n, k, i) => n + readOutboxMarks(k.dataDir).lastSequence - settled[i]!, 0);
      await kafka.up();
      const recoverMs = await recoveryFrom(rig, p, identities)();
      // The probe kiosk delivers its refused heartbeat now, so the audit covers it too.
      const drain = startFleet(rig, [probeIdentity!], { ratePerS: 1, durationMs: 0, maxEvents: 0, drainTimeoutMs: p.settleTimeoutMs });
      const result = await fleet.done;
      expect((await drain.done).drained).toBe(true);
      expect(result.drained).toBe(true);
      const report = await finishFault(rig, p, 'two of three brokers SIGKILLed', 1, from, [recoverMs], [
        `killed kafka-${first} and kafka-${second} for ${p.twoBrokersDownMs} ms; probe upload answered ${probeStep.kind === 'failed' && probeStep.failure.kind === 'http' ? `${probeStep.failure.status} ${probeStep.failure.code}` : probeStep.kind}`,
        `while down (after the produce timeout): ${recordedDuringOutage} events recorded, ${ackedDuringOutage} acknowledged`,
      ], [...identities, probeIdentity!]);
      expect(probeStep).toMatchObject({ kind: 'failed', failure: { kind: 'http', status: 503, code: 'BACKEND_UNAVAILABLE' } });
      expect(ackedDuringOutage).toBe(0);
      expect(report.lost).toBe(0);
      expect(report.auditClean).toBe(true);
    },
    faultTestTimeout(p, p.twoBrokersDownMs + 120_000),
  );
});
