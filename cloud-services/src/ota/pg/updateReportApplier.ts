import type { Pool, PoolClient } from 'pg';
import type { DeviceUpdateState, ValidEvent } from '@atrium/contracts';
import type { EventApplier } from '../../kafka/eventConsumer';
import { decideOnReports, type RolloutTransition } from '../domain/rolloutDecisions';
import { inTransaction } from '../../pg/inTransaction';
import { rolloutStore } from './rolloutStore';

const STATE_OF: Record<string, DeviceUpdateState> = {
  'kiosk.update.available': 'available',
  'kiosk.update.downloaded': 'downloaded',
  'kiosk.update.installing': 'installing',
  'kiosk.update.installed': 'installed',
  'kiosk.update.failed': 'failed',
  'kiosk.update.rolledback': 'rolledback',
};

type UpdateReport = Extract<ValidEvent, { type: `kiosk.update.${string}` }>;

function isUpdateReport(event: ValidEvent): event is UpdateReport {
  return event.type in STATE_OF;
}

/** A rollout that a batch of reports stopped, for logs and alerts. */
export interface HaltedByReports {
  rolloutId: string;
  transition: RolloutTransition;
}

async function resolveRollout(client: PoolClient, report: UpdateReport): Promise<string | null> {
  if (report.data.rolloutId) {
    const found = await client.query(`SELECT 1 FROM atrium.ota_rollouts WHERE rollout_id = $1`, [report.data.rolloutId]);
    if (found.rowCount) return report.data.rolloutId;
  }
  // Older kiosks may not echo the rollout: take the newest rollout of that version on the kiosk's channel.
  const result = await client.query<{ rollout_id: string }>(
    `SELECT r.rollout_id FROM atrium.ota_rollouts r JOIN atrium.ota_releases rel USING (release_id)
      WHERE rel.version = $1 AND r.channel = COALESCE((SELECT channel FROM atrium.ota_devices WHERE kiosk_id = $2 ORDER BY last_seen_at DESC LIMIT 1), r.channel)
      ORDER BY r.rollout_seq DESC LIMIT 1`,
    [report.data.version, report.kioskid],
  );
  return result.rows[0]?.rollout_id ?? null;
}

/**
 * Applies `kiosk.update.*` reports: each kiosk's latest state per rollout, above a per-kiosk
 * watermark moved in the same transaction (a redelivered report counts once). Every rollout a
 * batch touched is then judged against its failure threshold under its row lock, so a rollout
 * halts in the same transaction as the report that tipped it: the next feed poll already sees it.
 */
export async function applyUpdateReports(pool: Pool, events: readonly ValidEvent[], now: Date): Promise<HaltedByReports[]> {
  const reports = events.filter(isUpdateReport);
  if (reports.length === 0) return [];
  return inTransaction(pool, async (client) => {
    const kiosks = [...new Set(reports.map((r) => r.kioskid))].sort();
    await client.query(`INSERT INTO atrium.ota_report_watermarks (kiosk_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [kiosks]);
    const marks = await client.query<{ kiosk_id: string; sequence: string }>(
      `SELECT kiosk_id, sequence FROM atrium.ota_report_watermarks WHERE kiosk_id = ANY($1::text[]) ORDER BY kiosk_id FOR UPDATE`,
      [kiosks],
    );
    const watermark = new Map(marks.rows.map((r) => [r.kiosk_id, Number(r.sequence)]));
    const touched = new Set<string>();
    for (const report of reports) {
      if (report.sequence <= (watermark.get(report.kioskid) ?? 0)) continue;
      watermark.set(report.kioskid, report.sequence);
      const rolloutId = await resolveRollout(client, report);
      if (!rolloutId) continue;
      const state = STATE_OF[report.type]!;
      const failure = state === 'failed' || state === 'rolledback' ? 1 : 0;
      await client.query(
        `INSERT INTO atrium.ota_device_reports AS d (rollout_id, kiosk_id, state, version, reason, failure_reports, sequence, reported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (rollout_id, kiosk_id) DO UPDATE
           SET state = EXCLUDED.state, version = EXCLUDED.version, reason = EXCLUDED.reason,
               failure_reports = d.failure_reports + EXCLUDED.failure_reports, sequence = EXCLUDED.sequence, reported_at = EXCLUDED.reported_at
         WHERE d.sequence < EXCLUDED.sequence`,
        [rolloutId, report.kioskid, state, report.data.version, report.data.reason ?? null, failure, report.sequence, report.time],
      );
      touched.add(rolloutId);
    }
    await client.query(
      `UPDATE atrium.ota_report_watermarks w SET sequence = m.sequence FROM unnest($1::text[], $2::bigint[]) AS m(kiosk_id, sequence)
        WHERE w.kiosk_id = m.kiosk_id AND w.sequence < m.sequence`,
      [[...watermark.keys()], [...watermark.values()]],
    );
    const halted: HaltedByReports[] = [];
    for (const rolloutId of [...touched].sort()) {
      const rollout = await rolloutStore.lock(client, rolloutId);
      if (!rollout) continue;
      const decision = decideOnReports(rollout, { reports: await rolloutStore.reportTotals(client, rolloutId) });
      if (decision.ok && decision.transition) {
        await rolloutStore.save(client, decision.rollout, decision.transition, 'thresholds', now);
        halted.push({ rolloutId, transition: decision.transition });
      }
    }
    return halted;
  });
}

/** The report consumer stage, for the cloud's Kafka consumer (cloud-services/src/kafka). */
export function updateReportApplier(pool: Pool, options: { now?: () => Date; onHalted?: (halted: HaltedByReports) => void } = {}): EventApplier {
  const now = options.now ?? (() => new Date());
  return {
    stage: 'ota-update-reports',
    async apply(events) {
      const halted = await applyUpdateReports(pool, events, now());
      for (const h of halted) options.onHalted?.(h);
    },
  };
}
