import { nextStepForGatewayRefusal } from './nextSteps';
import type { KioskStatus } from './kioskStatus';

/** One diagnostic verdict with what to do about it. */
export interface DiagCheck {
  name: string;
  verdict: 'ok' | 'warn' | 'fail';
  detail: string;
  next?: string;
}

/** A handshake older than this means the tunnel is not working (WireGuard re-keys every 2 min). */
export const HANDSHAKE_STALE_S = 180;
/** Clock offsets above this put request signatures at risk (the gateway accepts ±300 s). */
export const CLOCK_WARN_MS = 30_000;
export const CLOCK_FAIL_MS = 240_000;
/** Free disk below this fraction endangers the outbox. */
export const DISK_WARN_FREE = 0.1;

/** Judges a status snapshot: each check says ok, warn or fail, and what to do next. */
export function diagnose(status: KioskStatus): DiagCheck[] {
  const checks: DiagCheck[] = [];
  const add = (name: string, verdict: DiagCheck['verdict'], detail: string, next?: string): void => void checks.push({ name, verdict, detail, ...(next ? { next } : {}) });

  if (!status.enrolled) {
    add('enrolment', 'fail', 'this data folder holds no enrolment', 'run kioskctl enrol --token <token from ops> --server <provisioning URL>');
    return checks;
  }
  add('enrolment', 'ok', `device ${status.deviceId}, kiosk ${status.kioskId} in ${status.mallId}, key generation ${status.keyGeneration}`);

  if (status.hardwareMatches === false) add('hardware', 'fail', 'this is not the hardware the kiosk was enrolled on (a copied disk?)', 'ask ops for a new token and enrol with a fresh data folder');
  else if (status.hardwareMatches === null) add('hardware', 'warn', 'the hardware identity could not be read', 'pass --hardware-id if this machine has no DMI data');
  else add('hardware', 'ok', 'same hardware as at enrolment');

  if (status.keyFilesPrivate === false) add('key files', 'fail', 'a private key file is readable by other users', 'chmod 600 the files in <data-dir>/keys');
  else if (status.keyFilesPrivate === null) add('key files', 'fail', 'a private key file is missing', 'enrol again with a new token from ops');
  else add('key files', 'ok', 'private keys are mode 0600');

  const t = status.tunnel;
  if (!t.interfaceUp) add('tunnel', 'fail', `interface ${status.interfaceName} does not exist`, 'run kioskctl up: it brings the tunnel back from the enrolment files');
  else if (t.handshakeAgeS === null) add('tunnel', 'fail', 'no handshake with the hub yet', 'check that UDP to the hub endpoint is allowed by the mall network');
  else if (t.handshakeAgeS > HANDSHAKE_STALE_S) add('tunnel', 'warn', `last handshake ${t.handshakeAgeS} s ago`, 'check the network link and the hub endpoint; kioskctl status shows when it recovers');
  else add('tunnel', 'ok', `handshake ${t.handshakeAgeS} s ago, ${t.rxBytes ?? 0} B in, ${t.txBytes ?? 0} B out via ${t.hubEndpoint ?? '?'}`);

  if (t.routedThroughTunnel === false) add('route', 'fail', `traffic to the gateway does not go through ${status.interfaceName}`, 'run kioskctl up to restore the route');
  else if (t.routedThroughTunnel) add('route', 'ok', `the gateway is routed through ${status.interfaceName}`);

  const g = status.gateway;
  if (g?.refusal) add('gateway', 'fail', `${status.gatewayUrl} refuses this kiosk (${g.error ?? g.refusal})`, nextStepForGatewayRefusal(g.refusal));
  else if (!g || !g.reachable) add('gateway', 'fail', `no acceptance from ${status.gatewayUrl} (${g?.error ?? 'not tried'})`, 'if the tunnel check passed, ask ops whether the sync gateway runs on the hub');
  else add('gateway', 'ok', `accepted a signed probe (${g.status}) in ${g.rttMs} ms`);

  const offset = status.clockOffsetMs;
  if (offset === null) add('clock', 'warn', 'clock offset unknown (the gateway did not answer)');
  else if (Math.abs(offset) > CLOCK_FAIL_MS) add('clock', 'fail', `the kiosk clock is ${Math.round(offset / 1000)} s off`, 'fix the time (NTP); signed requests are refused beyond ±300 s');
  else if (Math.abs(offset) > CLOCK_WARN_MS) add('clock', 'warn', `the kiosk clock is ${Math.round(offset / 1000)} s off`, 'check NTP on the kiosk');
  else add('clock', 'ok', `offset ${offset} ms`);

  const q = status.queue;
  if (q.depth === null) add('queue', 'warn', q.unavailable ?? 'unknown');
  else add('queue', 'ok', `${q.depth} events waiting; last sync ${q.lastSyncAt ?? 'never'}`);

  const d = status.disk;
  if (!d) add('disk', 'warn', 'free space unknown');
  else if (d.freeBytes / d.totalBytes < DISK_WARN_FREE) add('disk', 'warn', `${d.usedPercent}% used on ${d.path}`, 'free disk space: the outbox needs room while offline');
  else add('disk', 'ok', `${(d.freeBytes / 1e9).toFixed(1)} GB free (${d.usedPercent}% used)`);
  return checks;
}
