// Run inside a kiosk's network namespace by the tunnel tests: talks to the gateway the way the
// kiosk's sync client does, using only what kioskctl left in the data folder.
//   kioskRequest.ts get <data dir> <path> <timeout ms>        plain GET through the tunnel
//   kioskRequest.ts events <data dir> <first sequence> <count> signed CloudEvents batch upload
//   kioskRequest.ts probe <data dir> [<base URL>]              kioskctl's gateway probe (default: the gateway)
// Prints one JSON line: { ok, status, body, error, ms } (for probe, body is the GatewayProbe).
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_CONTENT_TYPE, encodeBatch, kioskDataFiles, makeEvent, newEventId, UPLOAD_PATH, type KioskEnrolmentFile } from '@atrium/contracts';
import { probeGateway } from '../kioskctl/gatewayProbe';
import { signDeviceRequest } from '../signatures/deviceRequestSignature';

const [mode, dataDirArg, a, b] = process.argv.slice(2);
if (!dataDirArg || (mode !== 'get' && mode !== 'events' && mode !== 'probe')) throw new Error('usage: kioskRequest.ts get|events|probe <data dir> ...');
const dataDir: string = dataDirArg;
const enrolment = JSON.parse(readFileSync(join(dataDir, kioskDataFiles.enrolment), 'utf8')) as KioskEnrolmentFile;

async function send(): Promise<{ status: number; body: unknown }> {
  if (mode === 'get') {
    const response = await fetch(new URL(a ?? '/', enrolment.gatewayUrl), { signal: AbortSignal.timeout(Number(b ?? 3000)) });
    return { status: response.status, body: await response.text() };
  }
  const key = createPrivateKey(readFileSync(join(dataDir, kioskDataFiles.signingKey)));
  if (mode === 'probe') {
    const probe = await probeGateway(a ?? enrolment.gatewayUrl, { deviceId: enrolment.deviceId, signingKey: key }, 5_000);
    return { status: probe.status ?? 0, body: probe };
  }
  const first = Number(a);
  const now = new Date();
  const events = Array.from({ length: Number(b) }, (_, i) =>
    makeEvent(
      { type: 'kiosk.heartbeat', data: { version: '1.0.0', uptimeS: 60 + i, queueDepth: 0, sessionActive: false } },
      { id: newEventId(), kioskId: enrolment.kioskId, sequence: first + i, time: now.toISOString() },
    ),
  );
  const body = Buffer.from(encodeBatch(events), 'utf8');
  const url = new URL(UPLOAD_PATH, enrolment.gatewayUrl).toString();
  const headers = await signDeviceRequest({ method: 'POST', url, headers: { 'content-type': BATCH_CONTENT_TYPE }, body }, enrolment.deviceId, key, now);
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json() };
}

const started = Date.now();
send().then(
  (r) => console.log(JSON.stringify({ ok: true, ...r, error: null, ms: Date.now() - started })),
  (error: unknown) => {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    console.log(JSON.stringify({ ok: false, status: null, body: null, error: cause ?? (error as Error).name ?? String(error), ms: Date.now() - started }));
  },
);
