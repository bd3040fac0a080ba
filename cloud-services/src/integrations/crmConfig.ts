import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../config/cloudConfig';

const Ms = (def: number, max: number, description: string) => Type.Integer({ minimum: 1, maximum: max, default: def, description });

/** How the CRM forwarder talks to the CRM. */
export const CrmConfig = Type.Object({
  /** Base URL of the CRM's API; enrolments go to `POST <url>/members`. */
  url: Type.String({ pattern: '^https?://', minLength: 8 }),
  timeoutMs: Ms(5_000, 60_000, 'one request, from connect to the last response byte'),
  /** Retries after the first attempt (so `retries + 1` attempts in all). */
  retries: Type.Integer({ minimum: 0, maximum: 10, default: 3 }),
  backoffInitialMs: Ms(200, 60_000, 'first pause between attempts'),
  backoffMaxMs: Ms(3_000, 300_000, 'longest pause between attempts'),
  /** Consecutive "CRM unreachable" failures that open the circuit. */
  breakerAfter: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  breakerHalfOpenMs: Ms(10_000, 600_000, 'how long an open circuit waits before one trial request'),
  erasurePollMs: Ms(10_000, 3_600_000, 'how often erasures waiting for the CRM are looked for'),
});
/** The validated CRM configuration. */
export type CrmConfig = Static<typeof CrmConfig>;

const ENV: Record<keyof CrmConfig, string> = {
  url: 'ATRIUM_CRM_URL',
  timeoutMs: 'ATRIUM_CRM_TIMEOUT_MS',
  retries: 'ATRIUM_CRM_RETRIES',
  backoffInitialMs: 'ATRIUM_CRM_BACKOFF_INITIAL_MS',
  backoffMaxMs: 'ATRIUM_CRM_BACKOFF_MAX_MS',
  breakerAfter: 'ATRIUM_CRM_BREAKER_AFTER',
  breakerHalfOpenMs: 'ATRIUM_CRM_BREAKER_HALF_OPEN_MS',
  erasurePollMs: 'ATRIUM_CRM_ERASURE_POLL_MS',
};

/** Env vars of the CRM settings, for `--help`. */
export const crmEnvNames: readonly string[] = Object.values(ENV);

/** The CRM settings from the environment, with defaults; throws ConfigError naming every bad one. */
export function loadCrmConfig(env: NodeJS.ProcessEnv): CrmConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV)) if (env[name]) raw[key] = env[name];
  const value = Value.Convert(CrmConfig, Value.Default(CrmConfig, raw));
  if (!Value.Check(CrmConfig, value)) {
    throw new ConfigError(`invalid CRM configuration: ${[...Value.Errors(CrmConfig, value)].map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  return value;
}
