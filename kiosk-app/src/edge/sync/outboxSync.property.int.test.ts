import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TestGateway, type GatewayFault } from '../testing/testGateway';
import { makeTestDeviceKey } from '../testing/testDeviceKey';
import { openTestKiosk, tempDataDir, type TestKiosk } from '../testing/testKiosk';
import { heartbeat, offerClaimed } from '../testing/sampleEvents';
import { HttpBatchUploader } from './httpBatchUploader';
import { SyncClient } from './syncClient';

/**
 * The real outbox (SQLite), the real sync client and a real HTTP gateway that deduplicates by
 * (kiosk, sequence) like the sinks. Any interleaving of appends, uploads, acknowledgements,
 * rejections, network failures, lost replies, crashes and restarts must deliver every event
 * exactly once, in sequence order, and the kiosk must never delete an unacknowledged event.
 */

const KIOSK = 'mall-01-k042';
const DEVICE = 'dev-prop';

type Command =
  | { kind: 'append'; business: number; telemetry: number }
  | { kind: 'sync'; fault: GatewayFault | null }
  | { kind: 'reject-next'; offset: number }
  | { kind: 'prune' }
  | { kind: 'crash' };

const fault: fc.Arbitrary<GatewayFault | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant<GatewayFault>({ kind: 'drop' }) },
  { weight: 2, arbitrary: fc.constant<GatewayFault>({ kind: 'drop-after-commit' }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }).map<GatewayFault>((limit) => ({ kind: 'partial', limit })) },
  { weight: 1, arbitrary: fc.constant<GatewayFault>({ kind: 'status', status: 503, code: 'BACKEND_UNAVAILABLE', retryAfterS: 0 }) },
  { weight: 1, arbitrary: fc.constant<GatewayFault>({ kind: 'status', status: 429, code: 'RATE_LIMITED' }) },
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('append' as const), business: fc.integer({ min: 0, max: 4 }), telemetry: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 4, arbitrary: fault.map<Command>((f) => ({ kind: 'sync', fault: f })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }).map<Command>((offset) => ({ kind: 'reject-next', offset })) },
  { weight: 1, arbitrary: fc.constant<Command>({ kind: 'prune' }) },
  { weight: 1, arbitrary: fc.constant<Command>({ kind: 'crash' }) },
);

class World {
  kiosk!: TestKiosk;
  sync!: SyncClient;
  constructor(
    readonly dir: string,
    readonly gateway: TestGateway,
    readonly uploader: HttpBatchUploader,
  ) {
    this.open();
  }

  open(): void {
    this.kiosk = openTestKiosk(this.dir, { kioskId: KIOSK, outbox: { retentionMs: 0 } });
    this.sync = new SyncClient({ outbox: this.kiosk.outbox, uploader: this.uploader, config: { maxBatchEvents: 5, backoffBaseMs: 1, backoffCapMs: 2 }, random: () => 0 });
  }

  async step(): Promise<void> {
    this.sync.requestSync(); // no real waiting in a property test: lift any backoff
    await this.sync.syncOnce();
  }

  /** The kiosk deletes nothing it has not had acknowledged. */
  checkNothingUnacknowledgedLost(): void {
    const { lastSequence, ackedThrough } = this.kiosk.outbox.watermarks();
    const kept = this.kiosk.store.db.prepare('SELECT count(*) FROM outbox WHERE sequence > ?').pluck().get(ackedThrough);
    expect(kept).toBe(lastSequence - ackedThrough);
    expect(ackedThrough).toBeLessThanOrEqual(this.gateway.stats.watermarks[KIOSK] ?? 0);
  }
}

describe('outbox and sync client together (property-based, real SQLite and HTTP)', () => {
  it('deliver every event exactly once, in sequence order, through any interleaving of faults, crashes and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
        const t = tempDataDir();
        const key = makeTestDeviceKey(t.dir);
        const gateway = await new TestGateway({ devices: [{ deviceId: DEVICE, kioskId: KIOSK, publicKey: key.publicKey }] }).start();
        const uploader = new HttpBatchUploader({ gatewayUrl: gateway.url, deviceId: DEVICE, privateKey: key.privateKey, requestTimeoutMs: 5_000 });
        const world = new World(t.dir, gateway, uploader);
        try {
          for (const c of commands) {
            switch (c.kind) {
              case 'append':
                world.kiosk.store.transaction(() => {
                  for (let i = 0; i < c.business; i++) world.kiosk.outbox.appendInTransaction(offerClaimed(i));
                  for (let i = 0; i < c.telemetry; i++) world.kiosk.outbox.appendInTransaction(heartbeat(i));
                });
                break;
              case 'sync':
                if (c.fault) gateway.failNext(c.fault);
                await world.step();
                break;
              case 'reject-next':
                gateway.rejectOnArrival(world.kiosk.outbox.watermarks().ackedThrough + c.offset);
                break;
              case 'prune':
                world.kiosk.outbox.prune(Date.now());
                break;
              case 'crash':
                world.kiosk.close();
                world.open();
                break;
              default: {
                const never: never = c;
                throw new Error(String(never));
              }
            }
            world.checkNothingUnacknowledgedLost();
          }
          // the network heals; drain what is left
          for (let i = 0; i < 200 && world.kiosk.outbox.watermarks().ackedThrough < world.kiosk.outbox.watermarks().lastSequence; i++) await world.step();
          const n = world.kiosk.outbox.watermarks().lastSequence;
          expect(world.kiosk.outbox.watermarks().ackedThrough).toBe(n);
          const delivered = gateway.events.map((e) => e.sequence);
          expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
          const all = [...delivered, ...gateway.rejections.map((r) => r.sequence)].sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i + 1));
          world.checkNothingUnacknowledgedLost();
        } finally {
          world.kiosk.close();
          await gateway.stop();
          t.remove();
        }
      }),
      { numRuns: 40 },
    );
  }, 600_000);
});
