import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import type { RequestOptions } from 'node:http';
import { CancellationToken, HttpExecutor } from 'builder-util-runtime';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { problemHandler } from '../plugins/problemHandler';
import { GatewayMetrics } from '../plugins/gatewayMetrics';
import { localArtefactReader, pgUpdateFeedSource, updateFeedPlugin, APP_VERSION_HEADER } from './index';

/** electron-updater's HTTP layer over plain Node http (its Electron `net` executor needs Electron). */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: unknown) => void): ClientRequest {
    return httpRequest(options, callback);
  }
}

const run = randomUUID().slice(0, 8);
const mall = `mall-feed-${run}`;
const version = `3.0.0-run.${run}`;
const releaseId = `stable-${version}`;
const fileName = `atrium-kiosk-${version}-x86_64.AppImage`;
const bytes = randomBytes(200_000);
const sha512 = createHash('sha512').update(bytes).digest('base64');

let pool: pg.Pool;
let root: string;
let app: FastifyInstance;
let base: string;

function provider(deviceId: string, mallId: string, appVersion = '2.9.0') {
  const executor = new NodeHttpExecutor();
  const updater = { channel: null, isAddNoCacheQuery: true };
  const p = new GenericProvider({ provider: 'generic', url: `${base}/v1/updates` }, updater as never, { executor, platform: 'linux', isUseMultipleRangeRequest: false } as never);
  p.setRequestHeaders({ 'x-test-device': deviceId, 'x-test-mall': mallId, [APP_VERSION_HEADER]: appVersion });
  return { p, executor };
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: testEndpoints().postgresUrl, max: 4 });
  root = await mkdtemp(join(tmpdir(), 'atrium-feed-'));
  const key = `releases/stable/${version}/${fileName}`;
  await mkdir(join(root, 'releases', 'stable', version), { recursive: true });
  await writeFile(join(root, ...key.split('/')), bytes);
  // What cloud-services/src/ota writes once a release is verified and rolled out to 100%.
  const now = new Date();
  await pool.query(
    `INSERT INTO atrium.ota_releases (release_id, channel, version, file_name, artefact_key, sha512, size_bytes, release_notes, status, created_at, ready_at)
     VALUES ($1, 'stable', $2, $3, $4, $5, $6, 'Accessible routes', 'ready', $7, $7)`,
    [releaseId, version, fileName, key, sha512, bytes.length, now],
  );
  await pool.query(
    `INSERT INTO atrium.ota_rollouts (rollout_id, release_id, channel, target_malls, stages, thresholds, status, current_stage, stage_started_at, created_at, updated_at)
     VALUES ($1, $2, 'stable', $3, '[{"percent":100,"waitS":0}]', '{"maxFailureRate":0.1,"minReports":5,"minSuccessRate":0.9}', 'completed', 0, $4, $4, $4)`,
    [`ro-${run}`, releaseId, [mall], now],
  );
  await pool.query(`INSERT INTO atrium.ota_maintenance_windows (mall_id, time_zone, spans, updated_at) VALUES ($1, 'Europe/Paris', '[{"start":"23:00","end":"06:00"}]', $2)`, [mall, now]);

  app = Fastify();
  await app.register(problemHandler, { metrics: new GatewayMetrics() });
  await app.register(updateFeedPlugin, {
    prefix: '/v1/updates',
    identify: (request) => ({ deviceId: String(request.headers['x-test-device']), kioskId: `k-${String(request.headers['x-test-device'])}`, mallId: String(request.headers['x-test-mall']) }),
    source: pgUpdateFeedSource(pool),
    artefacts: localArtefactReader(root),
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await pool?.end();
  await rm(root, { recursive: true, force: true });
});

describe('the update feed served from PostgreSQL', () => {
  it('is read by electron-updater’s own generic provider, and the artefact it resolves downloads with the announced sha512', async () => {
    const { p, executor } = provider(`dev-${run}-1`, mall);
    const info = (await p.getLatestVersion()) as unknown as Record<string, unknown>;
    expect(info).toMatchObject({ version, sha512, releaseNotes: 'Accessible routes', rolloutId: `ro-${run}`, installWindow: { timeZone: 'Europe/Paris', spans: [{ start: '23:00', end: '06:00' }] } });
    const [file] = p.resolveFiles(info as never);
    expect(file?.url.href).toBe(`${base}/v1/updates/artefacts/${releaseId}/${fileName}`);
    const downloaded = await executor.downloadToBuffer(file!.url, { headers: { 'x-test-device': `dev-${run}-1`, 'x-test-mall': mall }, cancellationToken: new CancellationToken(), sha512 } as never);
    expect(createHash('sha512').update(downloaded).digest('base64')).toBe(sha512);

    const seen = await pool.query(`SELECT mall_id, running_version FROM atrium.ota_devices WHERE device_id = $1`, [`dev-${run}-1`]);
    expect(seen.rows).toEqual([{ mall_id: mall, running_version: '2.9.0' }]);
  });

  it('answers a device of another mall with 404, which electron-updater reads as "no channel file"', async () => {
    const { p } = provider(`dev-${run}-2`, `mall-elsewhere-${run}`);
    await expect(p.getLatestVersion()).rejects.toMatchObject({ code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' });
  });

  it('serves byte ranges over a real socket: 206 with Content-Range, HEAD without a body, 416 past the end', async () => {
    const url = `${base}/v1/updates/artefacts/${releaseId}/${fileName}`;
    const headers = { 'x-test-device': `dev-${run}-3`, 'x-test-mall': mall };
    const part = await fetch(url, { headers: { ...headers, range: 'bytes=100000-100099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('accept-ranges')).toBe('bytes');
    expect(part.headers.get('content-range')).toBe(`bytes 100000-100099/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100_000, 100_100))).toBe(true);

    const head = await fetch(url, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const beyond = await fetch(url, { headers: { ...headers, range: `bytes=${bytes.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect(beyond.headers.get('content-type')).toContain('application/problem+json');
  });
});
