import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { toKafkaRecord, type ValidEvent } from '@atrium/contracts';
import { testEndpoints } from '../../../infra/local/src/testEndpoints';
import { answers200, ChildService, freePort } from '../../../e2e/src/pipeline/childService';
import { retrying } from '../../../e2e/src/pipeline/isolatedStores';
import { eventually } from '../testing/cloudTestKit';
import { kioskReporter } from './testing/otaTestRig';

// The cloud services as a user runs them (`tsx cloud-services/src/main.ts`), as a child process on
// the test stack: OTA ops routes in the ops API, the rollout scheduler, and the ota-update-reports
// stage reading kiosk.update.* reports from Kafka. Only that stage runs (`--no-writer
// --projections ota-update-reports`, a split the flags allow), on a topic of the test's own.
const run = randomUUID().slice(0, 8);
const topic = `otaproc.${run}.events`;
const dlq = `otaproc.${run}.dlq`;
const mall = `mall-otaproc-${run}`;
const version = `3.0.0-run.${run}`;
let cloud: ChildService;
let api: string;
let artefactDir: string;
let workDir: string;
let admin: Admin;
let producer: Producer;

interface RolloutView {
  rollout: { rolloutId: string; status: string; currentStage: number; statusReason: string | null };
  progress: { reports: { installed: number; failed: number } };
  history: { action: string; actor: string }[];
}

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; type: string; json: T }> {
  const res = await fetch(`${api}${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as T };
}

async function rollout(rolloutId: string): Promise<RolloutView> {
  return (await call<RolloutView>('GET', `/ops/ota/rollouts/${rolloutId}`)).json;
}

beforeAll(async () => {
  const endpoints = testEndpoints();
  workDir = await mkdtemp(join(tmpdir(), 'atrium-ota-proc-'));
  artefactDir = join(workDir, 'artefacts');
  const kafka = new Kafka({ clientId: `ota-proc-test-${run}`, brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await retrying(() => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }, { topic: dlq, numPartitions: 1 }] }));
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  cloud = new ChildService({
    name: 'cloud-services',
    script: 'cloud-services/src/main.ts',
    args: ['--no-writer', '--projections', 'ota-update-reports'],
    logFile: join(workDir, 'cloud-services.log'),
    env: {
      ATRIUM_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      ATRIUM_PG_URL: endpoints.postgresUrl,
      ATRIUM_CLOUD_GROUP_PREFIX: `otaproc.${run}`,
      ATRIUM_CLOUD_TOPIC_EVENTS: topic,
      ATRIUM_CLOUD_TOPIC_DLQ: dlq,
      ATRIUM_CLOUD_PORT: String(port),
      ATRIUM_CLOUD_LOG_LEVEL: 'info',
      ATRIUM_OTA_ARTEFACT_DIR: artefactDir,
      ATRIUM_OTA_SCHEDULER_INTERVAL_MS: '500',
    },
    ready: () => answers200(`${api}/readyz`),
    readyTimeoutMs: 90_000,
  });
  await cloud.start();
});

afterAll(async () => {
  await cloud?.stop();
  await producer?.disconnect().catch(() => undefined);
  await admin?.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('OTA in the running cloud services', () => {
  it('serves the OTA routes in its OpenAPI document and answers their errors as problem+json', async () => {
    const doc = (await call<{ paths: Record<string, unknown> }>('GET', '/openapi.json')).json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/ops/ota/releases', '/ops/ota/releases/{releaseId}/artefact', '/ops/ota/rollouts/{rolloutId}', '/ops/ota/rollouts/{rolloutId}/pause', '/ops/ota/malls/{mallId}/maintenance-window']),
    );
    const missing = await call('GET', `/ops/ota/rollouts/no-such-rollout-${run}`);
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');
    expect(missing.json).toMatchObject({ code: 'NOT_FOUND', instance: `/ops/ota/rollouts/no-such-rollout-${run}` });
    const consumers = (await call<{ consumers: { stage: string; running: boolean }[] }>('GET', '/readyz')).json.consumers;
    expect(consumers.map((c) => c.stage)).toEqual(['ota-update-reports']);
  });

  it('takes a release and its artefact, advances the rollout on schedule, and halts it on failure reports from Kafka', async () => {
    // Given a release declared and its artefact uploaded through /ops/ota
    const bytes = randomBytes(200_000);
    const sha512 = createHash('sha512').update(bytes).digest('base64');
    const fileName = `atrium-kiosk-${version}-x86_64.AppImage`;
    const declared = await call<{ releaseId: string; status: string }>('POST', '/ops/ota/releases', { version, channel: 'stable', fileName, sha512, size: bytes.length, releaseNotes: 'Wiring test' });
    expect(declared).toMatchObject({ status: 201, json: { status: 'pending' } });
    const uploaded = await fetch(`${api}/ops/ota/releases/${declared.json.releaseId}/artefact`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(uploaded.status).toBe(200);
    expect(await uploaded.json()).toMatchObject({ status: 'ready' });
    // The artefact lies in the configured folder, where the gateway's update feed serves it from
    const stored = join(artefactDir, 'releases', 'stable', version, fileName);
    expect(existsSync(stored) && readFileSync(stored).equals(bytes)).toBe(true);

    // When ops start a rollout whose first stage waits one second
    const created = await call<RolloutView>('POST', '/ops/ota/rollouts', {
      releaseId: declared.json.releaseId,
      target: { malls: [mall] },
      stages: [
        { percent: 10, waitS: 1 },
        { percent: 100, waitS: 3600 },
      ],
      thresholds: { minSuccessRate: 0, maxFailureRate: 0.5, minReports: 3 },
    });
    expect(created.status).toBe(201);
    const rolloutId = created.json.rollout.rolloutId;

    // Then the scheduler in the process moves it to the second stage
    await eventually(async () => (await rollout(rolloutId)).rollout.currentStage === 1, 'the scheduler to advance the rollout', 30_000);
    expect((await rollout(rolloutId)).history).toContainEqual(expect.objectContaining({ action: 'advance', actor: 'scheduler' }));

    // When three kiosks report a failed update through Kafka, as the gateway publishes them
    const reports: ValidEvent[] = [1, 2, 3].map((n) =>
      kioskReporter(`${mall}-k00${n}`, () => new Date())({ type: 'kiosk.update.failed', data: { version, fromVersion: '2.9.0', rolloutId, reason: 'health check failed' } }),
    );
    await producer.send({ topic, acks: -1, messages: reports.map((e) => {
      const record = toKafkaRecord(e);
      return { key: record.key, value: record.value, headers: record.headers };
    }) });

    // Then the ota-update-reports stage applies them and the failure threshold halts the rollout
    await eventually(async () => (await rollout(rolloutId)).rollout.status === 'halted', 'the report stage to halt the rollout', 60_000);
    const halted = await rollout(rolloutId);
    expect(halted.rollout.statusReason).toMatch(/failure threshold/);
    expect(halted.progress.reports).toMatchObject({ failed: 3, installed: 0 });
    expect(halted.history.at(-1)).toMatchObject({ action: 'halt', actor: 'thresholds' });
  });
});
