import type { FleetStatusEntry } from '../projections/mongo/viewReaders';
import { mallOfKiosk } from '../projections/reducers/kioskMall';

/** Kiosks per connectivity. */
export interface ConnectivityCounts {
  online: number;
  offline: number;
  neverSeen: number;
}

/** The fleet at a glance: totals, per mall, and which versions run where. */
export interface FleetSummary extends ConnectivityCounts {
  total: number;
  malls: (ConnectivityCounts & { mallId: string; total: number })[];
  versions: { version: string; kiosks: number }[];
}

const bump = (counts: ConnectivityCounts, entry: FleetStatusEntry) => {
  switch (entry.connectivity) {
    case 'online':
      counts.online += 1;
      break;
    case 'offline':
      counts.offline += 1;
      break;
    case 'never-seen':
      counts.neverSeen += 1;
      break;
    default: {
      const unknown: never = entry.connectivity;
      throw new Error(`unknown connectivity ${String(unknown)}`);
    }
  }
};

/** Summarises the fleet view (connectivity already derived at read time). */
export function summariseFleet(entries: readonly FleetStatusEntry[]): FleetSummary {
  const total: ConnectivityCounts = { online: 0, offline: 0, neverSeen: 0 };
  const malls = new Map<string, ConnectivityCounts & { mallId: string; total: number }>();
  const versions = new Map<string, number>();
  for (const entry of entries) {
    bump(total, entry);
    const mallId = mallOfKiosk(entry.kioskId);
    const mall = malls.get(mallId) ?? { mallId, total: 0, online: 0, offline: 0, neverSeen: 0 };
    mall.total += 1;
    bump(mall, entry);
    malls.set(mallId, mall);
    const version = entry.version ?? 'unknown';
    versions.set(version, (versions.get(version) ?? 0) + 1);
  }
  return {
    total: entries.length,
    ...total,
    malls: [...malls.values()].sort((a, b) => a.mallId.localeCompare(b.mallId)),
    versions: [...versions].map(([version, kiosks]) => ({ version, kiosks })).sort((a, b) => b.kiosks - a.kiosks || a.version.localeCompare(b.version)),
  };
}
