import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromKafkaRecord, topics, type ValidEvent } from '@atrium/contracts';
import type { RunningGateway } from '../../../sync-gateway/src/app/startGateway';
import { endOffsets, ensureTopics, readBetween, stackEndpoints, startTestGateway } from '../../../sync-gateway/src/testing/intHarness';
import type { KioskShell } from '../../../kiosk-app/src/shell/startKioskShell';
import { startSession, until } from './kioskHarness';
import { openStore } from './journeys';
import { startRealGatewayKiosk, type RealGatewayKiosk } from './realGatewayKiosk';
import { freePort } from '../pipeline/childService';

// The whole path with the real sync gateway: kiosk UI → bridge → edge outbox → signed upload →
// gateway → Kafka; and the gateway's urgent channel → shell → page.
describe('the kiosk against the real sync gateway', () => {
  const { brokers, pgUrl } = stackEndpoints();
  const kioskId = `mall-01-e2e-${Date.now().toString(36)}`;
  let pool: pg.Pool;
  let admin: Admin;
  let gateway: RunningGateway | undefined;
  let shell: KioskShell;
  let kiosk: RealGatewayKiosk;
  let page: Page;
  let port: number;
  let offsetsBefore: Map<number, bigint>;

  beforeAll(async () => {
    await ensureTopics(brokers);
    pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
    admin = new Kafka({ clientId: 'kiosk-e2e', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    offsetsBefore = await endOffsets(admin, topics.kioskEvents);
    port = await freePort();
    kiosk = await startRealGatewayKiosk({
      pool,
      kioskId,
      gatewayUrl: `http://127.0.0.1:${port}`,
      sync: { backoffBaseMs: 100, backoffCapMs: 1000, idlePollMs: 1000 },
      urgent: true,
      seedDemoContent: true,
    });
    ({ shell, page } = kiosk);
  });

  afterAll(async () => {
    await kiosk?.close();
    await gateway?.stop();
    await admin?.disconnect();
    await pool?.end();
  });

  it('given the gateway not running yet, when a shopper uses the kiosk, then the journeys work and the events wait in the outbox', async () => {
    await startSession(page);
    await openStore({ page, shell }, 'store-0007');
    await page.getByTestId('directions').click();
    await page.getByTestId('route-line').first().waitFor();
    await until(() => shell.edge.sync.status().link === 'offline', 'the kiosk to notice the gateway is down');
    await page.getByTestId('end-session').click();
    await page.getByTestId('attract').waitFor();
    await until(() => shell.edge.outbox.watermarks().lastSequence >= 4, 'the journey events in the outbox');
    expect(shell.edge.sync.status().ackedThrough).toBe(0);
  });

  it('given the gateway comes up, when the kiosk syncs, then Kafka holds every queued event, in order, keyed by the kiosk', async () => {
    gateway = await startTestGateway({ producer: 'kafkajs', kioskPort: port });
    const last = shell.edge.outbox.watermarks().lastSequence;
    await until(() => shell.edge.sync.status().ackedThrough >= last, 'the gateway to acknowledge the queue', 90_000);
    const records = (await readBetween(brokers, topics.kioskEvents, offsetsBefore, await endOffsets(admin, topics.kioskEvents))).filter((r) => r.key === kioskId);
    const events = records
      .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
      .map((r) => fromKafkaRecord({ key: r.key, value: r.value ?? '', headers: r.headers } as never))
      .flatMap((r) => (r.ok ? [r.event as ValidEvent] : []));
    expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['mall.session.started', 'mall.store.viewed', 'mall.route.requested', 'mall.session.ended']));
  });

  it('given ops broadcast an emergency on the gateway, when it reaches the kiosk, then it pre-empts the screen', async () => {
    const message = { kind: 'emergency' as const, id: `em-${kioskId}`, message: { en: 'Fire alarm: leave by the nearest exit.' } };
    const response = await fetch(`${gateway!.adminUrl}/admin/v1/broadcasts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, kioskIds: [kioskId] }) });
    expect(response.status).toBeLessThan(300);
    // The gateway keeps an emergency in force, so the relay gets it even if it is still
    // reconnecting (with its backoff) after the gateway was down.
    await page.getByTestId('emergency').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('emergency-text').textContent()).resolves.toBe(message.message.en);
  });
});
