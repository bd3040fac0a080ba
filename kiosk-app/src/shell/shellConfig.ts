import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MaintenanceWindow } from '@atrium/contracts';
import { KioskEdgeConfig } from '../edge';

/** The browser shell's configuration: the edge it hosts, and how it serves and shows the UI. */
export const ShellConfig = Type.Object({
  edge: KioskEdgeConfig,
  http: Type.Object({
    host: Type.Literal('127.0.0.1', { default: '127.0.0.1', description: 'the bridge listens on loopback only' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  }),
  /** The built renderer (vite build output). */
  rendererDir: Type.String({ minLength: 1 }),
  kiosk: Type.Object({
    version: Type.String({ default: '0.1.0' }),
    /** Overrides the content's idle timeout (seconds), e.g. for a test bench. */
    idleTimeoutS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    /** Where a phone continues a route; the QR code links here with the store and mode. */
    phoneBaseUrl: Type.String({ default: 'https://atrium.example/route' }),
    mallNameFallback: Type.String({ default: 'Atrium' }),
  }),
  loyalty: Type.Object({
    /** The cloud's X25519 public key, base64 of its 32 raw bytes. */
    publicKey: Type.String({ minLength: 40, maxLength: 64 }),
    keyId: Type.String({ minLength: 1, maxLength: 64 }),
    consentTextVersion: Type.String({ maxLength: 32, default: '2026-01' }),
  }),
  technician: Type.Object({
    /** SHA-256 (hex) of the technician PIN; the PIN itself is never stored on the kiosk. */
    pinSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    maxAttempts: Type.Integer({ minimum: 1, default: 5 }),
    lockoutMs: Type.Integer({ minimum: 0, default: 60_000 }),
    tokenTtlMs: Type.Integer({ minimum: 1000, default: 10 * 60_000 }),
    vpnInterface: Type.String({ default: 'atrium0' }),
  }),
  urgent: Type.Object({
    enabled: Type.Boolean({ default: true }),
    /** Defaults to the gateway's urgent channel. */
    url: Type.Optional(Type.String({ format: 'uri' })),
  }),
  browser: Type.Object({
    launch: Type.Boolean({ default: false }),
    executablePath: Type.String({ default: '/usr/bin/chromium' }),
    userDataDir: Type.Optional(Type.String()),
    remoteDebuggingPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    headless: Type.Boolean({ default: false }),
  }),
  /**
   * Self-update of a packaged kiosk (Electron main turns it on with `--self-update $APPIMAGE`):
   * the updater polls the gateway's feed and installs per its policy (kioskUpdates.ts).
   */
  updates: Type.Object({
    enabled: Type.Boolean({ default: false }),
    /** The AppImage the kiosk runs, replaced on update; required when enabled. */
    appImagePath: Type.Optional(Type.String({ minLength: 1 })),
    /** Defaults to the gateway's feed, `<gateway url>/v1/updates`. */
    feedUrl: Type.Optional(Type.String({ format: 'uri' })),
    checkIntervalMs: Type.Optional(Type.Integer({ minimum: 1 })),
    tickIntervalMs: Type.Optional(Type.Integer({ minimum: 1 })),
    healthCheckIntervalMs: Type.Optional(Type.Integer({ minimum: 1 })),
    healthDeadlineMs: Type.Optional(Type.Integer({ minimum: 1 })),
    retryDelayMs: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The page must have made no call but kioskInfo for this long before an install (a technician's overlay polls). */
    idleBeforeInstallMs: Type.Integer({ minimum: 0, default: 60_000 }),
    /** Used when the feed names no window for the kiosk's mall; without one a kiosk never installs. */
    fallbackWindow: Type.Optional(MaintenanceWindow),
  }, { default: {} }),
  /** Load the demo mall into an empty content cache (for a dev box or a test bench). */
  seedDemoContent: Type.Boolean({ default: false }),
  syncLoop: Type.Boolean({ default: true, description: 'run the upload loop' }),
});

/** Validated shell configuration. */
export type ShellConfig = Static<typeof ShellConfig>;

/** Checks a shell configuration once, filling in defaults; throws naming the first bad field. */
export function parseShellConfig(input: unknown): ShellConfig {
  const config = Value.Default(ShellConfig, structuredClone(input));
  if (!Value.Check(ShellConfig, config)) {
    const first = [...Value.Errors(ShellConfig, config)][0];
    throw new Error(`Invalid shell config at ${first?.path}: ${first?.message}`);
  }
  return config;
}
