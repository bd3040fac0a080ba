import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '@atrium/contracts';
import type { EventProducer, ProducerRecord } from '../kafka/eventProducer';
import { AckGate } from './ackGate';

/** A producer whose acknowledgements the test releases by hand (no Kafka in the unit tier). */
class ManualProducer implements EventProducer {
  readonly adapter = 'kafkajs' as const;
  readonly pending: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  async connect(): Promise<void> {}
  send(_records: readonly ProducerRecord[]): Promise<void> {
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  async ping(): Promise<void> {}
  async disconnect(): Promise<void> {}
}

const record = (value: string): ProducerRecord => ({ topic: 't', key: 'k', value, headers: {} });
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok' as const, (e: { code: ErrorCode }) => e.code);

describe('the acknowledgement gate', () => {
  it('given Kafka acknowledges, then the batch resolves and its bytes are returned', async () => {
    const producer = new ManualProducer();
    const gate = new AckGate(producer, { produceTimeoutMs: 60_000, inFlightBytes: 10_000, retryAfterS: 3 });
    const sent = gate.produce([record('a')]);
    expect(gate.pendingBytes).toBeGreaterThan(0);
    producer.pending[0]?.resolve();
    await sent;
    await Promise.resolve();
    expect(gate.pendingBytes).toBe(0);
  });

  it('given too many bytes awaiting Kafka, then a new batch is refused at once with 503, until Kafka catches up', async () => {
    const producer = new ManualProducer();
    const gate = new AckGate(producer, { produceTimeoutMs: 60_000, inFlightBytes: 300, retryAfterS: 3 });
    const first = gate.produce([record('x'.repeat(150))]);
    expect(await codeOf(gate.produce([record('y'.repeat(150))]))).toBe('BACKEND_UNAVAILABLE');
    producer.pending[0]?.resolve();
    await first;
    await new Promise((r) => setImmediate(r));
    const third = gate.produce([record('z'.repeat(150))]);
    producer.pending[1]?.resolve();
    expect(await codeOf(third)).toBe('ok');
  });

  it('given Kafka does not answer within the produce timeout, then 503; the budget is held until Kafka settles', async () => {
    const producer = new ManualProducer();
    const gate = new AckGate(producer, { produceTimeoutMs: 10, inFlightBytes: 10_000, retryAfterS: 3 });
    expect(await codeOf(gate.produce([record('a')]))).toBe('BACKEND_UNAVAILABLE');
    expect(gate.pendingBytes).toBeGreaterThan(0);
    producer.pending[0]?.reject(new Error('gone'));
    await new Promise((r) => setImmediate(r));
    expect(gate.pendingBytes).toBe(0);
  });

  it('given a failed send, then 503 BACKEND_UNAVAILABLE with Retry-After', async () => {
    const producer = new ManualProducer();
    const gate = new AckGate(producer, { produceTimeoutMs: 60_000, inFlightBytes: 10_000, retryAfterS: 7 });
    const sent = gate.produce([record('a')]);
    producer.pending[0]?.reject(new Error('not leader'));
    await expect(sent).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', retryAfterS: 7 });
  });

  it('given shutdown, then new batches get SHUTTING_DOWN and drain waits for those in flight', async () => {
    const producer = new ManualProducer();
    const gate = new AckGate(producer, { produceTimeoutMs: 60_000, inFlightBytes: 10_000, retryAfterS: 3 });
    const inFlight = gate.produce([record('a')]);
    const drained = gate.drain(60_000);
    expect(await codeOf(gate.produce([record('b')]))).toBe('SHUTTING_DOWN');
    let done = false;
    void drained.then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    producer.pending[0]?.resolve();
    await inFlight;
    await drained;
    expect(done).toBe(true);
  });
});
