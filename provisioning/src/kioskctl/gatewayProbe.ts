import { setTimeout as sleep } from 'node:timers/promises';

/** One try at the gateway's health endpoint through the tunnel. */
export interface GatewayProbe {
  reachable: boolean;
  status: number | null;
  rttMs: number | null;
  /** Server clock minus kiosk clock, estimated at the midpoint of the request. */
  clockOffsetMs: number | null;
  error: string | null;
}

/**
 * The clock offset from one request: server time against the midpoint of send and receive
 * (as NTP does with one sample). A `Date` header only has whole seconds, so ±500 ms then.
 */
export function clockOffsetMs(sentAtMs: number, receivedAtMs: number, serverTimeMs: number): number {
  return Math.round(serverTimeMs - (sentAtMs + receivedAtMs) / 2);
}

function serverTimeOf(body: string, dateHeader: string | null): number | undefined {
  try {
    const parsed = JSON.parse(body) as { serverTime?: unknown };
    if (typeof parsed.serverTime === 'string' && !Number.isNaN(Date.parse(parsed.serverTime))) return Date.parse(parsed.serverTime);
  } catch {
    // Not JSON: fall back to the Date header.
  }
  return dateHeader && !Number.isNaN(Date.parse(dateHeader)) ? Date.parse(dateHeader) : undefined;
}

/** GET <gateway>/healthz once. */
export async function probeGateway(gatewayUrl: string, timeoutMs: number): Promise<GatewayProbe> {
  const sent = Date.now();
  try {
    const response = await fetch(new URL('/healthz', gatewayUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    const received = Date.now();
    const serverTime = serverTimeOf(body, response.headers.get('date'));
    return {
      reachable: response.status < 500,
      status: response.status,
      rttMs: received - sent,
      clockOffsetMs: serverTime === undefined ? null : clockOffsetMs(sent, received, serverTime),
      error: response.status < 500 ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { reachable: false, status: null, rttMs: null, clockOffsetMs: null, error: cause ?? (error instanceof Error ? error.name : String(error)) };
  }
}

/** Tries the gateway until it answers or `deadlineMs` (epoch ms) passes. */
export async function waitForGateway(gatewayUrl: string, deadlineMs: number, attemptTimeoutMs = 2_000): Promise<GatewayProbe & { attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const left = deadlineMs - Date.now();
    const probe = await probeGateway(gatewayUrl, Math.max(250, Math.min(attemptTimeoutMs, left)));
    if (probe.reachable || Date.now() + 200 >= deadlineMs) return { ...probe, attempts };
    await sleep(200);
  }
}
