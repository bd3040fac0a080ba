import type { Pool } from 'pg';
import type { MaintenanceWindow } from '@atrium/contracts';

/** Per-mall maintenance windows in PostgreSQL (the update feed hands them to the mall's kiosks). */
export const maintenanceWindowStore = {
  async put(pool: Pool, mallId: string, window: MaintenanceWindow, now: Date): Promise<void> {
    await pool.query(
      `INSERT INTO atrium.ota_maintenance_windows (mall_id, time_zone, spans, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (mall_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, spans = EXCLUDED.spans, updated_at = EXCLUDED.updated_at`,
      [mallId, window.timeZone, JSON.stringify(window.spans), now],
    );
  },

  async get(pool: Pool, mallId: string): Promise<MaintenanceWindow | null> {
    const result = await pool.query<{ time_zone: string; spans: MaintenanceWindow['spans'] }>(
      `SELECT time_zone, spans FROM atrium.ota_maintenance_windows WHERE mall_id = $1`,
      [mallId],
    );
    const row = result.rows[0];
    return row ? { timeZone: row.time_zone, spans: row.spans } : null;
  },
};
