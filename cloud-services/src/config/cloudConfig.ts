import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { topics } from '@atrium/contracts';

const Positive = (def: number, max: number, description: string) => Type.Integer({ minimum: 1, maximum: max, default: def, description });

/** Cassandra consistency levels the writer may be told to use. */
export const ConsistencyName = Type.Union(
  ['ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', 'LOCAL_QUORUM', 'EACH_QUORUM', 'LOCAL_ONE'].map((c) => Type.Literal(c)),
);
export type ConsistencyName = Static<typeof ConsistencyName>;

/** Names of the views the projections keep. */
export const ProjectionName = Type.Union([
  Type.Literal('fleet-status'),
  Type.Literal('store-popularity'),
  Type.Literal('offer-performance'),
  Type.Literal('loyalty-members'),
  Type.Literal('offer-claims'),
  Type.Literal('daily-analytics'),
]);
export type ProjectionName = Static<typeof ProjectionName>;
export const ALL_PROJECTIONS: readonly ProjectionName[] = ['fleet-status', 'store-popularity', 'offer-performance', 'loyalty-members', 'offer-claims', 'daily-analytics'];

/** The consumer stage that applies `kiosk.update.*` reports to OTA rollouts (and halts failing ones). */
export const OTA_UPDATE_REPORTS_STAGE = 'ota-update-reports';

/**
 * Stages that run beside the views (selected with `--projections`, absent with `--projections none`):
 * every projection and the OTA report stage, so a writer/projections split keeps them together.
 */
export const ProjectionStageName = Type.Union([...ProjectionName.anyOf, Type.Literal(OTA_UPDATE_REPORTS_STAGE)]);
export type ProjectionStageName = Static<typeof ProjectionStageName>;
export const ALL_PROJECTION_STAGES: readonly ProjectionStageName[] = [...ALL_PROJECTIONS, OTA_UPDATE_REPORTS_STAGE];

/** Every setting of the cloud services, validated once at start and passed down. */
export const CloudConfig = Type.Object({
  kafkaBrokers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['127.0.0.1:9092'] }),
  kafkaClientId: Type.String({ minLength: 1, default: 'atrium-cloud-services' }),
  /** Prefix of consumer group ids; tests use their own so runs never share offsets. */
  groupPrefix: Type.String({ minLength: 1, default: 'atrium' }),
  cassandra: Type.Object({
    contactPoints: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['127.0.0.1:9042'] }),
    dataCenter: Type.String({ minLength: 1, default: 'datacenter1' }),
    keyspace: Type.String({ pattern: '^[a-z_][a-z0-9_]*$', default: 'atrium' }),
    consistency: Type.Union(ConsistencyName.anyOf, { default: 'LOCAL_QUORUM' }),
    requestTimeoutMs: Positive(12_000, 120_000, 'driver read timeout per request'),
  }),
  /** Schema of the PostgreSQL views (migrations create `atrium`; tests use copies). */
  postgresSchema: Type.String({ pattern: '^[a-z_][a-z0-9_]*$', default: 'atrium' }),
  topics: Type.Object({
    kioskEvents: Type.String({ minLength: 1, default: topics.kioskEvents }),
    processingDeadLetter: Type.String({ minLength: 1, default: topics.processingDeadLetter }),
  }),
  postgresUrl: Type.String({ minLength: 1, default: 'postgres://atrium:atrium@127.0.0.1:5433/atrium' }),
  mongoUrl: Type.String({ minLength: 1, default: 'mongodb://127.0.0.1:27017/atrium' }),
  httpHost: Type.String({ minLength: 1, default: '127.0.0.1' }),
  httpPort: Type.Integer({ minimum: 0, maximum: 65_535, default: 8460 }),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  writer: Type.Object({
    enabled: Type.Boolean({ default: true }),
    /** Cassandra requests in flight per partition batch. */
    concurrency: Positive(64, 2_048, 'concurrent inserts per batch'),
    partitionsConsumedConcurrently: Positive(4, 64, 'partitions processed side by side'),
  }),
  projections: Type.Array(ProjectionStageName, { default: [...ALL_PROJECTION_STAGES] }),
  offlineAfterS: Positive(180, 86_400, 'a kiosk with no heartbeat for this long shows offline'),
  ota: Type.Object({
    /**
     * The object-store folder of release artefacts (relative to the working directory); the sync
     * gateway serves the update feed's downloads from the same folder (ATRIUM_GATEWAY_OTA_ARTEFACT_DIR).
     */
    artefactDir: Type.String({ minLength: 1, default: '.state/ota-artefacts' }),
    scheduler: Type.Boolean({ default: true, description: 'run the rollout scheduler in this process' }),
    schedulerIntervalMs: Positive(15_000, 3_600_000, 'pause between two passes of the rollout scheduler'),
  }),
  retry: Type.Object({
    initialMs: Positive(200, 60_000, 'first pause after a transient failure'),
    maxMs: Positive(5_000, 300_000, 'longest pause between retries'),
  }),
});
/** The validated configuration. */
export type CloudConfig = Static<typeof CloudConfig>;

