// PostgreSQL projection throughput (events/s, Kafka → loyalty members, offer claims and daily
// analytics, each its own consumer group with per-kiosk watermarks, row locks and commit after the
// transaction) against plain INSERTs of the same rows in the same batches, side by side in one run
// on the test stack (and, for reference, the final rows in bulk). Run: npx tsx bench/src/projections.bench.ts [--events N]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { toKafkaRecord, type ValidEvent } from '@atrium/contracts';
import { loadCloudConfig } from '../../cloud-services/src/config/cloudConfig';
import { kafkaDeadLetterSink } from '../../cloud-services/src/kafka/deadLetter';
import { createEventConsumer, type EventConsumer } from '../../cloud-services/src/kafka/eventConsumer';
import { createLogger } from '../../cloud-services/src/log/logger';
import { createServiceMetrics } from '../../cloud-services/src/metrics/serviceMetrics';
import { dailyAnalyticsProjection } from '../../cloud-services/src/projections/postgres/dailyAnalyticsProjection';
import { loyaltyMembersProjection } from '../../cloud-services/src/projections/postgres/loyaltyMembersProjection';
import { offerClaimsProjection } from '../../cloud-services/src/projections/postgres/offerClaimsProjection';
import { pgProjectionApplier } from '../../cloud-services/src/projections/postgres/pgProjectionStore';
import { dailyAnalyticsChange } from '../../cloud-services/src/projections/reducers/dailyAnalytics';
import { loyaltyMemberRow } from '../../cloud-services/src/projections/reducers/loyaltyEnrolment';
import { cloudConnections } from '../../cloud-services/src/runtime/cloudConnections';
import { mixedEvents } from '../../cloud-services/src/testing/eventMix';
import { benchEndpoints } from './benchSupport';
import { writeBenchResult } from './benchResult';

const { values } = parseArgs({ options: { events: { type: 'string', default: '16000' }, help: { type: 'boolean' } } });
if (values.help) {
  process.stdout.write('Usage: tsx bench/src/projections.bench.ts [--events N]  (needs the test stack: npm run stack:up -- --profile test)\nWrites bench/results/projections.json.\n');
  process.exit(0);
}
const total = Math.min(100_000, Math.max(800, Number(values.events)));
const KIOSKS = 40;
const PARTITIONS = 6;
const TIME_LIMIT_MS = 300_000;
const CHUNK = 500;
const PROJECTIONS = [loyaltyMembersProjection, offerClaimsProjection, dailyAnalyticsProjection];
const TABLES = ['projection_watermarks', 'projection_dead_letters', 'loyalty_members', 'offer_inventory', 'offer_claim_totals', 'offer_claims', 'daily_analytics'];

const endpoints = benchEndpoints();
const suffix = randomBytes(3).toString('hex');
const schema = `bench_proj_${suffix}`;
const topic = `bench.projections.${suffix}`;
const config = loadCloudConfig({ ATRIUM_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), ATRIUM_PG_URL: endpoints.postgresUrl, ATRIUM_CLOUD_PG_SCHEMA: schema });
const log = createLogger('bench-projections', 'warn');
const connections = cloudConnections(config, log);
const pool = connections.pg();
const perKiosk = Math.ceil(total / KIOSKS);
const events: ValidEvent[] = Array.from({ length: KIOSKS }, (_, k) => mixedEvents(`mall-0${k % 4}-k${String(k).padStart(3, '0')}`, 1, perKiosk, 'offer-bench')).flat();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const t = (table: string) => `${schema}_base.${table}`;
const memberSql = `INSERT INTO ${t('loyalty_members')} (email_hash, member_ref, sealed_pii, enrolled_at, event_id, kiosk_id, sequence, marketing_consent, consent_text_version, consent_at, consent_event_id, enrolments)`;
const claimSql = `INSERT INTO ${t('offer_claims')} (claim_id, offer_id, status, offline, coupon_code, shopper_ref, session_id, kiosk_id, sequence, event_id, claimed_at)`;
const membersOf = (batch: readonly ValidEvent[]) => batch.flatMap((e) => (e.type === 'mall.loyalty.enrolled' ? [loyaltyMemberRow(e as ValidEvent & { type: 'mall.loyalty.enrolled' })] : []));
const claimsOf = (batch: readonly ValidEvent[]) => batch.flatMap((e) => (e.type === 'mall.offer.claimed' ? [e as ValidEvent & { type: 'mall.offer.claimed' }] : []));

