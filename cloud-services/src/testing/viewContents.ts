import { projectionNamed } from '../projections/projectionCatalogue';
import type { ProjectionName } from '../config/cloudConfig';
import type { CloudTestKit } from './cloudTestKit';

const ORDER: Record<string, string> = {
  loyalty_members: 'email_hash',
  offer_claims: 'claim_id',
  offer_claim_totals: 'offer_id',
  daily_analytics: 'mall_id, day, event_type',
};

/** The full contents of a view (every table or every document), in a stable order, for equality checks. */
export async function viewContents(kit: CloudTestKit, name: ProjectionName, suffix = ''): Promise<unknown> {
  const named = projectionNamed(name);
  if (named.store === 'postgres') {
    const out: Record<string, unknown[]> = {};
    for (const table of named.projection.tables) {
      out[table] = (await kit.connections.pg().query(`SELECT * FROM ${kit.config.postgresSchema}.${table}${suffix} ORDER BY ${ORDER[table]}`)).rows;
    }
    const wm = await kit.connections.pg().query(`SELECT kiosk_id, sequence FROM ${kit.config.postgresSchema}.projection_watermarks WHERE projection = $1 ORDER BY kiosk_id`, [suffix ? `${name}#rebuild` : name]);
    out['watermarks'] = wm.rows;
    return out;
  }
  const db = await kit.connections.mongo();
  return db.collection(`${named.projection.collection}${suffix}`).find({}).sort({ _id: 1 }).toArray();
}
