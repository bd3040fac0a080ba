import { Type, type Static } from '@sinclair/typebox';
import { loadConfig } from './loadConfig';

/** The hub agent's configuration (it runs on the WireGuard hub host), validated once at start. */
export const HubAgentConfig = Type.Object({
  pgUrl: Type.String({ minLength: 1 }),
  hubId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
  /** The WireGuard interface; at most 15 characters (Linux interface names). */
  interfaceName: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,15}$' }),
  /** A network namespace (under /run/netns) the interface lives in; unset: the agent's own. */
  netns: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
  listenPort: Type.Integer({ minimum: 1, maximum: 65535, default: 51820 }),
  /** host:port the kiosks dial. */
  endpoint: Type.String({ minLength: 3 }),
  /** The hub's address inside the tunnel, e.g. 10.77.0.1. */
  tunnelAddress: Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,3}){3}$' }),
  /** Prefix length of the tunnel network on the hub interface (it must cover every mall pool). */
  tunnelPrefix: Type.Integer({ minimum: 8, maximum: 30, default: 16 }),
  /** The sync gateway's kiosk URL, bound on the tunnel address. */
  gatewayUrl: Type.String({ minLength: 1 }),
  /** The hub's WireGuard private key; made on first start (mode 0600) when missing. */
  privateKeyFile: Type.String({ minLength: 1 }),
  /** Where wireguard-go's pid is kept when the kernel has no WireGuard. */
  runDir: Type.String({ minLength: 1 }),
  reconcileIntervalMs: Type.Integer({ minimum: 100, default: 10_000 }),
  /** /healthz and /metrics; port 0 turns them off. */
  metricsHost: Type.String({ default: '127.0.0.1' }),
  metricsPort: Type.Integer({ minimum: 0, maximum: 65535, default: 9470 }),
  logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')], { default: 'info' }),
});

/** Validated hub agent configuration. */
export type HubAgentConfig = Static<typeof HubAgentConfig>;

/** Environment variable of each setting. */
export const HUB_AGENT_ENV = {
  pgUrl: 'ATRIUM_PG_URL',
  hubId: 'HUB_ID',
  interfaceName: 'HUB_INTERFACE',
  netns: 'HUB_NETNS',
  listenPort: 'HUB_LISTEN_PORT',
  endpoint: 'HUB_ENDPOINT',
  tunnelAddress: 'HUB_TUNNEL_ADDRESS',
  tunnelPrefix: 'HUB_TUNNEL_PREFIX',
  gatewayUrl: 'HUB_GATEWAY_URL',
  privateKeyFile: 'HUB_PRIVATE_KEY_FILE',
  runDir: 'HUB_RUN_DIR',
  reconcileIntervalMs: 'HUB_RECONCILE_INTERVAL_MS',
  metricsHost: 'HUB_METRICS_HOST',
  metricsPort: 'HUB_METRICS_PORT',
  logLevel: 'HUB_LOG_LEVEL',
} as const satisfies Record<keyof HubAgentConfig, string>;

/** Reads and validates the hub agent configuration from the environment. */
export function loadHubAgentConfig(env: NodeJS.ProcessEnv): HubAgentConfig {
  return loadConfig(HubAgentConfig, HUB_AGENT_ENV, env);
}
