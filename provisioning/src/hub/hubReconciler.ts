import type pg from 'pg';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { desiredPeers, poolsOfHub } from '../db/hubStore';
import type { WgPeerStatus } from '../wireguard/wgDump';
import { readInterface, removePeer, setPeer } from '../wireguard/wgInterface';
import { runCommand, type NetworkScope } from '../wireguard/runCommand';
import { observeEndpoints, type RoamingHistory } from './peerRoaming';
import { planReconcile, summariseDrift, type DriftSummary, type PeerAction } from './reconcilePlan';

/** What one reconcile pass found and did. */
export interface ReconcileReport {
  desired: number;
  actual: number;
  drift: DriftSummary;
  applied: number;
  failed: number;
}

/** The reconciler's metrics, registered once. */
export function reconcilerMetrics(registry: Registry) {
  return {
    drift: new Counter({ name: 'atrium_hub_peer_drift_total', help: 'Hub peers found out of line with PostgreSQL, by kind', labelNames: ['kind'], registers: [registry] }),
    lastDrift: new Gauge({ name: 'atrium_hub_peer_drift', help: 'Drift found by the last reconcile pass, by kind', labelNames: ['kind'], registers: [registry] }),
    peers: new Gauge({ name: 'atrium_hub_peers', help: 'Peers on the hub interface after the last pass', registers: [registry] }),
    failures: new Counter({ name: 'atrium_hub_reconcile_failures_total', help: 'Reconcile passes or peer changes that failed', registers: [registry] }),
    passes: new Counter({ name: 'atrium_hub_reconcile_passes_total', help: 'Reconcile passes run', registers: [registry] }),
    roaming: new Counter({ name: 'atrium_hub_peer_roaming_alerts_total', help: 'Peer keys seen switching between source hosts (possible cloned kiosk)', registers: [registry] }),
  };
}

/** The reconciler's metrics. */
export type ReconcilerMetrics = ReturnType<typeof reconcilerMetrics>;

/** What a reconcile pass works with. */
export interface ReconcilerDeps {
  pool: pg.Pool;
  hubId: string;
  interfaceName: string;
  scope: NetworkScope;
  log: Logger;
  metrics: ReconcilerMetrics;
  /** Endpoint history across passes, for spotting one key used from two places. */
  roaming: { history: Map<string, RoamingHistory>; windowS: number; threshold: number };
}

async function apply(scope: NetworkScope, interfaceName: string, action: PeerAction): Promise<void> {
  switch (action.kind) {
    case 'remove':
      return removePeer(scope, interfaceName, action.publicKey);
    case 'add':
    case 'setAllowedIps':
      return setPeer(scope, interfaceName, { publicKey: action.publicKey, allowedIps: action.allowedIps });
    default: {
      const never: never = action;
      throw new Error(`unknown peer action ${JSON.stringify(never)}`);
    }
  }
}

/** Flags keys whose source host keeps changing: two machines share them (a cloned disk). */
function watchRoaming(deps: ReconcilerDeps, desired: readonly { deviceId: string; publicKey: string }[], actual: readonly WgPeerStatus[]): void {
  const observed = observeEndpoints(deps.roaming.history, actual, Math.floor(Date.now() / 1000), deps.roaming);
  deps.roaming.history = observed.history;
  for (const alert of observed.alerts) {
    deps.metrics.roaming.inc();
    const deviceId = desired.find((p) => p.publicKey === alert.publicKey)?.deviceId ?? null;
    deps.log.warn({ event: 'hub.peer-roaming', hubId: deps.hubId, deviceId, ...alert }, 'one key is used from several places: possible cloned kiosk; check it and revoke if needed');
  }
}

/**
 * One pass: the peers PostgreSQL wants on this hub against the peers `wg show dump` reports,
 * then the plan applied peer by peer. Both directions converge (missing peers added, unknown
 * peers removed, allowed IPs corrected); a second pass with nothing changed does nothing.
 * Drift is logged as one JSON line and counted in metrics. Each pool of the hub gets a route.
 */
export async function reconcileOnce(deps: ReconcilerDeps): Promise<ReconcileReport> {
  const { log, metrics } = deps;
  metrics.passes.inc();
  const desired = await desiredPeers(deps.pool, deps.hubId);
  for (const cidr of await poolsOfHub(deps.pool, deps.hubId)) await runCommand(deps.scope, 'ip', ['route', 'replace', cidr, 'dev', deps.interfaceName]);
  const actual = (await readInterface(deps.scope, deps.interfaceName)).peers;
  watchRoaming(deps, desired, actual);
  const plan = planReconcile(desired, actual);
  const drift = summariseDrift(plan);
  let failed = 0;
  for (const action of plan) {
    try {
      await apply(deps.scope, deps.interfaceName, action);
    } catch (error) {
      failed += 1;
      metrics.failures.inc();
      log.error({ err: error, action: action.kind, publicKey: action.publicKey }, 'hub peer change failed');
    }
  }
  for (const kind of ['missing', 'unknown', 'allowedIpsChanged'] as const) {
    metrics.lastDrift.set({ kind }, drift[kind]);
    if (drift[kind] > 0) metrics.drift.inc({ kind }, drift[kind]);
  }
  metrics.peers.set(actual.length + drift.missing - drift.unknown);
  const report = { desired: desired.length, actual: actual.length, drift, applied: plan.length - failed, failed };
  if (plan.length > 0) {
    log.warn({ event: 'hub.drift', hubId: deps.hubId, interface: deps.interfaceName, ...report, actions: plan.map((a) => ({ kind: a.kind, publicKey: a.publicKey, ...('deviceId' in a ? { deviceId: a.deviceId } : {}) })) }, 'hub peers drifted; converged');
  } else log.debug({ event: 'hub.in-sync', hubId: deps.hubId, desired: desired.length }, 'hub peers in sync');
  return report;
}
