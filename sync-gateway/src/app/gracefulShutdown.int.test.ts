import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import { topics } from '@atrium/contracts';
import type { EventProducer, ProducerRecord } from '../kafka/eventProducer';
import { endOffsets, ensureTopics, readBetween, registerDevice, stackEndpoints, startTestGateway, uniqueKioskId } from '../testing/intHarness';
import { postBatch } from '../testing/signedFetch';
import { exampleEvents } from '../testing/unitServices';

/** Holds sends back until released, then hands them to the real producer (real Kafka acknowledges). */
class HeldProducer implements EventProducer {
  readonly adapter;
  held = 0;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  private onHeld: Array<() => void> = [];
  constructor(private readonly real: EventProducer) {
    this.adapter = real.adapter;
  }
  connect(): Promise<void> {
    return this.real.connect();
  }
  async send(records: readonly ProducerRecord[]): Promise<void> {
    this.held += 1;
    for (const wake of this.onHeld.splice(0)) wake();
    await this.gate;
    return this.real.send(records);
  }
  ping(timeoutMs: number): Promise<void> {
    return this.real.ping(timeoutMs);
  }
  disconnect(timeoutMs: number): Promise<void> {
    return this.real.disconnect(timeoutMs);
  }
  /** Resolves once a send is being held. */
  whenHeld(): Promise<void> {
    return this.held > 0 ? Promise.resolve() : new Promise((resolve) => this.onHeld.push(resolve));
  }
  letGo(): void {
    this.release();
  }
}

const { brokers, pgUrl } = stackEndpoints();
let pool: pg.Pool;
let admin: Admin;

beforeAll(async () => {
  await ensureTopics(brokers);
  pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
  admin = new Kafka({ clientId: 'gw-shutdown', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await pool?.end();
});

describe.each(['kafkajs', 'rdkafka'] as const)('graceful shutdown with the %s producer', (adapter) => {
  it('given a batch in flight when shutdown starts, then it is still acknowledged by Kafka and answered 200, new ones are refused, and the producer closes', async () => {
    let held: HeldProducer | undefined;
    const gateway = await startTestGateway({ producer: adapter }, { wrapProducer: (real) => (held = new HeldProducer(real)) });
    const kioskId = uniqueKioskId('gwstop');
    const key = await registerDevice(pool, kioskId);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await fetch(`${gateway.adminUrl}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 250));

    const before = await endOffsets(admin, topics.kioskEvents);
    const events = exampleEvents(kioskId, 1, 20);
    const inFlight = postBatch(gateway.kioskUrl, key, events);
    await held!.whenHeld();
    const stopped = gateway.stop();
    const late = await postBatch(gateway.kioskUrl, key, exampleEvents(kioskId, 21, 1)).then(
      (r) => r.status,
      () => 'refused' as const,
    );
    held!.letGo();
    const answer = await inFlight;
    await stopped;

    expect(answer.status).toBe(200);
    expect(answer.body.ackedThrough).toBe(20);
    expect([503, 'refused']).toContain(late);
    const after = await endOffsets(admin, topics.kioskEvents);
    const records = (await readBetween(brokers, topics.kioskEvents, before, after)).filter((r) => r.key === kioskId);
    expect(records.map((r) => r.headers['ce_id'])).toEqual(events.map((e) => e.id));
  });
});
