import type { ValidEvent } from '@atrium/contracts';

/** What the fleet view keeps per kiosk. */
export interface FleetStatusFields {
  lastHeartbeatAt?: Date;
  version?: string;
  queueDepth?: number;
  uptimeS?: number;
  sessionActive?: boolean;
  lastEventAt?: Date;
}

/** Online when the last heartbeat is younger than the threshold; derived when read, never stored. */
export type Connectivity = 'online' | 'offline' | 'never-seen';

/**
 * The change one event makes to its kiosk's fleet status (null: none). Heartbeats carry version and
 * queue depth; an installed or rolled-back update changes the version at once.
 */
export function fleetStatusChange(_view: FleetStatusFields | undefined, event: ValidEvent): FleetStatusFields | null {
  const at = new Date(event.time);
  switch (event.type) {
    case 'kiosk.heartbeat':
      return { lastHeartbeatAt: at, version: event.data.version, queueDepth: event.data.queueDepth, uptimeS: event.data.uptimeS, sessionActive: event.data.sessionActive, lastEventAt: at };
    case 'kiosk.update.installed':
    case 'kiosk.update.rolledback':
      return { version: event.data.version, lastEventAt: at };
    default:
      return null;
  }
}

/** Folds a kiosk's events (in sequence order) into one change. */
export function foldFleetStatus(view: FleetStatusFields | undefined, events: readonly ValidEvent[]): FleetStatusFields | null {
  let change: FleetStatusFields | null = null;
  for (const event of events) {
    const next = fleetStatusChange(view, event);
    if (next) change = { ...(change ?? {}), ...next };
  }
  return change;
}

/** A kiosk's connectivity at `now`. */
export function connectivityAt(lastHeartbeatAt: Date | undefined, now: Date, offlineAfterMs: number): Connectivity {
  if (!lastHeartbeatAt) return 'never-seen';
  return now.getTime() - lastHeartbeatAt.getTime() <= offlineAfterMs ? 'online' : 'offline';
}
