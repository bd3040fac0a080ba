import type { Pool, PoolClient } from 'pg';
import { AtriumError, type DeviceUpdateState, type ReleaseChannel, type RolloutStatus } from '@atrium/contracts';
import type { Rollout, RolloutStage, RolloutThresholds } from '../domain/rollout';
import type { RolloutTransition } from '../domain/rolloutDecisions';
import type { KnownDevice } from '../domain/rolloutProgress';
import { iso } from './isoTime';

interface RolloutRow {
  rollout_id: string;
  release_id: string;
  version: string;
  channel: ReleaseChannel;
  target_malls: string[];
  target_tags: string[];
  stages: RolloutStage[];
  thresholds: RolloutThresholds;
  status: RolloutStatus;
  status_reason: string | null;
  current_stage: number;
  stage_started_at: Date;
  created_at: Date;
}

const SELECT = `SELECT r.rollout_id, r.release_id, rel.version, r.channel, r.target_malls, r.target_tags, r.stages, r.thresholds,
                       r.status, r.status_reason, r.current_stage, r.stage_started_at, r.created_at
                  FROM atrium.ota_rollouts r JOIN atrium.ota_releases rel USING (release_id)`;

function toRollout(row: RolloutRow): Rollout {
  return {
    rolloutId: row.rollout_id,
    releaseId: row.release_id,
    version: row.version,
    channel: row.channel,
    target: { malls: row.target_malls, tags: row.target_tags },
    stages: row.stages,
    thresholds: row.thresholds,
    status: row.status,
    statusReason: row.status_reason,
    currentStage: row.current_stage,
    stageStartedAt: iso(row.stage_started_at),
    createdAt: iso(row.created_at),
  };
}

/** One row of a rollout's history. */
export interface RolloutHistoryEntry extends RolloutTransition {
  at: string;
  actor: string;
}

