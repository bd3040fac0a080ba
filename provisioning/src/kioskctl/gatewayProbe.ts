import type { KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Value } from '@sinclair/typebox/value';
import { BATCH_CONTENT_TYPE, isProblem, UPLOAD_PATH, UploadResponse } from '@atrium/contracts';
import { signDeviceRequest } from '../signatures/deviceRequestSignature';

/** Who the probe signs as: the enrolled device and its Ed25519 key (made on this kiosk). */
export interface ProbeSigner {
  deviceId: string;
  signingKey: KeyObject;
}

/** One try at the sync gateway through the tunnel. */
export interface GatewayProbe {
  /** True only when the sync gateway accepted this device's signed empty upload (200 with an `UploadResponse`). */
  reachable: boolean;
  status: number | null;
  rttMs: number | null;
  /** Server clock minus kiosk clock, estimated at the midpoint of the request. */
  clockOffsetMs: number | null;
  /** The gateway's problem code when it answered but refused (e.g. `DEVICE_REVOKED`, `SIGNATURE_EXPIRED`). */
  refusal: string | null;
  error: string | null;
}

/**
 * The clock offset from one request: server time against the midpoint of send and receive
 * (as NTP does with one sample). A `Date` header only has whole seconds, so ±500 ms then.
 */
export function clockOffsetMs(sentAtMs: number, receivedAtMs: number, serverTimeMs: number): number {
  return Math.round(serverTimeMs - (sentAtMs + receivedAtMs) / 2);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function serverTimeOf(parsed: unknown, dateHeader: string | null): number | undefined {
  const serverTime = (parsed as { serverTime?: unknown } | undefined)?.serverTime;
  if (typeof serverTime === 'string' && !Number.isNaN(Date.parse(serverTime))) return Date.parse(serverTime);
  return dateHeader && !Number.isNaN(Date.parse(dateHeader)) ? Date.parse(dateHeader) : undefined;
}

/**
 * Judges the answer to the probe. Only the gateway's upload route answers a signed empty batch
 * with 200 and an `UploadResponse` acknowledging nothing; any other answer (a 404 from a server
 * without that route, a proxy's page, a problem such as `DEVICE_REVOKED`) is not reachability.
 */
export function judgeGatewayAnswer(status: number, body: string): Pick<GatewayProbe, 'reachable' | 'refusal' | 'error'> {
  const parsed = parseJson(body);
  if (status === 200 && Value.Check(UploadResponse, parsed) && parsed.ackedThrough === 0) return { reachable: true, refusal: null, error: null };
  if (isProblem(parsed)) {
    if (status === 404 || status === 405) return { reachable: false, refusal: null, error: `HTTP ${status} ${parsed.code}: no sync gateway upload route at this address` };
    return { reachable: false, refusal: parsed.code, error: `HTTP ${status} ${parsed.code}${parsed.detail ? `: ${parsed.detail}` : ''}` };
  }
  return { reachable: false, refusal: null, error: `HTTP ${status}: not a sync gateway upload answer` };
}

/**
 * One signed empty upload (`POST /v1/events` with `[]`) to the gateway: the cheap probe the
 * gateway offers. It proves the tunnel carries traffic both ways, that the sync gateway answers
 * and that it accepts this device; nothing is produced. Its `serverTime` gives the clock offset.
 */
export async function probeGateway(gatewayUrl: string, signer: ProbeSigner, timeoutMs: number): Promise<GatewayProbe> {
  const url = new URL(UPLOAD_PATH, gatewayUrl).toString();
  const body = Buffer.from('[]', 'utf8');
  const sent = Date.now();
  try {
    const headers = await signDeviceRequest({ method: 'POST', url, headers: { 'content-type': BATCH_CONTENT_TYPE }, body }, signer.deviceId, signer.signingKey, new Date(sent));
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    const received = Date.now();
    const serverTime = serverTimeOf(parseJson(text), response.headers.get('date'));
    return {
      ...judgeGatewayAnswer(response.status, text),
      status: response.status,
      rttMs: received - sent,
      clockOffsetMs: serverTime === undefined ? null : clockOffsetMs(sent, received, serverTime),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { reachable: false, status: null, rttMs: null, clockOffsetMs: null, refusal: null, error: cause ?? (error instanceof Error ? error.name : String(error)) };
  }
}

/** Tries the gateway until it accepts the probe or `deadlineMs` (epoch ms) passes. */
export async function waitForGateway(gatewayUrl: string, signer: ProbeSigner, deadlineMs: number, attemptTimeoutMs = 2_000): Promise<GatewayProbe & { attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const left = deadlineMs - Date.now();
    const probe = await probeGateway(gatewayUrl, signer, Math.max(250, Math.min(attemptTimeoutMs, left)));
    if (probe.reachable || Date.now() + 200 >= deadlineMs) return { ...probe, attempts };
    await sleep(200);
  }
}
