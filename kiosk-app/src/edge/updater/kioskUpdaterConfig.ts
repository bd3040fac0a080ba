import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MaintenanceWindow } from '@atrium/contracts';
import type { UpdaterPolicy } from '../../core/updater/updaterState';

const Ms = (def: number, description: string) => Type.Integer({ minimum: 1, maximum: 7 * 86_400_000, default: def, description });

/** Settings of the kiosk updater, validated once at start. */
export const KioskUpdaterConfig = Type.Object({
  feedUrl: Type.String({ format: 'uri', description: "the gateway's update feed, e.g. https://gateway/v1/updates" }),
  dataDir: Type.String({ minLength: 1, description: 'where downloads are staged and the updater state is kept' }),
  checkIntervalMs: Ms(15 * 60_000, 'how often the feed is asked'),
  tickIntervalMs: Ms(30_000, 'how often the updater looks whether it may install'),
  healthCheckIntervalMs: Ms(10_000, 'how often health is checked after an update'),
  healthDeadlineMs: Ms(10 * 60_000, 'the new version must be healthy within this long'),
  retryDelayMs: Ms(5 * 60_000, 'pause after a failed or interrupted download'),
  maxAttemptsPerVersion: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
  fallbackWindow: Type.Union([MaintenanceWindow, Type.Null()], { default: null, description: 'used when the feed names no window' }),
});
/** Settings of the kiosk updater. */
export type KioskUpdaterConfig = Static<typeof KioskUpdaterConfig>;

/** Applies defaults and validates; the error names the first bad setting. */
export function parseKioskUpdaterConfig(input: unknown): KioskUpdaterConfig {
  const config = Value.Default(KioskUpdaterConfig, structuredClone(input));
  if (!Value.Check(KioskUpdaterConfig, config)) {
    const first = [...Value.Errors(KioskUpdaterConfig, config)][0];
    throw new Error(`invalid updater configuration${first ? ` at ${first.path}: ${first.message}` : ''}`);
  }
  return config;
}

/** The policy part of the configuration. */
export function updaterPolicyOf(config: KioskUpdaterConfig): UpdaterPolicy {
  return { healthDeadlineMs: config.healthDeadlineMs, maxAttemptsPerVersion: config.maxAttemptsPerVersion, retryDelayMs: config.retryDelayMs, fallbackWindow: config.fallbackWindow };
}
