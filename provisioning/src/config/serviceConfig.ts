import { Type, type Static } from '@sinclair/typebox';
import { loadConfig } from './loadConfig';

/** The provisioning service's configuration, validated once at start and passed down. */
export const ServiceConfig = Type.Object({
  pgUrl: Type.String({ minLength: 1 }),
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8470 }),
  /** Bearer token of the ops admin routes; at least 32 characters. */
  adminToken: Type.String({ minLength: 32 }),
  logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')], { default: 'info' }),
  /** Longest lifetime ops may give an enrolment token. */
  maxTokenTtlS: Type.Integer({ minimum: 60, default: 7 * 24 * 3600 }),
  /** Keepalive the kiosks are told to use: keeps NAT mappings open and detects a cut link. */
  persistentKeepaliveS: Type.Integer({ minimum: 0, maximum: 3600, default: 25 }),
  /** Trust X-Forwarded-* (when behind a TLS-terminating proxy). */
  trustProxy: Type.Boolean({ default: false }),
});

/** Validated service configuration. */
export type ServiceConfig = Static<typeof ServiceConfig>;

/** Environment variable of each setting. */
export const SERVICE_ENV = {
  pgUrl: 'ATRIUM_PG_URL',
  host: 'PROVISIONING_HOST',
  port: 'PROVISIONING_PORT',
  adminToken: 'PROVISIONING_ADMIN_TOKEN',
  logLevel: 'PROVISIONING_LOG_LEVEL',
  maxTokenTtlS: 'PROVISIONING_MAX_TOKEN_TTL_S',
  persistentKeepaliveS: 'PROVISIONING_KEEPALIVE_S',
  trustProxy: 'PROVISIONING_TRUST_PROXY',
} as const satisfies Record<keyof ServiceConfig, string>;

/** Reads and validates the service configuration from the environment. */
export function loadServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  return loadConfig(ServiceConfig, SERVICE_ENV, env);
}