const ENV = {
  kafkaBrokers: 'ATRIUM_KAFKA_BROKERS',
  groupPrefix: 'ATRIUM_CLOUD_GROUP_PREFIX',
  'cassandra.contactPoints': 'ATRIUM_CASSANDRA_CONTACT_POINTS',
  'cassandra.dataCenter': 'ATRIUM_CASSANDRA_DC',
  'cassandra.keyspace': 'ATRIUM_CASSANDRA_KEYSPACE',
  'cassandra.consistency': 'ATRIUM_CASSANDRA_CONSISTENCY',
  postgresUrl: 'ATRIUM_PG_URL',
  postgresSchema: 'ATRIUM_CLOUD_PG_SCHEMA',
  'topics.kioskEvents': 'ATRIUM_CLOUD_TOPIC_EVENTS',
  'topics.processingDeadLetter': 'ATRIUM_CLOUD_TOPIC_DLQ',
  mongoUrl: 'ATRIUM_MONGO_URL',
  httpHost: 'ATRIUM_CLOUD_HOST',
  httpPort: 'ATRIUM_CLOUD_PORT',
  logLevel: 'ATRIUM_CLOUD_LOG_LEVEL',
  'writer.enabled': 'ATRIUM_CLOUD_WRITER',
  'writer.concurrency': 'ATRIUM_CLOUD_WRITER_CONCURRENCY',
  projections: 'ATRIUM_CLOUD_PROJECTIONS',
  offlineAfterS: 'ATRIUM_CLOUD_OFFLINE_AFTER_S',
  'ota.artefactDir': 'ATRIUM_OTA_ARTEFACT_DIR',
  'ota.scheduler': 'ATRIUM_OTA_SCHEDULER',
  'ota.schedulerIntervalMs': 'ATRIUM_OTA_SCHEDULER_INTERVAL_MS',
} as const;

/** The env vars the services read, for `--help`. */
export const configEnvNames: readonly string[] = Object.values(ENV);

/** A configuration that does not validate; the message names every offending setting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LISTS = new Set(['kafkaBrokers', 'cassandra.contactPoints', 'projections']);

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const raw: Record<string, Record<string, unknown> | unknown> = { cassandra: {}, writer: {}, retry: {}, topics: {}, ota: {} };
  for (const [path, name] of Object.entries(ENV)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parsed = LISTS.has(path) ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
    const [head, tail] = path.split('.') as [string, string | undefined];
    if (tail) (raw[head] as Record<string, unknown>)[tail] = parsed;
    else raw[head] = parsed;
  }
  return raw;
}

/** Builds the configuration from env vars (and overrides), applying defaults; throws ConfigError. */
export function loadCloudConfig(env: NodeJS.ProcessEnv, overrides: Partial<CloudConfig> = {}): CloudConfig {
  const raw = { ...fromEnv(env), ...overrides };
  const value = Value.Convert(CloudConfig, Value.Default(CloudConfig, raw));
  if (!Value.Check(CloudConfig, value)) {
    const problems = [...Value.Errors(CloudConfig, value)].map((e) => `${e.path || '/'}: ${e.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return value;
}

/** The Mongo database named in the URL's path (default `atrium`). */
export function mongoDatabaseName(url: string): string {
  const path = new URL(url).pathname.replace(/^\//, '');
  return path === '' ? 'atrium' : decodeURIComponent(path);
}
