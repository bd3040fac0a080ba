import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Port = (def: number) => Type.Integer({ minimum: 0, maximum: 65_535, default: def });
const Positive = (def: number, max: number, description: string) => Type.Integer({ minimum: 1, maximum: max, default: def, description });

/** The producer adapter behind the ingest route. */
export const ProducerAdapter = Type.Union([Type.Literal('kafkajs'), Type.Literal('rdkafka')]);
export type ProducerAdapter = Static<typeof ProducerAdapter>;

/** Every setting of the gateway, validated once at start and passed down (`fastify.config`). */
export const GatewayConfig = Type.Object({
  kioskHost: Type.String({ minLength: 1, default: '127.0.0.1', description: 'address the kiosk listener binds (the WireGuard address in production)' }),
  kioskPort: Port(8443),
  adminHost: Type.String({ minLength: 1, default: '127.0.0.1' }),
  adminPort: Port(8444),
  kafkaBrokers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, default: ['127.0.0.1:9092'] }),
  producer: Type.Union([Type.Literal('kafkajs'), Type.Literal('rdkafka')], { default: 'rdkafka' }),
  pgUrl: Type.String({ minLength: 1, default: 'postgres://atrium:atrium@127.0.0.1:5433/atrium' }),
  otaArtefactDir: Type.String({ minLength: 1, default: '.state/ota-artefacts', description: 'folder the OTA release artefacts are served from' }),
  logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('silent')], { default: 'info' }),
  limits: Type.Object({
    maxBodyBytes: Positive(1_048_576, 64 * 1_048_576, 'bytes as sent (compressed)'),
    maxDecompressedBytes: Positive(8 * 1_048_576, 256 * 1_048_576, 'bytes after gunzip'),
    maxEventsPerBatch: Positive(500, 10_000, 'events in one upload'),
    requestsPerDevicePerMinute: Positive(600, 1_000_000, 'rate limit per device id'),
    produceTimeoutMs: Positive(5_000, 120_000, 'a batch Kafka has not acknowledged by then gets 503'),
    inFlightBytes: Positive(64 * 1_048_576, 2_048 * 1_048_576, 'bytes of records awaiting Kafka acknowledgement'),
    retryAfterS: Positive(5, 3_600, 'Retry-After on 503'),
    contentPageMax: Positive(1_000, 10_000, 'most items in a content page'),
    contentPageDefault: Positive(500, 10_000, 'items in a content page when the kiosk names none'),
    registryCacheMs: Positive(5_000, 600_000, 'how long a registry lookup is cached (NOTIFY evicts sooner)'),
    replayCacheEntries: Positive(200_000, 10_000_000, 'signatures remembered for replay detection'),
    urgentHeartbeatMs: Positive(15_000, 600_000, 'SSE keep-alive comment interval'),
    shutdownGraceMs: Positive(10_000, 600_000, 'time in-flight batches get to finish on shutdown'),
  }),
});
/** The validated gateway configuration. */
export type GatewayConfig = Static<typeof GatewayConfig>;

/** Which env var sets which setting. */
const ENV: Record<string, string> = {
  kioskHost: 'ATRIUM_GATEWAY_KIOSK_HOST',
  kioskPort: 'ATRIUM_GATEWAY_KIOSK_PORT',
  adminHost: 'ATRIUM_GATEWAY_ADMIN_HOST',
  adminPort: 'ATRIUM_GATEWAY_ADMIN_PORT',
  kafkaBrokers: 'ATRIUM_KAFKA_BROKERS',
  producer: 'ATRIUM_GATEWAY_PRODUCER',
  pgUrl: 'ATRIUM_PG_URL',
  logLevel: 'ATRIUM_GATEWAY_LOG_LEVEL',
  otaArtefactDir: 'ATRIUM_GATEWAY_OTA_ARTEFACT_DIR',
};

const LIMIT_ENV: Record<keyof GatewayConfig['limits'], string> = {
  maxBodyBytes: 'ATRIUM_GATEWAY_MAX_BODY_BYTES',
  maxDecompressedBytes: 'ATRIUM_GATEWAY_MAX_DECOMPRESSED_BYTES',
  maxEventsPerBatch: 'ATRIUM_GATEWAY_MAX_EVENTS_PER_BATCH',
  requestsPerDevicePerMinute: 'ATRIUM_GATEWAY_REQUESTS_PER_DEVICE_PER_MINUTE',
  produceTimeoutMs: 'ATRIUM_GATEWAY_PRODUCE_TIMEOUT_MS',
  inFlightBytes: 'ATRIUM_GATEWAY_IN_FLIGHT_BYTES',
  retryAfterS: 'ATRIUM_GATEWAY_RETRY_AFTER_S',
  contentPageMax: 'ATRIUM_GATEWAY_CONTENT_PAGE_MAX',
  contentPageDefault: 'ATRIUM_GATEWAY_CONTENT_PAGE_DEFAULT',
  registryCacheMs: 'ATRIUM_GATEWAY_REGISTRY_CACHE_MS',
  replayCacheEntries: 'ATRIUM_GATEWAY_REPLAY_CACHE_ENTRIES',
  urgentHeartbeatMs: 'ATRIUM_GATEWAY_URGENT_HEARTBEAT_MS',
  shutdownGraceMs: 'ATRIUM_GATEWAY_SHUTDOWN_GRACE_MS',
};

/** The env vars the gateway reads, for `--help`. */
export const configEnvNames: readonly string[] = [...Object.values(ENV), ...Object.values(LIMIT_ENV)];

/** A configuration that does not validate; the message names every offending setting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    raw[key] = key === 'kafkaBrokers' ? value.split(',').map((b) => b.trim()).filter(Boolean) : value;
  }
  const limits: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(LIMIT_ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') limits[key] = value;
  }
  raw['limits'] = limits;
  return raw;
}

/**
 * Builds the configuration from env vars and explicit overrides (tests, benchmarks), applying
 * defaults and converting strings, then checks it against the schema once.
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv, overrides: Partial<Omit<GatewayConfig, 'limits'>> & { limits?: Partial<GatewayConfig['limits']> } = {}): GatewayConfig {
  const raw = fromEnv(env);
  const merged = { ...raw, ...overrides, limits: { ...(raw['limits'] as object), ...overrides.limits } };
  const value = Value.Default(GatewayConfig, Value.Convert(GatewayConfig, merged));
  const errors = [...Value.Errors(GatewayConfig, value)];
  if (errors.length > 0) {
    throw new ConfigError(`Invalid gateway configuration: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
  }
  const config = value as GatewayConfig;
  if (config.limits.contentPageDefault > config.limits.contentPageMax) {
    throw new ConfigError('Invalid gateway configuration: contentPageDefault exceeds contentPageMax');
  }
  return config;
}
