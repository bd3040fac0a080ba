import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { KioskClock, systemClockSource, type ClockSource } from './clock/kioskClock';
import { ContentCache } from './content';
import { Outbox } from './outbox/outbox';
import { OutboxConfig } from './outbox/outboxConfig';
import { openKioskStore } from './store/openKioskStore';
import type { KioskStore } from './store/kioskStore';
import { StoreConfig } from './store/storeConfig';
import { ContentFeedClient, ContentFeedClientConfig } from './sync/contentFeedClient';
import { DeviceKeyFile } from './sync/deviceKey';
import { HttpBatchUploader, type BatchUploader } from './sync/httpBatchUploader';
import { SyncClient, SyncClientConfig } from './sync/syncClient';

/** The kiosk edge's configuration: store, outbox, and how to reach and sign for the gateway. */
export const KioskEdgeConfig = Type.Object({
  store: StoreConfig,
  outbox: OutboxConfig,
  sync: SyncClientConfig,
  contentSync: ContentFeedClientConfig,
  gateway: Type.Object({
    url: Type.String({ format: 'uri', description: "the gateway's base URL (reached over the VPN)" }),
    deviceId: Type.String({ minLength: 1, maxLength: 128 }),
    /** PEM file (PKCS#8, Ed25519, mode 0600) written by provisioning. */
    deviceKeyPath: Type.String({ minLength: 1 }),
    requestTimeoutMs: Type.Integer({ minimum: 1, default: 30_000 }),
  }),
});

/** Validated edge configuration. */
export type KioskEdgeConfig = Static<typeof KioskEdgeConfig>;

/** Checks an edge configuration once, filling in defaults; throws naming the first bad field. */
export function parseKioskEdgeConfig(input: unknown): KioskEdgeConfig {
  const config = Value.Default(KioskEdgeConfig, structuredClone(input));
  if (!Value.Check(KioskEdgeConfig, config)) {
    const first = [...Value.Errors(KioskEdgeConfig, config)][0];
    throw new Error(`Invalid kiosk edge config at ${first?.path}: ${first?.message}`);
  }
  return config;
}

/** The kiosk's local store, outbox and sync client, opened together. */
export interface KioskEdge {
  store: KioskStore;
  clock: KioskClock;
  outbox: Outbox;
  sync: SyncClient;
  /** Pulls the gateway's content delta feed into the content cache (start it with `run`). */
  contentSync: ContentFeedClient;
  /** Closes the store (stop the sync loop first). */
  close(): void;
}

/** Opens the store (recovering it if damaged), the outbox, the upload client and the content pull client. */
export function openKioskEdge(config: KioskEdgeConfig, deps: { clockSource?: ClockSource; uploader?: BatchUploader; random?: () => number } = {}): KioskEdge {
  const store = openKioskStore(config.store);
  try {
    const clock = new KioskClock(store, deps.clockSource ?? systemClockSource());
    const outbox = Outbox.open(store, config.outbox, clock);
    const keyFile = new DeviceKeyFile(config.gateway.deviceKeyPath);
    keyFile.current(); // refuse to start with a missing, unreadable or exposed key
    const uploader =
      deps.uploader ??
      new HttpBatchUploader({
        gatewayUrl: config.gateway.url,
        deviceId: config.gateway.deviceId,
        privateKey: () => keyFile.current(),
        requestTimeoutMs: config.gateway.requestTimeoutMs,
      });
    const sync = new SyncClient({ outbox, uploader, config: config.sync, ...(deps.random ? { random: deps.random } : {}) });
    const contentSync = new ContentFeedClient({
      content: new ContentCache(store, { kioskId: config.outbox.kioskId }),
      gatewayUrl: config.gateway.url,
      deviceId: config.gateway.deviceId,
      privateKey: () => keyFile.current(),
      clock,
      requestTimeoutMs: config.gateway.requestTimeoutMs,
      config: config.contentSync,
      ...(deps.random ? { random: deps.random } : {}),
    });
    return { store, clock, outbox, sync, contentSync, close: () => store.close() };
  } catch (err) {
    store.close();
    throw err;
  }
}
