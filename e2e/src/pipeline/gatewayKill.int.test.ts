import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { topicEnds } from './faultFigures';
import { faultParameters, faultTestTimeout } from './faultParameters';
import { between, finishFault, pause, recoveryFrom, startFleet } from './faultScenario';
import { startPipelineRig, type PipelineRig } from './pipelineRig';

const p = faultParameters();
let rig: PipelineRig;

beforeAll(async () => {
  rig = await startPipelineRig({ name: 'gwkill', endpoints: testEndpoints() });
});

afterAll(async () => {
  await rig?.stop();
});

describe('fault: the gateway is SIGKILLed mid-batch, repeatedly', () => {
  it(
    'given kiosks recording and uploading, when the gateway is killed and restarted again and again, then every recorded event is stored exactly once and the views match',
    async () => {
      const from = await topicEnds(rig.stores.endpoints.kafkaBrokers);
      const identities = await rig.provision(1, p.kiosks);
      const recordMs = p.gatewayKillRounds * (p.gatewayDownMs + 4_000) + 6_000;
      const fleet = startFleet(rig, identities, { ratePerS: p.ratePerKiosk, durationMs: recordMs, drainTimeoutMs: p.settleTimeoutMs });
      const recoverMs: number[] = [];
      await pause(3_000);
      for (let round = 0; round < p.gatewayKillRounds; round += 1) {
        // Kiosks upload continuously at this rate, so a kill lands with batches in flight.
        await rig.gateway.kill('SIGKILL');
        await pause(p.gatewayDownMs);
        await rig.gateway.start();
        const recovered = recoveryFrom(rig, p);
        recoverMs.push(await recovered());
        await pause(between(500, 2_500));
      }
      const result = await fleet.done;
      expect(result.drained).toBe(true);
      const report = await finishFault(rig, p, 'gateway SIGKILL mid-batch', p.gatewayKillRounds, from, recoverMs, [`gateway down ${p.gatewayDownMs} ms per round, restarted ${rig.gateway.starts - 1} times`]);
      expect(report.lost).toBe(0);
      expect(report.auditClean).toBe(true);
      expect(report.stored).toBe(report.recorded);
    },
    faultTestTimeout(p, p.gatewayKillRounds * 10_000),
  );
});