async function baseTables(): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema}_base CASCADE`);
  await pool.query(`CREATE SCHEMA ${schema}_base`);
  for (const table of ['loyalty_members', 'offer_claims', 'daily_analytics']) await pool.query(`CREATE TABLE ${t(table)} (LIKE atrium.${table} INCLUDING ALL)`);
}

/**
 * The baseline: the same rows written the plain way, batch by batch as the consumer gets them
 * (one transaction per ${CHUNK} events): one INSERT per member and per claim, one upsert of the
 * batch's daily counts. No Kafka, no watermark, no locks, no per-shopper checks.
 */
async function plainInserts(): Promise<number> {
  await baseTables();
  const client = await pool.connect();
  const t0 = performance.now();
  try {
    for (let i = 0; i < events.length; i += CHUNK) {
      const batch = events.slice(i, i + CHUNK);
      await client.query('BEGIN');
      for (const m of membersOf(batch)) {
        await client.query(`${memberSql} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $4, $5, 1)`, [m.emailHash, m.memberRef, JSON.stringify(m.sealedPii), m.enrolledAt, m.eventId, m.kioskId, m.sequence, m.marketingConsent, m.consentTextVersion]);
      }
      for (const e of claimsOf(batch)) {
        await client.query(`${claimSql} VALUES ($1, $2, 'accepted', $3, $4, NULL, $5, $6, $7, $8, $9)`, [e.data.claimId, e.data.offerId, e.data.offline, e.data.couponCode, e.data.sessionId, e.kioskid, e.sequence, e.id, e.time]);
      }
      const counts = dailyAnalyticsChange(batch);
      await client.query(
        `INSERT INTO ${t('daily_analytics')} AS d (mall_id, day, event_type, events) SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[])
         ON CONFLICT (mall_id, day, event_type) DO UPDATE SET events = d.events + excluded.events`,
        [counts.map((c) => c.mallId), counts.map((c) => c.day), counts.map((c) => c.eventType), counts.map((c) => c.events)],
      );
      await client.query('COMMIT');
    }
  } finally {
    client.release();
  }
  return (performance.now() - t0) / 1_000;
}

/** A reference, not the baseline: the final rows in bulk (${CHUNK} rows per INSERT … SELECT unnest). */
async function bulkInserts(): Promise<number> {
  await baseTables();
  const members = membersOf(events);
  const claims = claimsOf(events);
  const counts = dailyAnalyticsChange(events);
  const t0 = performance.now();
  for (let i = 0; i < members.length; i += CHUNK) {
    const m = members.slice(i, i + CHUNK);
    await pool.query(
      `${memberSql} SELECT h, r, p, at, id, k, seq, mc, v, at, id, 1 FROM unnest($1::text[], $2::uuid[], $3::jsonb[], $4::timestamptz[], $5::uuid[], $6::text[], $7::bigint[], $8::boolean[], $9::text[]) AS x(h, r, p, at, id, k, seq, mc, v)`,
      [m.map((r) => r.emailHash), m.map((r) => r.memberRef), m.map((r) => JSON.stringify(r.sealedPii)), m.map((r) => r.enrolledAt), m.map((r) => r.eventId), m.map((r) => r.kioskId), m.map((r) => r.sequence), m.map((r) => r.marketingConsent), m.map((r) => r.consentTextVersion)],
    );
  }
  for (let i = 0; i < claims.length; i += CHUNK) {
    const c = claims.slice(i, i + CHUNK);
    await pool.query(
      `${claimSql} SELECT ci, o, 'accepted', off, cc, NULL, si, k, seq, id, at FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::text[], $5::uuid[], $6::text[], $7::bigint[], $8::uuid[], $9::timestamptz[]) AS x(ci, o, off, cc, si, k, seq, id, at)`,
      [c.map((e) => e.data.claimId), c.map((e) => e.data.offerId), c.map((e) => e.data.offline), c.map((e) => e.data.couponCode), c.map((e) => e.data.sessionId), c.map((e) => e.kioskid), c.map((e) => e.sequence), c.map((e) => e.id), c.map((e) => e.time)],
    );
  }
  await pool.query(`INSERT INTO ${t('daily_analytics')} (mall_id, day, event_type, events) SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[])`, [
    counts.map((c) => c.mallId),
    counts.map((c) => c.day),
    counts.map((c) => c.eventType),
    counts.map((c) => c.events),
  ]);
  return (performance.now() - t0) / 1_000;
}

/** The candidate: the three projections consuming a pre-filled topic, timed from the first apply to the last commit. */
async function projections(): Promise<number> {
  const admin = connections.kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
  const producer = connections.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < events.length; i += 1_000) await producer.send({ topic, acks: -1, messages: events.slice(i, i + 1_000).map((e) => toKafkaRecord(e)) });
  const end = await admin.fetchTopicOffsets(topic);
  let firstApply = 0;
  const consumers: EventConsumer[] = PROJECTIONS.map((projection) => {
    const applier = pgProjectionApplier(pool, schema, projection);
    return createEventConsumer({
      kafka: connections.kafka,
      groupId: `bench.projections.${suffix}.${projection.name}`,
      topic,
      applier: { ...applier, apply: (batch) => ((firstApply ||= performance.now()), applier.apply(batch)) },
      deadLetters: kafkaDeadLetterSink(producer, `${topic}.dlq`),
      log,
      metrics: createServiceMetrics(),
      retry: config.retry,
    });
  });
  try {
    await Promise.all(consumers.map((c) => c.start()));
    const deadline = Date.now() + TIME_LIMIT_MS;
    for (;;) {
      const done = await Promise.all(
        PROJECTIONS.map(async (p) => {
          const [committed] = await admin.fetchOffsets({ groupId: `bench.projections.${suffix}.${p.name}`, topics: [topic] });
          const at = new Map(committed!.partitions.map((x) => [x.partition, x.offset]));
          return end.every((x) => at.get(x.partition) === x.offset);
        }),
      );
      if (done.every(Boolean)) break;
      if (Date.now() > deadline) throw new Error('the projections did not finish within the time limit');
      await sleep(20);
    }
    return (performance.now() - firstApply) / 1_000;
  } finally {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

try {
  await pool.query(`CREATE SCHEMA ${schema}`);
  for (const table of TABLES) await pool.query(`CREATE TABLE ${schema}.${table} (LIKE atrium.${table} INCLUDING ALL)`);
  const baselineS = await plainInserts();
  const bulkS = await bulkInserts();
  const candidateS = await projections();
  const claimsOk = Number((await pool.query(`SELECT count(*) AS n FROM ${schema}.offer_claims`)).rows[0].n) === events.filter((e) => e.type === 'mall.offer.claimed').length;
  if (!claimsOk) throw new Error('the projected view does not hold every claim');
  const candidate = events.length / candidateS;
  const baseline = events.length / baselineS;
  const result = writeBenchResult({
    name: 'projections',
    candidate: { label: `3 PostgreSQL projections from Kafka (${PARTITIONS} partitions, ${KIOSKS} kiosks; per-kiosk watermark, offer row locks, commit after the transaction)`, value: Math.round(candidate), events: events.length, seconds: Number(candidateS.toFixed(2)) },
    baseline: {
      label: `plain INSERTs of the same rows, one transaction per ${CHUNK} events (a row per member and claim, one upsert of the batch's daily counts)`,
      value: Math.round(baseline),
      events: events.length,
      seconds: Number(baselineS.toFixed(2)),
      bulkUnnestEventsPerS: Math.round(events.length / bulkS),
    },
    unit: 'events/s',
    goal: 'ratio >= 0.5',
    goalMet: candidate / baseline >= 0.5,
    notes: `Both sides count every event of the mix (8 types: 1/8 claims, 1/8 enrolments, all counted in daily analytics). bulkUnnestEventsPerS is the same final rows in bulk (${CHUNK} per statement), a ceiling for reference. PII resealing is off; Mongo views are not included.`,
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema}_base CASCADE`).catch(() => undefined);
  await connections.close();
}
