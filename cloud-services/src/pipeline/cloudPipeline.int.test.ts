import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';
import { deadLetterHeaders } from '@atrium/contracts';
import { ALL_PROJECTIONS } from '../config/cloudConfig';
import { runGapAudit } from '../audit/gapAuditService';
import { EVENT_STORE_STAGE } from '../eventStore/eventStoreWriter';
import { headersAsStrings } from '../kafka/decodeRecord';
import { createServiceMetrics } from '../metrics/serviceMetrics';
import { startConsumers } from '../runtime/cloudConsumers';
import { createCloudTestKit, eventually, type CloudTestKit } from '../testing/cloudTestKit';
import { expectedTypeCounts, mixedEvents } from '../testing/eventMix';
import { expectedCounts, viewCounts } from '../testing/viewSnapshot';
import { viewContents } from '../testing/viewContents';
import { rebuildView } from '../replay/rebuildView';

const STAGES = [EVENT_STORE_STAGE, ...ALL_PROJECTIONS];
const execFileAsync = promisify(execFile);

describe('cloud pipeline: event store and every view', () => {
  let kit: CloudTestKit;
  beforeAll(async () => {
    kit = await createCloudTestKit('pipeline', 3);
  });
  afterAll(async () => {
    await kit?.cleanup();
  });

  it('given records delivered twice and a rebalance between two members, when consumed, then each event takes effect exactly once everywhere', async () => {
    const kiosks = ['mall-07-k001', 'mall-07-k002', 'mall-08-k003', 'mall-08-k004'];
    const offer = `offer-${kit.suffix}`;
    const firstHalf = kiosks.flatMap((k) => mixedEvents(k, 1, 40, offer));
    const secondHalf = kiosks.flatMap((k) => mixedEvents(k, 41, 80, offer));

    // Given: the first half is produced twice, as a retrying producer or the gateway might.
    await kit.produce(firstHalf);
    await kit.produce(firstHalf);
    const memberA = await startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), { stages: STAGES, sessionTimeoutMs: 10_000 });
    await eventually(async () => (await viewCounts(kit, kiosks)).claims >= kiosks.length * 5, 'first half applied').catch(async (e) => {
      console.error(JSON.stringify(await viewCounts(kit, kiosks)));
      throw e;
    });

    // When: a second member joins every group (rebalance), the second half arrives, then the first member leaves (another rebalance).
    const memberB = await startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), { stages: STAGES, sessionTimeoutMs: 10_000 });
    await kit.produce(secondHalf);
    await kit.produce(secondHalf.slice(0, 50));
    await memberA.stop();

    // Then: counts match one application of each distinct event.
    const expected = expectedCounts(kiosks.length, 80, expectedTypeCounts(80));
    await eventually(async () => JSON.stringify(await viewCounts(kit, kiosks)) === JSON.stringify(expected), 'views to settle', 120_000).catch(() => undefined);
    expect(await viewCounts(kit, kiosks)).toEqual(expected);
    await memberB.stop();

    const audits = await runGapAudit(await kit.connections.eventStore(), { kioskIds: kiosks });
    expect(audits.map((a) => [a.kioskId, a.highestContiguous, a.storedCount, a.missingCount])).toEqual(kiosks.map((k) => [k, 80, 80, 0]));
  }, 400_000);

  it('given the live views, when every view is rebuilt from the event store, then the rebuild equals the live view and swaps in', async () => {
    for (const name of ALL_PROJECTIONS) {
      const live = await viewContents(kit, name);
      const report = await rebuildView(name, kit.config, kit.connections, { swap: false });
      expect(report.events).toBe(320);
      expect(await viewContents(kit, name, '_rebuild')).toEqual(live);
      await rebuildView(name, kit.config, kit.connections, { swap: true });
      expect(await viewContents(kit, name)).toEqual(live);
    }
  }, 300_000);

  it('given the live views, when ops rebuild one with the replay command and --swap, then it reports its progress and the swapped view equals the live one', async () => {
    const name = 'store-popularity';
    const live = await viewContents(kit, name);
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', 'cloud-services/src/replay/replayCli.ts', '--view', name, '--swap', '--json'], {
      cwd: findRepoPaths().root,
      env: { ...process.env, ...kit.env },
    });
    expect(JSON.parse(stdout.trim())).toMatchObject({ projection: name, events: 320, kiosks: 4, swapped: true });
    expect(stderr).toMatch(/rebuilding store-popularity: \d+ kiosks, \d+ events/);
    expect(await viewContents(kit, name)).toEqual(live);
  }, 120_000);

  it('given a record that fails validation, when consumed, then it goes to the dead-letter topic with its reason and the consumer moves on', async () => {
    const kioskId = 'mall-09-k001';
    const offer = `offer-${kit.suffix}`;
    const [good1, bad, good3] = mixedEvents(kioskId, 1, 3, offer);
    await kit.produce([good1!]);
    await kit.producer.send({ topic: kit.config.topics.kioskEvents, messages: [{ key: kioskId, value: '{"not":"a heartbeat"', headers: { 'ce_specversion': '1.0', 'ce_kioskid': kioskId, 'ce_sequence': String(bad!.sequence), 'ce_type': 'kiosk.heartbeat' } }] });
    await kit.produce([good3!]);
    const member = await startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), { stages: [EVENT_STORE_STAGE] });
    const store = await kit.connections.eventStore();
    await eventually(async () => (await runGapAudit(store, { kioskIds: [kioskId] }))[0]?.highestSeen === 3, 'writer to pass the poison record');
    await member.stop();

    const [audit] = await runGapAudit(store, { kioskIds: [kioskId] });
    expect(audit).toMatchObject({ highestContiguous: 3, storedCount: 2, deadLetteredCount: 1, missingCount: 0 });

    const dlq = kit.connections.kafka.consumer({ groupId: `${kit.config.groupPrefix}.dlq-reader` });
    await dlq.connect();
    await dlq.subscribe({ topic: kit.config.topics.processingDeadLetter, fromBeginning: true });
    const seen: Record<string, string>[] = [];
    await dlq.run({ eachMessage: async ({ message }) => void seen.push(headersAsStrings(message.headers)) });
    await eventually(async () => seen.some((h) => h['ce_kioskid'] === kioskId), 'dead-letter record');
    await dlq.disconnect();
    const record = seen.find((h) => h['ce_kioskid'] === kioskId)!;
    expect(record[deadLetterHeaders.stage]).toBe(EVENT_STORE_STAGE);
    expect(record[deadLetterHeaders.code]).toBe('EVENT_INVALID');
    expect(record[deadLetterHeaders.reason]).toMatch(/JSON/);
  });
});
