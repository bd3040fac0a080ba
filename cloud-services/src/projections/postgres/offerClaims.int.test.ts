import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleData, newEventId } from '@atrium/contracts';
import { createServiceMetrics } from '../../metrics/serviceMetrics';
import { startConsumers } from '../../runtime/cloudConsumers';
import { createCloudTestKit, eventually, kioskEvent, type CloudTestKit } from '../../testing/cloudTestKit';

describe('offer claims under contention', () => {
  let kit: CloudTestKit;
  beforeAll(async () => {
    kit = await createCloudTestKit('claims', 4);
  });
  afterAll(async () => {
    await kit?.cleanup();
  });

  it('given 50 kiosks claiming one offer at once, some offline, when projected by two consumers, then accepted equals stock exactly and every other claim is recorded as over_stock', async () => {
    const offerId = `offer-${kit.suffix}`;
    const stock = 20;
    const s = kit.config.postgresSchema;
    const pool = kit.connections.pg();
    await pool.query(`INSERT INTO ${s}.offer_inventory (offer_id, stock) VALUES ($1, $2)`, [offerId, stock]);
    const kiosks = Array.from({ length: 50 }, (_, i) => `mall-05-k${String(i + 1).padStart(3, '0')}`);

    // Given: each kiosk makes an online claim and then an offline one, all sent at the same time.
    const claimOf = (kioskId: string, seq: number) =>
      kioskEvent(kioskId, seq, { type: 'mall.offer.claimed', data: { ...exampleData['mall.offer.claimed'], offerId, claimId: newEventId(), offline: seq === 2 } });
    const members = await Promise.all([0, 1].map(() => startConsumers(kit.config, kit.connections, kit.log, createServiceMetrics(), { stages: ['offer-claims'], sessionTimeoutMs: 10_000 })));
    await Promise.all(kiosks.map((k) => kit.produce([claimOf(k, 1), claimOf(k, 2)])));

    // When: both members have applied every claim.
    await eventually(async () => Number((await pool.query(`SELECT count(*) AS n FROM ${s}.offer_claims`)).rows[0].n) >= 100, 'all claims recorded', 120_000);
    await Promise.all(members.map((m) => m.stop()));

    // Then
    const byStatus = await pool.query<{ status: string; offline: boolean; n: string }>(`SELECT status, offline, count(*) AS n FROM ${s}.offer_claims GROUP BY 1, 2`);
    const count = (status: string, offline?: boolean) => byStatus.rows.filter((r) => r.status === status && (offline === undefined || r.offline === offline)).reduce((n, r) => n + Number(r.n), 0);
    expect(count('accepted')).toBe(stock);
    expect(count('over_stock')).toBe(100 - stock);
    expect(count('over_stock', true) + count('accepted', true)).toBe(50);
    const totals = await pool.query(`SELECT accepted, over_stock FROM ${s}.offer_claim_totals WHERE offer_id = $1`, [offerId]);
    expect(totals.rows[0]).toEqual({ accepted: stock, over_stock: 100 - stock });
    expect(Number((await pool.query(`SELECT count(*) AS n FROM ${s}.offer_claims`)).rows[0].n)).toBe(100);
  }, 300_000);
});