/** Rollouts, the devices the feed saw and their reports, in PostgreSQL. */
export const rolloutStore = {
  /**
   * Serialises rollout creation per channel (transaction-scoped advisory lock), so two ops cannot
   * both start a rollout on overlapping targets.
   */
  async lockChannel(client: PoolClient, channel: ReleaseChannel): Promise<void> {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('atrium.ota_rollouts:' || $1))`, [channel]);
  },

  /** Open rollouts of the channel whose malls overlap `malls` (empty = all malls). */
  async openOverlapping(client: PoolClient, channel: ReleaseChannel, malls: readonly string[]): Promise<string[]> {
    const result = await client.query<{ rollout_id: string }>(
      `SELECT rollout_id FROM atrium.ota_rollouts
        WHERE channel = $1 AND status IN ('active', 'paused', 'halted')
          AND (cardinality(target_malls) = 0 OR cardinality($2::text[]) = 0 OR target_malls && $2::text[])`,
      [channel, malls],
    );
    return result.rows.map((r) => r.rollout_id);
  },

  async insert(client: PoolClient, rollout: Rollout, now: Date): Promise<void> {
    await client.query(
      `INSERT INTO atrium.ota_rollouts (rollout_id, release_id, channel, target_malls, target_tags, stages, thresholds, status, status_reason,
                                        current_stage, stage_started_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
      [
        rollout.rolloutId, rollout.releaseId, rollout.channel, rollout.target.malls, rollout.target.tags, JSON.stringify(rollout.stages),
        JSON.stringify(rollout.thresholds), rollout.status, rollout.statusReason, rollout.currentStage, rollout.stageStartedAt, now,
      ],
    );
  },

  async get(db: Pool | PoolClient, rolloutId: string): Promise<Rollout> {
    const result = await db.query<RolloutRow>(`${SELECT} WHERE r.rollout_id = $1`, [rolloutId]);
    const row = result.rows[0];
    if (!row) throw new AtriumError('NOT_FOUND', `no rollout ${rolloutId}`);
    return toRollout(row);
  },

  /**
   * Takes the rollout's row lock for the rest of the transaction and reads it. NO KEY UPDATE, because
   * report inserts hold KEY SHARE on the row through their foreign key: a full FOR UPDATE would make
   * two report batches for one rollout deadlock each other.
   */
  async lock(client: PoolClient, rolloutId: string, skipLocked = false): Promise<Rollout | null> {
    const result = await client.query<RolloutRow>(`${SELECT} WHERE r.rollout_id = $1 FOR NO KEY UPDATE OF r${skipLocked ? ' SKIP LOCKED' : ''}`, [rolloutId]);
    const row = result.rows[0];
    return row ? toRollout(row) : null;
  },

  /** Writes the decided state and its history row. */
  async save(client: PoolClient, rollout: Rollout, transition: RolloutTransition, actor: string, now: Date): Promise<void> {
    await client.query(
      `UPDATE atrium.ota_rollouts SET status = $2, status_reason = $3, current_stage = $4, stage_started_at = $5, updated_at = $6 WHERE rollout_id = $1`,
      [rollout.rolloutId, rollout.status, rollout.statusReason, rollout.currentStage, rollout.stageStartedAt, now],
    );
    await rolloutStore.record(client, rollout.rolloutId, transition, actor, now);
  },

  async record(client: PoolClient, rolloutId: string, transition: RolloutTransition, actor: string, now: Date): Promise<void> {
    await client.query(
      `INSERT INTO atrium.ota_rollout_history (rollout_id, at, action, from_status, to_status, stage, reason, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [rolloutId, now, transition.action, transition.from, transition.to, transition.stage, transition.reason, actor],
    );
  },

  async history(db: Pool | PoolClient, rolloutId: string): Promise<RolloutHistoryEntry[]> {
    const result = await db.query<{ at: Date; action: RolloutTransition['action']; from_status: RolloutStatus; to_status: RolloutStatus; stage: number; reason: string; actor: string }>(
      `SELECT at, action, from_status, to_status, stage, reason, actor FROM atrium.ota_rollout_history WHERE rollout_id = $1 ORDER BY id`,
      [rolloutId],
    );
    return result.rows.map((r) => ({ at: iso(r.at), action: r.action, from: r.from_status, to: r.to_status, stage: r.stage, reason: r.reason, actor: r.actor }));
  },

  async list(pool: Pool, status?: RolloutStatus): Promise<Rollout[]> {
    const result = await pool.query<RolloutRow>(`${SELECT} WHERE $1::text IS NULL OR r.status = $1 ORDER BY r.rollout_seq DESC LIMIT 200`, [status ?? null]);
    return result.rows.map(toRollout);
  },

  async activeIds(pool: Pool): Promise<string[]> {
    const result = await pool.query<{ rollout_id: string }>(`SELECT rollout_id FROM atrium.ota_rollouts WHERE status = 'active' ORDER BY rollout_seq`);
    return result.rows.map((r) => r.rollout_id);
  },

  /** Devices the feed saw on the rollout's channel and malls since it began (tags are matched in the domain). */
  async knownDevices(db: Pool | PoolClient, rollout: Rollout): Promise<KnownDevice[]> {
    const result = await db.query<{ device_id: string; kiosk_id: string; mall_id: string; tags: string[]; channel: ReleaseChannel; last_seen_at: Date }>(
      `SELECT device_id, kiosk_id, mall_id, tags, channel, last_seen_at FROM atrium.ota_devices
        WHERE channel = $1 AND last_seen_at >= $2 AND (cardinality($3::text[]) = 0 OR mall_id = ANY($3::text[]))`,
      [rollout.channel, rollout.createdAt, rollout.target.malls],
    );
    return result.rows.map((r) => ({ deviceId: r.device_id, kioskId: r.kiosk_id, mallId: r.mall_id, tags: r.tags, channel: r.channel, lastSeenAt: iso(r.last_seen_at) }));
  },

  /** Each kiosk's latest report state for the rollout. */
  async reports(db: Pool | PoolClient, rolloutId: string): Promise<Map<string, DeviceUpdateState>> {
    const result = await db.query<{ kiosk_id: string; state: DeviceUpdateState }>(`SELECT kiosk_id, state FROM atrium.ota_device_reports WHERE rollout_id = $1`, [rolloutId]);
    return new Map(result.rows.map((r) => [r.kiosk_id, r.state]));
  },

  /** Installed and failed counts over every report of the rollout (what the failure threshold reads). */
  async reportTotals(db: Pool | PoolClient, rolloutId: string): Promise<{ installed: number; failed: number; total: number }> {
    const result = await db.query<{ installed: string; failed: string; total: string }>(
      `SELECT count(*) FILTER (WHERE state = 'installed') AS installed,
              count(*) FILTER (WHERE state IN ('failed', 'rolledback')) AS failed,
              count(*) AS total
         FROM atrium.ota_device_reports WHERE rollout_id = $1`,
      [rolloutId],
    );
    const row = result.rows[0]!;
    return { installed: Number(row.installed), failed: Number(row.failed), total: Number(row.total) };
  },
};
