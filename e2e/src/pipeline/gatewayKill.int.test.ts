import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { topicEnds } from './faultFigures';
import { faultParameters, faultTestTimeout } from './faultParameters';
import { between, finishFault, pause, recoveryFrom, startFleet } from './faultScenario';
import { startPipelineRig, type PipelineRig } from './pipelineRig';
import { TcpProxy } from './tcpProxy';

const p = faultParameters();
let rig: PipelineRig;
let proxy: TcpProxy;

beforeAll(async () => {
  rig = await startPipelineRig({ name: 'gwkill', endpoints: testEndpoints() });
  // Kiosks reach the gateway through a loopback proxy that sees when a batch is in flight.
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(rig.gatewayUrl).port) });
});

afterAll(async () => {
  await proxy?.stop();
  await rig?.stop();
});

describe('fault: the gateway is SIGKILLed mid-batch, repeatedly', () => {
  it(
    'given kiosks recording and uploading, when the gateway is killed and restarted again and again, then every recorded event is stored exactly once and the views match',
    async () => {
      const from = await topicEnds(rig.stores.endpoints.kafkaBrokers);
      const identities = await rig.provision(1, p.kiosks);
      const recordMs = p.gatewayKillRounds * (p.gatewayDownMs + 4_000) + 6_000;
      const fleet = startFleet(rig, identities, { ratePerS: p.ratePerKiosk, durationMs: recordMs, drainTimeoutMs: p.settleTimeoutMs, gatewayUrl: proxy.url });
      const recoverMs: number[] = [];
      let midBatch = 0;
      await pause(3_000);
      for (let round = 0; round < p.gatewayKillRounds; round += 1) {
        // Strike while a batch is in the gateway (sent, not yet answered), a few ms into it.
        if (await proxy.untilInFlight(10_000)) midBatch += 1;
        await pause(between(1, 25));
        await rig.gateway.kill('SIGKILL');
        await pause(p.gatewayDownMs);
        await rig.gateway.start();
        const recovered = recoveryFrom(rig, p);
        recoverMs.push(await recovered());
        await pause(between(500, 2_500));
      }
      const result = await fleet.done;
      expect(result.drained).toBe(true);
      const report = await finishFault(rig, p, 'gateway SIGKILL mid-batch', p.gatewayKillRounds, from, recoverMs, [`gateway down ${p.gatewayDownMs} ms per round, restarted ${rig.gateway.starts - 1} times, ${midBatch} kills with a batch in flight`]);
      expect(report.lost).toBe(0);
      expect(report.auditClean).toBe(true);
      expect(report.stored).toBe(report.recorded);
    },
    faultTestTimeout(p, p.gatewayKillRounds * 10_000),
  );
});
