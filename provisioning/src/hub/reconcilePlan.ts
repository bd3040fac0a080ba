/** A peer the hub should have: a kiosk's WireGuard key and its one tunnel address. */
export interface DesiredPeer {
  deviceId: string;
  publicKey: string;
  /** The kiosk's tunnel address as a /32, e.g. 10.77.1.5/32. */
  allowedIp: string;
}

/** A peer the hub has now. */
export interface ActualPeer {
  publicKey: string;
  allowedIps: readonly string[];
}

/** One change to the hub interface. */
export type PeerAction =
  | { kind: 'remove'; publicKey: string }
  | { kind: 'add'; publicKey: string; allowedIps: string[]; deviceId: string }
  | { kind: 'setAllowedIps'; publicKey: string; allowedIps: string[]; deviceId: string };

/**
 * What to change so the hub's peers equal the desired ones. Removals come first: WireGuard
 * moves an allowed IP to whichever peer was given it last, so a rotated key's new peer must
 * not be added while the old one still claims the same address. An empty plan means
 * converged.
 */
export function planReconcile(desired: readonly DesiredPeer[], actual: readonly ActualPeer[]): PeerAction[] {
  const want = new Map(desired.map((p) => [p.publicKey, p]));
  const have = new Map(actual.map((p) => [p.publicKey, p]));
  const removals: PeerAction[] = [];
  const changes: PeerAction[] = [];
  for (const peer of actual) {
    if (!want.has(peer.publicKey)) removals.push({ kind: 'remove', publicKey: peer.publicKey });
  }
  for (const peer of desired) {
    const current = have.get(peer.publicKey);
    if (!current) changes.push({ kind: 'add', publicKey: peer.publicKey, allowedIps: [peer.allowedIp], deviceId: peer.deviceId });
    else if (current.allowedIps.length !== 1 || current.allowedIps[0] !== peer.allowedIp) {
      changes.push({ kind: 'setAllowedIps', publicKey: peer.publicKey, allowedIps: [peer.allowedIp], deviceId: peer.deviceId });
    }
  }
  const byKey = (a: PeerAction, b: PeerAction): number => a.publicKey.localeCompare(b.publicKey);
  return [...removals.sort(byKey), ...changes.sort(byKey)];
}

/** Counts of a plan, as the drift report and metric carry them. */
export interface DriftSummary {
  missing: number;
  unknown: number;
  allowedIpsChanged: number;
}

/** Summarises a plan: peers missing on the hub, peers the hub should not have, wrong addresses. */
export function summariseDrift(plan: readonly PeerAction[]): DriftSummary {
  const summary: DriftSummary = { missing: 0, unknown: 0, allowedIpsChanged: 0 };
  for (const action of plan) {
    switch (action.kind) {
      case 'add':
        summary.missing += 1;
        break;
      case 'remove':
        summary.unknown += 1;
        break;
      case 'setAllowedIps':
        summary.allowedIpsChanged += 1;
        break;
      default: {
        const never: never = action;
        throw new Error(`unknown peer action ${JSON.stringify(never)}`);
      }
    }
  }
  return summary;
}
