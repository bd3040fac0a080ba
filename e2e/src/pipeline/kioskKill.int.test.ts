import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { ChildService } from './childService';
import { readOutboxMarks, topicEnds } from './faultFigures';
import { faultParameters, faultTestTimeout } from './faultParameters';
import { between, finishFault, pause, recoveryFrom } from './faultScenario';
import { startPipelineRig, type PipelineRig } from './pipelineRig';
import type { SimulatedKioskIdentity } from './provisionDevice';
import { TcpProxy } from './tcpProxy';

const p = faultParameters();
const KIOSKS = 2;
let rig: PipelineRig;
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  rig = await startPipelineRig({ name: 'kioskkill', endpoints: testEndpoints() });
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  await rig?.stop();
});

/** One kiosk as a child process: the fleet simulator for that kiosk alone, through its own proxy. */
function kioskProcess(identity: SimulatedKioskIdentity, n: number, proxy: TcpProxy, args: string[]): ChildService {
  return new ChildService({
    name: identity.kioskId,
    script: 'e2e/src/pipeline/fleetSimulator.ts',
    args: ['--run-dir', rig.runDir, '--mall', rig.mallId, '--first-kiosk', String(n), '--kiosks', '1', '--gateway', proxy.url, '--no-provision', '--backoff-cap-ms', '2000', ...args],
    env: {},
    logFile: join(rig.workDir, 'logs', `${identity.kioskId}.log`),
  });
}

async function untilRecording(identity: SimulatedKioskIdentity, above: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && readOutboxMarks(identity.dataDir).lastSequence <= above) await pause(100);
}

describe('fault: a kiosk is SIGKILLed mid-append and mid-upload, repeatedly', () => {
  it(
    'given kiosks as child processes recording and uploading, when each is killed at random points and restarted, then every committed event is stored exactly once and the views match',
    async () => {
      const from = await topicEnds(rig.stores.endpoints.kafkaBrokers);
      const identities = await rig.provision(1, KIOSKS);
      const gatewayPort = Number(new URL(rig.gatewayUrl).port);
      for (let i = 0; i < KIOSKS; i += 1) proxies.push(await TcpProxy.start({ host: '127.0.0.1', port: gatewayPort }));
      // Even rounds record at a kiosk-like 60 events/s and strike during an upload; odd rounds record as
      // fast as SQLite commits (FULL sync, one event per transaction), so the kill lands inside an append.
      const recording = (round: number) => ['--rate', round % 2 === 0 ? '60' : '5000', '--events', '100000000', '--duration', '3600'];
      const kills = { midUpload: 0, midAppend: 0, other: 0 };
      const recoverMs: number[] = [];
      await Promise.all(
        identities.map(async (identity, i) => {
          const proxy = proxies[i]!;
          for (let round = 0; round < p.kioskKillRounds; round += 1) {
            const child = kioskProcess(identity, i + 1, proxy, [...recording(round), '--seed', String(round * 10 + i)]);
            await child.start();
            await untilRecording(identity, readOutboxMarks(identity.dataDir).lastSequence);
            await pause(between(300, 1_500));
            if (round % 2 === 1) kills.midAppend += 1;
            else if (await proxy.untilInFlight(5_000)) {
              await pause(between(0, 5));
              kills.midUpload += 1;
            } else kills.other += 1;
            await child.kill('SIGKILL');
            await child.stop();
          }
          // Last start: record nothing more, drain what is queued, exit 0 when acknowledged.
          const last = kioskProcess(identity, i + 1, proxy, ['--events', '0', '--drain-timeout', String(p.settleTimeoutMs / 1000)]);
          await last.start();
          const recovered = recoveryFrom(rig, p);
          expect(await last.waitForExit(p.settleTimeoutMs + 60_000)).toBe(0);
          await last.stop();
          recoverMs.push(await recovered());
        }),
      );
      const report = await finishFault(rig, p, 'kiosk SIGKILL mid-append / mid-upload', p.kioskKillRounds, from, recoverMs, [
        `${KIOSKS} kiosks x ${p.kioskKillRounds} kills: ${kills.midUpload} with a batch in flight, ${kills.midAppend} while recording flat out (inside an append), ${kills.other} with no upload seen in 5 s`,
        'time to recover: from the last restart until everything recorded is stored',
      ]);
      expect(report.lost).toBe(0);
      expect(report.auditClean).toBe(true);
      expect(report.stored).toBe(report.recorded);
    },
    faultTestTimeout(p, p.kioskKillRounds * 20_000),
  );
});
