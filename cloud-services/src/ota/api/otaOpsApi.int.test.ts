import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { testEndpoints } from '../../../../infra/local/src/testEndpoints';
import { installProblemHandler } from '../../http/problemHandler';
import { runOtaCli } from '../cli/otaCli';
import { otaRig, type OtaRig } from '../testing/otaTestRig';
import { otaOpsPlugin } from './otaOpsPlugin';

let rig: OtaRig;
let app: FastifyInstance;
let api: string;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; type: string; json: Record<string, unknown> }> {
  const res = await fetch(`${api}${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as Record<string, unknown> };
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOtaCli(['--api', api, ...argv], {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  rig = await otaRig(testEndpoints().postgresUrl);
  // The ops API's one error handler, as in the cloud services' app.
  const base = Fastify();
  installProblemHandler(base);
  app = base.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(otaOpsPlugin, { prefix: '/ops/ota', service: rig.service, actorOf: () => 'ops-test' });
  api = `${await app.listen({ host: '127.0.0.1', port: 0 })}/ops/ota`;
});

afterAll(async () => {
  await app?.close();
  await rig?.close();
});

describe('the OTA ops API and CLI', () => {
  it('uploads a release with the CLI, streaming the file and checking its sha512', async () => {
    const file = join(rig.artefactRoot, `atrium-kiosk-2.0.0-run.${rig.run}-x86_64.AppImage`);
    await writeFile(file, randomBytes(300_000));
    const result = await cli('release', 'upload', '--file', file, '--version', `2.0.0-run.${rig.run}`, '--notes', 'New wayfinding');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`release stable-2\\.0\\.0-run\\.${rig.run} ready`));
    const listed = await cli('--json', 'release', 'list', '--channel', 'stable');
    expect((JSON.parse(listed.out) as { releaseId: string }[]).some((r) => r.releaseId === `stable-2.0.0-run.${rig.run}`)).toBe(true);
  });

  it('refuses an artefact whose bytes do not match the declared sha512, as problem+json, and keeps the release pending', async () => {
    const bytes = randomBytes(1000);
    const declared = await call('POST', '/releases', {
      version: `2.0.1-run.${rig.run}`,
      channel: 'stable',
      fileName: 'atrium-kiosk-2.0.1.AppImage',
      sha512: createHash('sha512').update(randomBytes(1000)).digest('base64'),
      size: 1000,
    });
    expect(declared.status).toBe(201);
    const upload = await fetch(`${api}/releases/${declared.json['releaseId']}/artefact`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(upload.status).toBe(422);
    expect(upload.headers.get('content-type')).toContain('application/problem+json');
    expect(await upload.json()).toMatchObject({ code: 'ARTEFACT_DIGEST_MISMATCH', status: 422 });
    expect((await call('GET', `/releases/${declared.json['releaseId']}`)).json['status']).toBe('pending');
    // And a rollout of it is refused until its artefact is verified
    const rollout = await call('POST', '/rollouts', { releaseId: declared.json['releaseId'], target: { malls: [`mall-x-${rig.run}`] }, stages: [{ percent: 100, waitS: 0 }] });
    expect(rollout).toMatchObject({ status: 409, json: { code: 'CONFLICT' } });
  });

  it('answers invalid input with VALIDATION_FAILED and the failing paths', async () => {
    const bad = await call('POST', '/rollouts', { releaseId: 'x', stages: [{ percent: 150, waitS: 0 }] });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.json).toMatchObject({ code: 'VALIDATION_FAILED' });
    const shrinking = await call('POST', '/rollouts', { releaseId: `stable-2.0.0-run.${rig.run}`, stages: [{ percent: 50, waitS: 0 }, { percent: 10, waitS: 0 }] });
    expect(shrinking.json).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/stages' }] });
    expect((await call('GET', '/rollouts/no-such-rollout')).json).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('creates, pauses, resumes and cancels a rollout from the CLI, and shows progress per stage', async () => {
    const mall = `mall-cli-${rig.run}`;
    const created = await cli('--json', 'rollout', 'create', '--release', `stable-2.0.0-run.${rig.run}`, '--stages', '5:1h,25:2h,100:0', '--malls', mall, '--max-failure-rate', '0.2');
    expect(created.code).toBe(0);
    const view = JSON.parse(created.out) as { rollout: { rolloutId: string; status: string; thresholds: Record<string, number> }; progress: { stages: unknown[] } };
    expect(view.rollout).toMatchObject({ status: 'active', thresholds: { maxFailureRate: 0.2, minReports: 5, minSuccessRate: 0.9 } });
    expect(view.progress.stages).toHaveLength(3);
    const id = view.rollout.rolloutId;

    // A second rollout on the same malls is refused while this one is open
    const second = await cli('rollout', 'create', '--release', `stable-2.0.0-run.${rig.run}`, '--stages', '100:0', '--malls', mall);
    expect(second).toMatchObject({ code: 1, err: expect.stringMatching(/CONFLICT: rollout .* is still open/) });

    expect((await cli('rollout', 'pause', id, '--reason', 'checking crash reports')).out).toMatch(/paused \(checking crash reports\)/);
    expect((await cli('rollout', 'pause', id)).err).toMatch(/CONFLICT: cannot pause a rollout that is paused/);
    const bareResume = await fetch(`${api}/rollouts/${id}/resume`, { method: 'POST' });
    expect(bareResume.status).toBe(200);
    expect(((await bareResume.json()) as { rollout: { status: string } }).rollout.status).toBe('active');
    const status = await cli('rollout', 'status', id);
    expect(status.out).toMatch(/STAGE {2}PERCENT {2}OPEN {2}DEVICES {2}PENDING {2}DOWNLOADED {2}INSTALLED {2}FAILED/);
    expect((await cli('rollout', 'cancel', id)).out).toMatch(/cancelled/);
    const history = (await call('GET', `/rollouts/${id}`)).json['history'] as { action: string; actor: string }[];
    expect(history.map((h) => h.action)).toEqual(['start', 'pause', 'resume', 'cancel']);
    expect(new Set(history.map((h) => h.actor))).toEqual(new Set(['ops-test']));
  });

  it('keeps a mall’s maintenance window and refuses an unknown time zone', async () => {
    const mall = `mall-win-${rig.run}`;
    expect((await cli('window', 'set', mall, '--tz', 'Europe/Madrid', '--span', '22:00-08:00')).code).toBe(0);
    expect((await cli('window', 'get', mall)).out).toBe(`${mall} (Europe/Madrid): every day 22:00-08:00`);
    const bad = await call('PUT', `/malls/${mall}/maintenance-window`, { timeZone: 'Mars/Olympus_Mons', spans: [{ start: '01:00', end: '02:00' }] });
    expect(bad).toMatchObject({ status: 400, json: { code: 'VALIDATION_FAILED' } });
  });

  it('prints help', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/rollout pause\|resume\|cancel\|rollback/);
  });
});
