import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AtriumError, Problem } from '@atrium/contracts';
import type { KioskGapAudit } from '../audit/gapAudit';
import type { FleetStatusEntry } from '../projections/mongo/viewReaders';
import { summariseFleet } from './fleetSummary';

/** What the fleet routes read (the same adapters as the ops app's own routes). */
export interface FleetRoutesDeps {
  fleetStatus(now: Date): Promise<FleetStatusEntry[]>;
  audit(kioskIds?: readonly string[]): Promise<KioskGapAudit[]>;
  now?: () => Date;
}

const Counts = { online: Type.Integer(), offline: Type.Integer(), neverSeen: Type.Integer() };
const Summary = Type.Object({
  total: Type.Integer(),
  ...Counts,
  malls: Type.Array(Type.Object({ mallId: Type.String(), total: Type.Integer(), ...Counts })),
  versions: Type.Array(Type.Object({ version: Type.String(), kiosks: Type.Integer() })),
});
const Entry = Type.Object({
  kioskId: Type.String(),
  connectivity: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('never-seen')]),
  lastHeartbeatAt: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  queueDepth: Type.Union([Type.Integer(), Type.Null()]),
});
const Audit = Type.Object({
  highestContiguous: Type.Integer(),
  highestSeen: Type.Integer(),
  storedCount: Type.Integer(),
  deadLetteredCount: Type.Integer(),
  missingCount: Type.Integer(),
});
const KioskParams = Type.Object({ kioskId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }) });

/** `GET /fleet/summary` and `GET /fleet/kiosks/{kioskId}` (status from heartbeats, delivery from the gap audit). */
export function fleetRoutes(deps: FleetRoutesDeps): FastifyPluginAsyncTypebox {
  const now = deps.now ?? (() => new Date());
  return async (app) => {
    app.get('/fleet/summary', { schema: { summary: 'Kiosks online/offline in all and per mall, and the versions they run', tags: ['fleet'], response: { 200: Summary } } }, async () =>
      summariseFleet(await deps.fleetStatus(now())),
    );
    app.get(
      '/fleet/kiosks/:kioskId',
      { schema: { summary: "One kiosk: its status and what the event store holds of it", tags: ['fleet'], params: KioskParams, response: { 200: Type.Object({ status: Type.Union([Entry, Type.Null()]), delivery: Type.Union([Audit, Type.Null()]) }), 400: Problem, 404: Problem } } },
      async (request) => {
        const { kioskId } = request.params;
        const [entries, audits] = await Promise.all([deps.fleetStatus(now()), deps.audit([kioskId])]);
        const status = entries.find((e) => e.kioskId === kioskId) ?? null;
        const audit = audits.find((a) => a.kioskId === kioskId && a.highestSeen > 0) ?? null;
        if (!status && !audit) throw new AtriumError('NOT_FOUND', `Nothing is known of kiosk ${kioskId}`);
        return { status, delivery: audit };
      },
    );
  };
}
