import { URGENT_CHANNEL_PATH, demoMall, type UrgentMessage } from '@atrium/contracts';
import type { BridgeNotice } from '../bridge';
import { loadDevicePrivateKey, openKioskEdge, type BatchUploader, type ClockSource, type KioskEdge } from '../edge';
import { ContentCache } from '../edge/content';
import type { KioskUpdater } from '../edge/updater';
import { startBridgeServer } from './bridgeServer';
import { ChromiumLauncher } from './chromiumLauncher';
import { FloorPlans } from './floorPlans';
import { createKioskService } from './kioskService';
import { startKioskUpdates } from './kioskUpdates';
import { x25519PublicKey } from './piiSealer';
import type { ShellConfig } from './shellConfig';
import { ShopperActivity } from './shopperActivity';
import { UrgentRelay } from './urgentRelay';

/** A running browser shell: the edge core it hosts, the bridge it serves, the browser it keeps up. */
export interface KioskShell {
  url: string;
  secret: string;
  pageUrl: string;
  edge: KioskEdge;
  content: ContentCache;
  browser: ChromiumLauncher | null;
  /** The self-updater, when `updates.enabled`. */
  updater: KioskUpdater | null;
  /** Relays an urgent message to the page as the gateway's channel would. */
  relayUrgent(message: UrgentMessage): void;
  close(): Promise<void>;
}

/** Optional seams for tests and benches (a clock, an uploader, a wall clock for content rules) and the host's restart. */
export interface ShellSeams {
  clockSource?: ClockSource;
  uploader?: BatchUploader;
  now?: () => Date;
  log?: (entry: Record<string, unknown>) => void;
  /** Restarts the kiosk after the updater swapped its AppImage (shell/main.ts exits with RELAUNCH_EXIT_CODE). */
  relaunch?: () => void;
}

// A session quiet this long was abandoned (the page's own idle timeout ends sessions within minutes).
const STALE_SESSION_MS = 10 * 60_000;

const STATUS_POLL_MS = 500;

function seedDemo(content: ContentCache, now: Date): void {
  if (content.currentCursor() !== null) return;
  // Offers of the demo mall start a day ago, so they are current whenever the bench runs.
  const upserts = demoMall({ offersFrom: new Date(now.getTime() - 86_400_000).toISOString() });
  content.applyContentPage({ cursor: '', nextCursor: 'demo-1', hasMore: false, upserts, deletes: [], serverTime: now.toISOString() });
}

/** Opens the edge core, serves the renderer and the bridge, and starts sync, urgent relay and browser. */
export async function startKioskShell(config: ShellConfig, seams: ShellSeams = {}): Promise<KioskShell> {
  const log = seams.log ?? ((entry) => console.log(JSON.stringify({ time: new Date().toISOString(), ...entry })));
  const now = seams.now ?? (() => new Date());
  const edge = openKioskEdge(config.edge, { ...(seams.clockSource ? { clockSource: seams.clockSource } : {}), ...(seams.uploader ? { uploader: seams.uploader } : {}) });
  const content = new ContentCache(edge.store, { kioskId: config.edge.outbox.kioskId });
  if (config.seedDemoContent) seedDemo(content, now());
  const floorPlans = new FloorPlans(edge.store, () => String(content.feedPosition().contentVersion));
  const activity = new ShopperActivity({ staleSessionMs: STALE_SESSION_MS, quietMs: config.updates.idleBeforeInstallMs });
  const calls = createKioskService({ config, edge, content, floorPlans, loyaltyKey: x25519PublicKey(config.loyalty.publicKey), now }, (method, input, result, at) =>
    activity.served(method, input, result, at),
  );
  const syncNotice = (): BridgeNotice => {
    const status = edge.sync.status();
    return { kind: 'sync', online: status.link !== 'offline', queued: status.queue.total };
  };
  // An emergency outlives page reloads: a page that (re)connects during one is shown it at once.
  let emergency: Extract<UrgentMessage, { kind: 'emergency' }> | null = null;
  const server = await startBridgeServer({
    host: config.http.host,
    port: config.http.port,
    rendererDir: config.rendererDir,
    calls,
    log,
    currentState: () => [syncNotice(), ...(emergency ? [{ kind: 'urgent' as const, message: emergency }] : [])],
  });

  const stopSync = new AbortController();
  const syncLoop = config.syncLoop ? edge.sync.run(stopSync.signal).catch((err: unknown) => log({ level: 'error', msg: 'sync loop stopped', err: String(err) })) : Promise.resolve();
  // Demo content carries a local cursor the gateway never issued, so such a kiosk does not pull.
  const contentLoop = config.syncLoop && !config.seedDemoContent ? edge.contentSync.run(stopSync.signal).catch((err: unknown) => log({ level: 'error', msg: 'content pull loop stopped', err: String(err) })) : Promise.resolve();

  // The page shows "offline" only once the link is known to be down, not before the first contact.
  let last = syncNotice();
  let contentVersion = content.feedPosition().contentVersion;
  const statusTimer = setInterval(() => {
    const now = syncNotice();
    if (now.kind === 'sync' && last.kind === 'sync' && (now.online !== last.online || now.queued !== last.queued)) server.notify(now);
    last = now;
    // New content (a pulled feed page): the page refreshes what it read at start.
    const version = content.feedPosition().contentVersion;
    if (version !== contentVersion) {
      contentVersion = version;
      server.notify({ kind: 'content-changed' });
    }
  }, STATUS_POLL_MS);

  const relayUrgent = (message: UrgentMessage) => {
    if (message.kind === 'sync-now') {
      edge.sync.requestSync();
      edge.contentSync.requestPull();
    }
    if (message.kind === 'emergency') emergency = message;
    if (message.kind === 'emergency-cleared' && emergency?.id === message.id) emergency = null;
    server.notify({ kind: 'urgent', message });
  };
  const urgent = config.urgent.enabled
    ? new UrgentRelay({
        url: config.urgent.url ?? `${config.edge.gateway.url}${URGENT_CHANNEL_PATH}`,
        deviceId: config.edge.gateway.deviceId,
        privateKey: loadDevicePrivateKey(config.edge.gateway.deviceKeyPath),
        nowMs: () => edge.clock.nowMs(),
        onMessage: relayUrgent,
        log,
      })
    : null;
  urgent?.start();

  const browser = config.browser.launch
    ? new ChromiumLauncher({
        executablePath: config.browser.executablePath,
        url: server.pageUrl,
        headless: config.browser.headless,
        log,
        ...(config.browser.userDataDir ? { userDataDir: config.browser.userDataDir } : {}),
        ...(config.browser.remoteDebuggingPort !== undefined ? { remoteDebuggingPort: config.browser.remoteDebuggingPort } : {}),
      })
    : null;
  browser?.start();

  const relaunch = seams.relaunch ?? (() => log({ level: 'warn', msg: 'updater: a new version is in place; restart the kiosk to run it' }));
  const updater = config.updates.enabled ? await startKioskUpdates({ config, edge, activity, relaunch, log, now: () => now().getTime() }) : null;

  return {
    url: server.url,
    secret: server.secret,
    pageUrl: server.pageUrl,
    edge,
    content,
    browser,
    updater,
    relayUrgent,
    async close() {
      await updater?.stop();
      await browser?.stop();
      urgent?.stop();
      clearInterval(statusTimer);
      stopSync.abort();
      await syncLoop;
      await contentLoop;
      await server.close();
      edge.close();
    },
  };
}
