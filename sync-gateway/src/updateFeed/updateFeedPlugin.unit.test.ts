import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import Fastify, { type FastifyRequest } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import { parseUpdateInfo, resolveFiles } from 'electron-updater/out/providers/Provider';
import { UpdateInfo, type DeviceReleaseChoice, type MaintenanceWindow } from '@atrium/contracts';
import { problemHandler } from '../plugins/problemHandler';
import { GatewayMetrics } from '../plugins/gatewayMetrics';
import { updateFeedPlugin, APP_VERSION_HEADER } from './updateFeedPlugin';
import type { ArtefactReader } from './artefactReader';
import type { FeedIdentity, UpdateFeedSource } from './updateFeedSource';

const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
const sha512 = createHash('sha512').update(bytes).digest('base64');
const choice: DeviceReleaseChoice = {
  rolloutId: 'ro-7',
  release: { releaseId: 'stable-1.2.0', version: '1.2.0', fileName: 'atrium-kiosk-1.2.0-x86_64.AppImage', sha512, size: bytes.length, releaseNotes: 'Faster search', releasedAt: '2026-11-20T09:30:00.000Z' },
};
const window: MaintenanceWindow = { timeZone: 'Europe/London', spans: [{ start: '23:00', end: '06:00' }] };

/** An in-memory feed source: what the PostgreSQL one would answer, and what it was told. */
function memorySource(answer: DeviceReleaseChoice | null) {
  const polls: { deviceId: string; runningVersion: string | null }[] = [];
  const source: UpdateFeedSource = {
    async answer(device) {
      polls.push({ deviceId: device.deviceId, runningVersion: device.runningVersion });
      return { choice: answer, installWindow: window };
    },
    async artefact(releaseId, fileName) {
      return releaseId === choice.release.releaseId && fileName === choice.release.fileName ? { key: 'releases/stable/1.2.0/x.AppImage', size: bytes.length, sha512 } : null;
    },
  };
  return { source, polls };
}

const memoryArtefacts: ArtefactReader = {
  read: (_key, range) => Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]),
};

async function feedApp(answer: DeviceReleaseChoice | null = choice) {
  const { source, polls } = memorySource(answer);
  const app = Fastify();
  await app.register(problemHandler, { metrics: new GatewayMetrics() });
  const identify = (request: FastifyRequest): FeedIdentity => ({ deviceId: String(request.headers['x-test-device']), kioskId: 'k-1', mallId: 'mall-1' });
  await app.register(updateFeedPlugin, { prefix: '/v1/updates', identify, source, artefacts: memoryArtefacts });
  return { app, polls };
}

describe('the per-device update feed', () => {
  it('given a release chosen for the device, when it polls, then latest-linux.yml parses with electron-updater and names the artefact', async () => {
    const { app, polls } = await feedApp();
    const res = await app.inject({ url: '/v1/updates/latest-linux.yml', headers: { 'x-test-device': 'dev-1', [APP_VERSION_HEADER]: '1.1.0' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const info = parseUpdateInfo(res.body, 'latest-linux.yml', new URL('https://gw.test/v1/updates/latest-linux.yml')) as unknown as Record<string, unknown>;
    expect(info).toMatchObject({ version: '1.2.0', sha512, path: 'artefacts/stable-1.2.0/atrium-kiosk-1.2.0-x86_64.AppImage', releaseDate: '2026-11-20T09:30:00.000Z', rolloutId: 'ro-7' });
    expect(typeof info['releaseDate']).toBe('string');
    expect(Value.Check(UpdateInfo, info)).toBe(true);
    const [file] = resolveFiles(info as never, new URL('https://gw.test/v1/updates/'));
    expect(file?.url.href).toBe('https://gw.test/v1/updates/artefacts/stable-1.2.0/atrium-kiosk-1.2.0-x86_64.AppImage');
    expect(file?.info).toMatchObject({ sha512, size: bytes.length });
    expect(polls).toEqual([{ deviceId: 'dev-1', runningVersion: '1.1.0' }]);
  });

  it('carries the mall’s maintenance window to the kiosk', async () => {
    const { app } = await feedApp();
    const res = await app.inject({ url: '/v1/updates/beta-linux.yml', headers: { 'x-test-device': 'dev-1' } });
    expect((parseUpdateInfo(res.body, 'beta-linux.yml', new URL('https://gw.test/')) as unknown as UpdateInfo).installWindow).toEqual(window);
  });

  it('given no release for the device, then it answers 404 problem+json', async () => {
    const { app } = await feedApp(null);
    const res = await app.inject({ url: '/v1/updates/latest-linux.yml', headers: { 'x-test-device': 'dev-1' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves the whole artefact with Accept-Ranges and a strong ETag', async () => {
    const { app } = await feedApp();
    const res = await app.inject({ url: `/v1/updates/${'artefacts/stable-1.2.0/atrium-kiosk-1.2.0-x86_64.AppImage'}`, headers: { 'x-test-device': 'dev-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.rawPayload.equals(bytes)).toBe(true);
  });

  it('given a Range, then it answers 206 with Content-Range and exactly those bytes', async () => {
    const { app } = await feedApp();
    const url = '/v1/updates/artefacts/stable-1.2.0/atrium-kiosk-1.2.0-x86_64.AppImage';
    const res = await app.inject({ url, headers: { 'x-test-device': 'dev-1', range: 'bytes=4000-' } });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 4000-9999/${bytes.length}`);
    expect(res.rawPayload.equals(bytes.subarray(4000))).toBe(true);
    const suffix = await app.inject({ url, headers: { 'x-test-device': 'dev-1', range: 'bytes=-100' } });
    expect(suffix.headers['content-range']).toBe(`bytes 9900-9999/${bytes.length}`);
  });

  it('given an If-Range that no longer matches, then it sends the whole artefact rather than a stitched one', async () => {
    const { app } = await feedApp();
    const res = await app.inject({ url: '/v1/updates/artefacts/stable-1.2.0/atrium-kiosk-1.2.0-x86_64.AppImage', headers: { 'x-test-device': 'dev-1', range: 'bytes=10-20', 'if-range': '"other"' } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBe(bytes.length);
  });

  it('given a range past the end, then 416 with Content-Range bytes */size', async () => {
    const { app } = await feedApp();
    const res = await app.inject({ url: '/v1/updates/artefacts/stable-1.2.0/atrium-kiosk-1.2.0-x86_64.AppImage', headers: { 'x-test-device': 'dev-1', range: 'bytes=20000-' } });
    expect(res.statusCode).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${bytes.length}`);
    expect(res.json()).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
  });

  it('given an artefact of no ready release, then 404', async () => {
    const { app } = await feedApp();
    const res = await app.inject({ url: '/v1/updates/artefacts/stable-9.9.9/atrium-kiosk-9.9.9-x86_64.AppImage', headers: { 'x-test-device': 'dev-1' } });
    expect(res.statusCode).toBe(404);
  });
});
