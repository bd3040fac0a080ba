// A kiosk's real edge (SQLite store, transactional outbox, signed sync client) on the data folder
// `kioskctl enrol` left, run by the tunnel tests inside a kiosk's network namespace, so every
// upload goes through that kiosk's WireGuard tunnel.
//   tsx e2e/src/tunnel/tunnelKiosk.ts <data dir>
// Commands on stdin, one JSON line each; one JSON line answers each on stdout:
//   {"record": n}   records n offer claims, one SQLite transaction each → {"first", "last"}
//   {"status": true} → the sync client's status (watermarks, queue, last error)
//   {"sync": "pause" | "resume"} stops or restarts the upload loop (events then only queue) → {"sync"}
// First line on stdout: {"ready": true, "kioskId", "deviceId"}. SIGTERM stops it cleanly.
import { createInterface } from 'node:readline';
import { openKioskEdge, parseKioskEdgeConfig, readEnrolment } from '../../../kiosk-app/src/edge/index';
import { offerClaimed } from '../../../kiosk-app/src/edge/testing/sampleEvents';

const dataDir = process.argv[2];
if (!dataDir || dataDir === '--help') {
  console.log('usage: tsx e2e/src/tunnel/tunnelKiosk.ts <enrolled kiosk data dir>  (commands on stdin: {"record":n} | {"status":true})');
  process.exit(dataDir ? 0 : 2);
}

const enrolled = readEnrolment(dataDir);
const edge = openKioskEdge(
  parseKioskEdgeConfig({
    store: { dataDir, synchronous: 'FULL' },
    outbox: { kioskId: enrolled.kioskId },
    // Short retry delays keep the test quick; the policy itself is the kiosk's.
    sync: { backoffBaseMs: 250, backoffCapMs: 2_000, blockedRetryMs: 3_000, idlePollMs: 1_000 },
    gateway: { url: enrolled.url, deviceId: enrolled.deviceId, deviceKeyPath: enrolled.deviceKeyPath, requestTimeoutMs: 10_000 },
  }),
);
let stop = new AbortController();
let syncLoop = edge.sync.run(stop.signal);
let claims = 0;

const answer = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

async function handle(command: { record?: number; status?: boolean; sync?: 'pause' | 'resume' }): Promise<unknown> {
  if (typeof command.record === 'number') {
    let first = 0;
    let last = 0;
    for (let i = 0; i < command.record; i += 1) {
      const appended = edge.outbox.append(offerClaimed((claims += 1)));
      if (appended.kind !== 'appended') throw new Error(`event not recorded: ${appended.reason}`);
      first ||= appended.sequence;
      last = appended.sequence;
    }
    return { first, last };
  }
  if (command.sync === 'pause') {
    stop.abort();
    await syncLoop;
    return { sync: 'paused' };
  }
  if (command.sync === 'resume') {
    if (!edge.sync.isRunning()) {
      stop = new AbortController();
      syncLoop = edge.sync.run(stop.signal);
    }
    return { sync: 'running' };
  }
  return edge.sync.status();
}

// Commands are handled one after another, in the order they arrive.
let queue: Promise<void> = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(async () => answer(await handle(JSON.parse(line))));
});

process.once('SIGTERM', () => {
  stop.abort();
  void syncLoop.finally(() => {
    edge.close();
    process.exit(0);
  });
});
answer({ ready: true, kioskId: enrolled.kioskId, deviceId: enrolled.deviceId });
