// Fault test: the event-store writer as a child process, SIGKILLed again and again while it has
// written rows whose offsets it has not committed yet; afterwards every event is in the store
// exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidEvent } from '@atrium/contracts';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { runGapAudit } from '../audit/gapAuditService';
import { groupIdOf } from '../runtime/cloudConsumers';
import { createCloudTestKit, eventually, type CloudTestKit } from '../testing/cloudTestKit';
import { mixedEvents } from '../testing/eventMix';
import { EVENT_STORE_STAGE } from './eventStoreWriter';

const KIOSKS = Array.from({ length: 6 }, (_, i) => `mall-61-k00${i + 1}`);
const ROUNDS = 6;
const PER_KIOSK_PER_ROUND = 50;

describe('event-store writer killed between write and commit', () => {
  let kit: CloudTestKit;
  let child: ChildProcess | undefined;
  let childLog = '';

  beforeAll(async () => {
    kit = await createCloudTestKit('writerkill', 3);
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await kit?.cleanup();
  });

  const startWriter = () => {
    const root = findRepoPaths().root;
    const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'cloud-services/src/main.ts'), '--no-http', '--projections', 'none', '--no-pii-resealing', '--session-timeout-ms', '6000'], {
      cwd: root,
      env: { ...process.env, ...kit.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => void (childLog = (childLog + chunk.toString()).slice(-10_000));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    return proc;
  };
  const exit = (proc: ChildProcess) => new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));

  const storedRows = async () => {
    const cassandra = await kit.connections.cassandra();
    let n = 0;
    for (const kioskId of KIOSKS) n += Number((await cassandra.execute('SELECT count(*) AS n FROM events_by_kiosk WHERE kiosk_id = ? AND bucket = 0', [kioskId], { prepare: true })).rows[0]!.get('n'));
    return n;
  };
  const committedRecords = async () => {
    const [topic] = await kit.admin.fetchOffsets({ groupId: groupIdOf(kit.config, EVENT_STORE_STAGE), topics: [kit.config.topics.kioskEvents] });
    return topic!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };

  it('given a writer SIGKILLed at random points in several rounds, when a last one runs to the end, then each event is in the store exactly once', async () => {
    const produced: ValidEvent[] = [];
    let killsWithUncommittedRows = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      // Given: a fresh writer and a new chunk of every kiosk's events.
      child = startWriter();
      const before = await storedRows();
      const from = round * PER_KIOSK_PER_ROUND + 1;
      const chunk = KIOSKS.flatMap((k) => mixedEvents(k, from, from + PER_KIOSK_PER_ROUND - 1, 'offer-kill'));
      produced.push(...chunk);
      // Sent in slices while the writer runs, so it is mid-batch more often than idle.
      const producing = (async () => {
        for (let i = 0; i < chunk.length; i += 30) {
          await kit.produce(chunk.slice(i, i + 30));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      await eventually(async () => (await storedRows()) > before, `round ${round}: the writer to store something\n${childLog}`, 120_000);
      // When: killed at a random moment, preferably one where rows are written but not committed.
      const deadline = Date.now() + 2_000 + Math.floor(Math.random() * 6_000);
      let uncommitted = false;
      while (!uncommitted && Date.now() < deadline) uncommitted = (await storedRows()) > (await committedRecords());
      child.kill('SIGKILL');
      await exit(child);
      // Counted after the kill: rows in the store whose offsets the dead writer never committed.
      if ((await storedRows()) > (await committedRecords())) killsWithUncommittedRows += 1;
      await producing;
    }

    // A last writer runs until every offset is committed.
    child = startWriter();
    const end = await kit.admin.fetchTopicOffsets(kit.config.topics.kioskEvents);
    const total = end.reduce((sum, p) => sum + Number(p.high), 0);
    await eventually(async () => (await committedRecords()) === total, `the last writer to commit everything\n${childLog}`, 180_000);
    child.kill('SIGTERM');
    await exit(child);

    // Then: exactly the produced events, once each.
    expect(total).toBe(produced.length);
    expect(killsWithUncommittedRows).toBeGreaterThan(0);
    expect(await storedRows()).toBe(produced.length);
    const store = await kit.connections.eventStore();
    for (const kioskId of KIOSKS) {
      const ids: string[] = [];
      for await (const event of store.readKiosk(kioskId, 1, ROUNDS * PER_KIOSK_PER_ROUND)) ids.push(event.id);
      expect(ids).toEqual(produced.filter((e) => e.kioskid === kioskId).map((e) => e.id));
    }
    const audits = await runGapAudit(store, { kioskIds: KIOSKS });
    expect(audits.map((a) => [a.storedCount, a.missingCount, a.highestContiguous])).toEqual(KIOSKS.map(() => [ROUNDS * PER_KIOSK_PER_ROUND, 0, ROUNDS * PER_KIOSK_PER_ROUND]));
  }, 900_000);
});
