import type { Pool } from 'pg';
import {
  chooseDeviceRelease,
  type DeviceUpdateState,
  type FeedRollout,
  type MaintenanceWindow,
  type ReleaseChannel,
  type RolloutStatus,
} from '@atrium/contracts';
import type { UpdateFeedSource } from './updateFeedSource';

interface FeedRow {
  rollout_id: string;
  channel: ReleaseChannel;
  target_malls: string[];
  target_tags: string[];
  status: RolloutStatus;
  stages: { percent: number }[];
  current_stage: number;
  release_id: string;
  version: string;
  file_name: string;
  sha512: string;
  size_bytes: string;
  release_notes: string | null;
  ready_at: Date;
  state: DeviceUpdateState | null;
}

/** How many rollouts back the feed looks for one that serves the device. */
const HISTORY_DEPTH = 100;

/**
 * The feed's view of the OTA tables that cloud-services/src/ota writes (infra/migrations/postgres):
 * it records each poll in `ota_devices` (the population stage percentages apply to) and picks
 * the release with the same pure rule the cloud counts progress with.
 */
export function pgUpdateFeedSource(pool: Pool): UpdateFeedSource {
  return {
    async answer(device, now) {
      await pool.query(
        `INSERT INTO atrium.ota_devices (device_id, kiosk_id, mall_id, channel, tags, running_version, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (device_id) DO UPDATE SET kiosk_id = EXCLUDED.kiosk_id, mall_id = EXCLUDED.mall_id, channel = EXCLUDED.channel, tags = EXCLUDED.tags,
           running_version = COALESCE(EXCLUDED.running_version, atrium.ota_devices.running_version), last_seen_at = GREATEST(atrium.ota_devices.last_seen_at, EXCLUDED.last_seen_at)`,
        [device.deviceId, device.kioskId, device.mallId, device.channel, [...device.tags], device.runningVersion, now],
      );
      const [rollouts, window] = await Promise.all([
        pool.query<FeedRow>(
          `SELECT r.rollout_id, r.channel, r.target_malls, r.target_tags, r.status, r.stages, r.current_stage,
                  rel.release_id, rel.version, rel.file_name, rel.sha512, rel.size_bytes, rel.release_notes, rel.ready_at, rep.state
             FROM atrium.ota_rollouts r
             JOIN atrium.ota_releases rel ON rel.release_id = r.release_id AND rel.status = 'ready'
             LEFT JOIN atrium.ota_device_reports rep ON rep.rollout_id = r.rollout_id AND rep.kiosk_id = $3
            WHERE r.channel = $1 AND r.status <> 'rolledback' AND (cardinality(r.target_malls) = 0 OR $2 = ANY(r.target_malls))
            ORDER BY r.rollout_seq DESC LIMIT ${HISTORY_DEPTH}`,
          [device.channel, device.mallId, device.kioskId],
        ),
        pool.query<{ time_zone: string; spans: MaintenanceWindow['spans'] }>(`SELECT time_zone, spans FROM atrium.ota_maintenance_windows WHERE mall_id = $1`, [device.mallId]),
      ]);
      const feed: FeedRollout[] = rollouts.rows.map((row) => ({
        rolloutId: row.rollout_id,
        channel: row.channel,
        targetMalls: row.target_malls,
        targetTags: row.target_tags,
        status: row.status,
        stagePercent: row.stages[row.current_stage]?.percent ?? 0,
        release: {
          releaseId: row.release_id,
          version: row.version,
          fileName: row.file_name,
          sha512: row.sha512,
          size: Number(row.size_bytes),
          ...(row.release_notes ? { releaseNotes: row.release_notes } : {}),
          releasedAt: row.ready_at.toISOString(),
        },
        ...(row.state ? { deviceState: row.state } : {}),
      }));
      const windowRow = window.rows[0];
      return {
        choice: chooseDeviceRelease(device, feed),
        installWindow: windowRow ? { timeZone: windowRow.time_zone, spans: windowRow.spans } : null,
      };
    },

    async artefact(releaseId, fileName) {
      const result = await pool.query<{ artefact_key: string; size_bytes: string; sha512: string }>(
        `SELECT artefact_key, size_bytes, sha512 FROM atrium.ota_releases WHERE release_id = $1 AND file_name = $2 AND status = 'ready'`,
        [releaseId, fileName],
      );
      const row = result.rows[0];
      return row ? { key: row.artefact_key, size: Number(row.size_bytes), sha512: row.sha512 } : null;
    },
  };
}
