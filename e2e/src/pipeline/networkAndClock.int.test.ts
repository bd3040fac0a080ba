import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { readOutboxMarks, topicEnds } from './faultFigures';
import { faultParameters, faultTestTimeout } from './faultParameters';
import { finishFault, pause, recoveryFrom, startFleet } from './faultScenario';
import { startPipelineRig, type PipelineRig } from './pipelineRig';
import { TcpProxy } from './tcpProxy';

const p = faultParameters();
const DAY_MS = 86_400_000;
let rig: PipelineRig;
let proxy: TcpProxy;

beforeAll(async () => {
  rig = await startPipelineRig({ name: 'netclock', endpoints: testEndpoints() });
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(rig.gatewayUrl).port) });
});

afterAll(async () => {
  await proxy?.stop();
  await rig?.stop();
});

/** Events stamped on the kiosk's own (wrong) clock, and events whose time was corrected (rawtime kept beside it). */
function clockStamps(dataDir: string): { wrong: number; corrected: number } {
  const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true });
  try {
    return db.prepare('SELECT COALESCE(sum(time_ms = raw_time_ms), 0) AS wrong, COALESCE(sum(time_ms <> raw_time_ms), 0) AS corrected FROM outbox').get() as { wrong: number; corrected: number };
  } finally {
    db.close();
  }
}

describe('fault: a kiosk loses its network while shoppers keep using it', () => {
  it(
    'given kiosks uploading through the network, when it is cut and later restored, then they keep recording offline and everything arrives exactly once',
    async () => {
      const from = await topicEnds(rig.stores.endpoints.kafkaBrokers);
      const identities = await rig.provision(1, p.kiosks);
      const fleet = startFleet(rig, identities, { ratePerS: p.ratePerKiosk, durationMs: p.networkCutMs + 10_000, drainTimeoutMs: p.settleTimeoutMs, gatewayUrl: proxy.url, seed: 11 });
      await pause(4_000);
      const before = identities.map((k) => readOutboxMarks(k.dataDir));
      await proxy.cut();
      await pause(p.networkCutMs);
      const during = identities.map((k) => readOutboxMarks(k.dataDir));
      await proxy.restore();
      const recovered = recoveryFrom(rig, p, identities);
      const recoverMs = await recovered();
      const result = await fleet.done;
      expect(result.drained).toBe(true);
      const recordedOffline = during.reduce((n, m, i) => n + m.lastSequence - before[i]!.lastSequence, 0);
      const ackedOffline = during.reduce((n, m, i) => n + m.ackedThrough - before[i]!.ackedThrough, 0);
      const report = await finishFault(rig, p, `network cut for ${p.networkCutMs / 1000} s`, 1, from, [recoverMs], [`recorded while offline: ${recordedOffline} events; acknowledged during the cut: ${ackedOffline} (in-flight replies before the cut at most)`], identities);
      // Then: shoppers were served (events kept being recorded) and nothing was lost.
      expect(recordedOffline).toBeGreaterThan(0);
      expect(report.lost).toBe(0);
      expect(report.auditClean).toBe(true);
    },
    faultTestTimeout(p, p.networkCutMs),
  );
});

describe('fault: a kiosk clock a day ahead, and a day behind', () => {
  it.each([
    ['a day ahead', DAY_MS, 10],
    ['a day behind', -DAY_MS, 20],
  ])(
    'given a kiosk whose clock is %s, when it records and uploads, then the gateway accepts it after one refusal, later events carry corrected time, and everything is stored exactly once',
    async (label, skewMs, first) => {
      const from = await topicEnds(rig.stores.endpoints.kafkaBrokers);
      const identities = await rig.provision(first, 1);
      const fleet = startFleet(rig, identities, { ratePerS: 10, durationMs: 8_000, drainTimeoutMs: p.settleTimeoutMs, clockSkewMs: skewMs, seed: first });
      const result = await fleet.done;
      expect(result.drained).toBe(true);
      const recoverMs = await recoveryFrom(rig, p, identities)();
      const clock = clockStamps(identities[0]!.dataDir);
      const report = await finishFault(rig, p, `kiosk clock ${label}`, 1, from, [recoverMs], [
        `stamped on the kiosk's wrong clock before it learned server time: ${clock.wrong}; stamped with corrected time (rawtime kept): ${clock.corrected}; kiosk drained in ${result.kiosks[0]!.drainMs} ms after recording`,
      ], identities);
      expect(clock.corrected).toBeGreaterThan(0);
      expect(report.lost).toBe(0);
      expect(report.auditClean).toBe(true);
    },
    faultTestTimeout(p, 10_000),
  );
});
