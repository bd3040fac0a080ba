import type pg from 'pg';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Type } from '@sinclair/typebox';
import { AtriumError, UrgentMessage } from '@atrium/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { PgListener } from '../pg/pgListener';
import type { UrgentBroadcast, UrgentHub } from './urgentHub';

/** The NOTIFY channel every gateway instance listens on for broadcasts. */
export const URGENT_CHANNEL = 'atrium_urgent';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;

/** A broadcast as the admin API takes it and NOTIFY carries it. */
export const UrgentBroadcastSchema = Type.Object(
  {
    message: UrgentMessage,
    mallId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    kioskIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 200 })),
  },
  { additionalProperties: false },
);
const checkBroadcast = TypeCompiler.Compile(UrgentBroadcastSchema);

/** Publishes broadcasts to every instance, and keeps emergencies in force for kiosks that connect later. */
export interface UrgentBus {
  publish(broadcast: UrgentBroadcast): Promise<void>;
  /** Emergencies still in force for a kiosk of `mallId` (sent first on every new stream). */
  activeEmergencies(subscriber: { kioskId: string; mallId: string }): Promise<UrgentBroadcast[]>;
}

/**
 * The urgent bus over PostgreSQL: a broadcast is stored (emergencies) and NOTIFYed in one
 * transaction, and each instance's LISTEN connection hands it to its local hub. Every instance
 * receives every broadcast, so a kiosk is reached whichever instance it is connected to.
 */
export class PgUrgentBus implements UrgentBus {
  constructor(
    private readonly pool: pg.Pool,
    listener: PgListener,
    hub: UrgentHub,
    log: FastifyBaseLogger,
  ) {
    listener.on(URGENT_CHANNEL, (payload) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        parsed = undefined;
      }
      if (!checkBroadcast.Check(parsed)) {
        log.warn({ payload: payload.slice(0, 200) }, 'ignored a malformed urgent broadcast');
        return;
      }
      hub.deliver(parsed);
    });
  }

  async publish(broadcast: UrgentBroadcast): Promise<void> {
    const payload = JSON.stringify(broadcast);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new AtriumError('VALIDATION_FAILED', `A broadcast must serialise to at most ${MAX_PAYLOAD_BYTES} bytes`);
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const message = broadcast.message;
      switch (message.kind) {
        case 'emergency':
          await client.query(
            `INSERT INTO atrium.urgent_broadcasts (broadcast_id, message, mall_id, until) VALUES ($1, $2, $3, $4)
             ON CONFLICT (broadcast_id) DO UPDATE SET message = EXCLUDED.message, mall_id = EXCLUDED.mall_id, until = EXCLUDED.until, cleared_at = NULL`,
            [message.id, JSON.stringify(broadcast), broadcast.mallId ?? null, message.until ?? null],
          );
          break;
        case 'emergency-cleared':
          await client.query('UPDATE atrium.urgent_broadcasts SET cleared_at = now() WHERE broadcast_id = $1', [message.id]);
          break;
        case 'sync-now':
          break;
        default: {
          const unknown: never = message;
          throw new Error(`Unknown urgent message ${JSON.stringify(unknown)}`);
        }
      }
      await client.query('SELECT pg_notify($1, $2)', [URGENT_CHANNEL, payload]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async activeEmergencies(subscriber: { kioskId: string; mallId: string }): Promise<UrgentBroadcast[]> {
    const { rows } = await this.pool.query<{ message: unknown }>(
      `SELECT message FROM atrium.urgent_broadcasts
        WHERE cleared_at IS NULL AND (until IS NULL OR until > now()) AND (mall_id IS NULL OR mall_id = $1)
        ORDER BY created_at`,
      [subscriber.mallId],
    );
    return rows
      .map((r) => r.message)
      .filter((m): m is UrgentBroadcast => checkBroadcast.Check(m))
      .filter((b) => b.kioskIds === undefined || b.kioskIds.includes(subscriber.kioskId));
  }
}
