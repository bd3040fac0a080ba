import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { HubAgentConfig } from '../config/hubAgentConfig';
import { upsertHub } from '../db/hubStore';
import { openPool } from '../db/pgPool';
import { generateWireguardKeyPair, isWireguardKey, wireguardPublicKeyOf } from '../enrolment/deviceKeys';
import { ensurePrivateFile } from '../wireguard/keyFiles';
import { configureInterfaceAddressing, ensureWireguardInterface, setInterfaceKey } from '../wireguard/wgInterface';
import { reconcileOnce, reconcilerMetrics, type ReconcileReport } from './hubReconciler';

/** A running hub agent. */
export interface HubAgent {
  publicKey: string;
  /** Runs a pass now (after any pass in flight) and returns its report. */
  reconcileNow(): Promise<ReconcileReport>;
  /** Stops reconciling; the interface and its peers stay up (kiosks keep their tunnels). */
  stop(): Promise<void>;
}

/** The LISTEN channels that mean "the desired peers may have changed". */
const CHANNELS = ['atrium_vpn_peers_changed', 'atrium_device_changed'];

/**
 * Starts the agent on the hub host: brings the WireGuard interface up with the hub's own key
 * (made here on first start; it never leaves the hub), registers the hub, then keeps the peers
 * converged — at once on a database notification, and every `reconcileIntervalMs` regardless.
 */
export async function startHubAgent(config: HubAgentConfig, log: Logger): Promise<HubAgent> {
  const key = ensurePrivateFile(config.privateKeyFile, () => `${generateWireguardKeyPair().privateKey}\n`);
  const privateKey = key.content.trim();
  if (!isWireguardKey(privateKey)) throw new Error(`${config.privateKeyFile} does not hold a WireGuard private key`);
  const publicKey = wireguardPublicKeyOf(privateKey);
  if (key.created) log.info({ file: config.privateKeyFile }, 'made the hub key');

  const scope = config.netns ? { netns: config.netns } : {};
  const implementation = await ensureWireguardInterface(scope, config.interfaceName, config.runDir);
  await setInterfaceKey(scope, config.interfaceName, config.privateKeyFile, config.listenPort);
  await configureInterfaceAddressing(scope, config.interfaceName, `${config.tunnelAddress}/${config.tunnelPrefix}`, []);
  log.info({ interface: config.interfaceName, implementation, listenPort: config.listenPort, tunnelAddress: config.tunnelAddress }, 'hub interface up');

  const pool = openPool(config.pgUrl, 3, (error) => log.warn({ err: error }, 'idle PostgreSQL client failed'));
  await upsertHub(pool, { hubId: config.hubId, publicKey, endpoint: config.endpoint, tunnelAddress: config.tunnelAddress, gatewayUrl: config.gatewayUrl });
  log.info({ hubId: config.hubId, endpoint: config.endpoint, publicKey }, 'hub registered');

  const registry = new Registry();
  const metrics = reconcilerMetrics(registry);
  const deps = { pool, hubId: config.hubId, interfaceName: config.interfaceName, scope, log, metrics, roaming: { history: new Map(), windowS: 600, threshold: 3 } };

  // One pass at a time; a request during a pass queues exactly one more pass.
  let running: Promise<ReconcileReport> | undefined;
  let queued: Promise<ReconcileReport> | undefined;
  const pass = async (): Promise<ReconcileReport> => {
    try {
      return await reconcileOnce(deps);
    } catch (error) {
      metrics.failures.inc();
      log.error({ err: error }, 'reconcile pass failed');
      throw error;
    }
  };
  const reconcileNow = (): Promise<ReconcileReport> => {
    if (!running) {
      running = pass().finally(() => (running = undefined));
      return running;
    }
    queued ??= running.catch(() => undefined).then(() => {
      queued = undefined;
      return reconcileNow();
    });
    return queued;
  };
  const poke = (): void => void reconcileNow().catch(() => undefined);

  let stopped = false;
  let listener: pg.Client | undefined;
  const retryListen = (): void => {
    if (!stopped) setTimeout(() => void listen().catch(retryListen), 2_000).unref();
  };
  const listen = async (): Promise<void> => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: config.pgUrl, application_name: 'atrium-hub-agent' });
    client.on('notification', poke);
    client.on('error', (error) => {
      // Before LISTEN succeeded, the failed connect() below schedules the retry.
      if (listener !== client) return;
      log.warn({ err: error }, 'database notifications lost; reconnecting (periodic passes continue)');
      listener = undefined;
      void client.end().catch(() => undefined);
      retryListen();
    });
    try {
      await client.connect();
      for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    listener = client;
    poke();
  };
  await listen();
  const timer = setInterval(poke, config.reconcileIntervalMs);
  await reconcileNow();

  let server: FastifyInstance | undefined;
  if (config.metricsPort > 0) {
    server = Fastify({ logger: false });
    server.get('/healthz', async () => ({ status: 'ok', hubId: config.hubId, interface: config.interfaceName }));
    server.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
    await server.listen({ host: config.metricsHost, port: config.metricsPort });
  }

  return {
    publicKey,
    reconcileNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
      await listener?.end().catch(() => undefined);
      await server?.close();
      await pool.end();
    },
  };
}
