// The hub agent, run on the WireGuard hub host: `tsx provisioning/src/hub/hubAgentMain.ts`
// (configuration from the environment, see provisioning/README.md).
import { pino } from 'pino';
import { HUB_AGENT_ENV, HubAgentConfig, loadHubAgentConfig } from '../config/hubAgentConfig';
import { configHelp } from '../config/loadConfig';
import { startHubAgent } from './hubAgent';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`atrium hub agent: keeps the WireGuard hub's peers equal to the enrolled kiosks in PostgreSQL

Usage: tsx provisioning/src/hub/hubAgentMain.ts [--help]   (as root, on the hub host)

Configuration comes from the environment:
${configHelp(HubAgentConfig, HUB_AGENT_ENV)}
`);
  process.exit(0);
}

const config = loadHubAgentConfig(process.env);
const log = pino({ level: config.logLevel, base: { service: 'atrium-hub-agent', hubId: config.hubId } });

try {
  const agent = await startHubAgent(config, log);
  log.info({ event: 'hub.ready' }, 'hub agent ready');
  const stop = (signal: string): void => {
    log.info({ signal }, 'stopping (the interface stays up)');
    void agent.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  log.fatal({ err: error }, 'hub agent failed to start');
  process.exit(1);
}
