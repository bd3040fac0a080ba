import type { DiagCheck } from './diagChecks';
import type { KioskStatus } from './kioskStatus';

const orDash = (value: unknown): string => (value === null || value === undefined ? '—' : String(value));

function gatewayLine(g: KioskStatus['gateway']): string {
  if (g?.reachable) return `accepts this kiosk (${g.status}, ${g.rttMs} ms)`;
  if (g?.refusal) return `REFUSES this kiosk (${g.refusal})`;
  return `NO ANSWER (${orDash(g?.error)})`;
}

/** `kioskctl status` for people: one fact per line. */
export function formatStatus(s: KioskStatus): string {
  if (!s.enrolled) return 'not enrolled from this data folder; run: kioskctl enrol --token <token from ops> --server <provisioning URL>';
  const lines = [
    `kiosk        ${orDash(s.kioskId)} in ${orDash(s.mallId)} (device ${orDash(s.deviceId)}, key generation ${orDash(s.keyGeneration)})`,
    `tunnel       ${s.interfaceName} ${s.tunnel.interfaceUp ? 'up' : 'DOWN'}, address ${orDash(s.vpnAddress)}, hub ${orDash(s.tunnel.hubEndpoint)}`,
    `handshake    ${s.tunnel.handshakeAgeS === null ? 'never' : `${s.tunnel.handshakeAgeS} s ago`}; ${orDash(s.tunnel.rxBytes)} B in, ${orDash(s.tunnel.txBytes)} B out`,
    `gateway      ${orDash(s.gatewayUrl)}: ${gatewayLine(s.gateway)}`,
    `clock        ${s.clockOffsetMs === null ? 'offset unknown' : `${s.clockOffsetMs} ms off the gateway`}`,
    `queue        ${s.queue.depth === null ? `unknown (${orDash(s.queue.unavailable)})` : `${s.queue.depth} events waiting`}, last sync ${orDash(s.queue.lastSyncAt)}`,
    `disk         ${s.disk ? `${(s.disk.freeBytes / 1e9).toFixed(1)} GB free of ${(s.disk.totalBytes / 1e9).toFixed(1)} GB (${s.disk.usedPercent}% used)` : 'unknown'}`,
  ];
  return lines.join('\n');
}

/** `kioskctl diag` for people: a verdict per check, and what to do for each that is not ok. */
export function formatDiag(checks: readonly DiagCheck[]): string {
  const mark = { ok: ' ok ', warn: 'WARN', fail: 'FAIL' } as const;
  return checks.map((c) => `[${mark[c.verdict]}] ${c.name.padEnd(10)} ${c.detail}${c.next ? `\n            → ${c.next}` : ''}`).join('\n');
}
