import type { Pool, PoolClient } from 'pg';
import { AtriumError, type ReleaseChannel } from '@atrium/contracts';
import { iso } from './isoTime';

/** A release as ops see it. */
export interface Release {
  releaseId: string;
  channel: ReleaseChannel;
  version: string;
  fileName: string;
  artefactKey: string;
  sha512: string;
  size: number;
  releaseNotes: string | null;
  /** `pending` until its artefact is uploaded and verified. */
  status: 'pending' | 'ready';
  createdAt: string;
  readyAt: string | null;
}

/** What ops declare about a new release before uploading its artefact. */
export interface NewRelease {
  channel: ReleaseChannel;
  version: string;
  fileName: string;
  sha512: string;
  size: number;
  releaseNotes?: string;
}

interface ReleaseRow {
  release_id: string;
  channel: ReleaseChannel;
  version: string;
  file_name: string;
  artefact_key: string;
  sha512: string;
  size_bytes: string;
  release_notes: string | null;
  status: 'pending' | 'ready';
  created_at: Date;
  ready_at: Date | null;
}

const COLUMNS = 'release_id, channel, version, file_name, artefact_key, sha512, size_bytes, release_notes, status, created_at, ready_at';

function toRelease(row: ReleaseRow): Release {
  return {
    releaseId: row.release_id,
    channel: row.channel,
    version: row.version,
    fileName: row.file_name,
    artefactKey: row.artefact_key,
    sha512: row.sha512,
    size: Number(row.size_bytes),
    releaseNotes: row.release_notes,
    status: row.status,
    createdAt: iso(row.created_at),
    readyAt: row.ready_at ? iso(row.ready_at) : null,
  };
}

/** The id of a release: one version per channel. */
export function releaseIdOf(channel: ReleaseChannel, version: string): string {
  return `${channel}-${version}`;
}

/** Releases in PostgreSQL. */
export const releaseStore = {
  async insert(pool: Pool, release: NewRelease, now: Date): Promise<Release> {
    const releaseId = releaseIdOf(release.channel, release.version);
    const artefactKey = `releases/${release.channel}/${release.version}/${release.fileName}`;
    const result = await pool.query<ReleaseRow>(
      `INSERT INTO atrium.ota_releases (release_id, channel, version, file_name, artefact_key, sha512, size_bytes, release_notes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [releaseId, release.channel, release.version, release.fileName, artefactKey, release.sha512, release.size, release.releaseNotes ?? null, now],
    );
    const row = result.rows[0];
    if (!row) throw new AtriumError('CONFLICT', `release ${release.version} already exists on the ${release.channel} channel`);
    return toRelease(row);
  },

  async get(db: Pool | PoolClient, releaseId: string, lock = false): Promise<Release> {
    const result = await db.query<ReleaseRow>(`SELECT ${COLUMNS} FROM atrium.ota_releases WHERE release_id = $1${lock ? ' FOR UPDATE' : ''}`, [releaseId]);
    const row = result.rows[0];
    if (!row) throw new AtriumError('NOT_FOUND', `no release ${releaseId}`);
    return toRelease(row);
  },

  async markReady(client: PoolClient, releaseId: string, now: Date): Promise<Release> {
    const result = await client.query<ReleaseRow>(
      `UPDATE atrium.ota_releases SET status = 'ready', ready_at = $2 WHERE release_id = $1 RETURNING ${COLUMNS}`,
      [releaseId, now],
    );
    return toRelease(result.rows[0]!);
  },

  async list(pool: Pool, channel?: ReleaseChannel): Promise<Release[]> {
    const result = await pool.query<ReleaseRow>(
      `SELECT ${COLUMNS} FROM atrium.ota_releases WHERE $1::text IS NULL OR channel = $1 ORDER BY created_at DESC, release_id LIMIT 500`,
      [channel ?? null],
    );
    return result.rows.map(toRelease);
  },
};
