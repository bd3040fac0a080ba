/** The endpoint addresses a hub has seen a peer key use, with when each change happened. */
export interface RoamingHistory {
  lastHost: string;
  changesAtS: number[];
}

/** A key seen from several places in a short time: two machines share it (a cloned disk). */
export interface RoamingAlert {
  publicKey: string;
  hosts: string[];
  changes: number;
}

/** Host part of a WireGuard endpoint (`1.2.3.4:51820` or `[2001:db8::1]:51820`). */
export function endpointHost(endpoint: string): string {
  const bracketed = /^\[(.+)\]:\d+$/.exec(endpoint);
  if (bracketed) return bracketed[1]!;
  const colon = endpoint.lastIndexOf(':');
  return colon > 0 ? endpoint.slice(0, colon) : endpoint;
}

/**
 * Tracks the source host of each peer across reconcile passes. WireGuard follows a peer to
 * wherever its last authenticated packet came from, so two machines holding the same key make
 * its endpoint flip back and forth; one kiosk behind one NAT keeps its host (a port change is
 * ignored). Returns the updated history and the keys that changed host `threshold` times or
 * more within `windowS` (reported on each further change, not on quiet passes).
 */
export function observeEndpoints(
  history: ReadonlyMap<string, RoamingHistory>,
  peers: readonly { publicKey: string; endpoint: string | null }[],
  nowS: number,
  options: { windowS: number; threshold: number },
): { history: Map<string, RoamingHistory>; alerts: RoamingAlert[] } {
  const next = new Map<string, RoamingHistory>();
  const alerts: RoamingAlert[] = [];
  for (const peer of peers) {
    if (!peer.endpoint) continue;
    const host = endpointHost(peer.endpoint);
    const before = history.get(peer.publicKey);
    const changesAtS = (before?.changesAtS ?? []).filter((t) => t > nowS - options.windowS);
    const moved = before !== undefined && before.lastHost !== host;
    if (moved) changesAtS.push(nowS);
    next.set(peer.publicKey, { lastHost: host, changesAtS });
    // Alert on the change that crosses (or stays over) the threshold, not on every quiet pass.
    if (moved && changesAtS.length >= options.threshold) alerts.push({ publicKey: peer.publicKey, hosts: before ? [before.lastHost, host] : [host], changes: changesAtS.length });
  }
  return { history: next, alerts };
}
