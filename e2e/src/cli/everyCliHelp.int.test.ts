import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findRepoPaths } from '../../../infra/local/src/repoPaths';

const execFileAsync = promisify(execFile);

// Every command a user, a technician or ops may run, each explaining itself with --help (exit 0,
// a usage line) without needing a server, a configuration or root.
const COMMANDS = [
  'infra/local/src/cli.ts',
  'sync-gateway/src/main.ts',
  'sync-gateway/src/content/seedDemoMall.ts',
  'sync-gateway/src/openapi/generateOpenApi.ts',
  'cloud-services/src/main.ts',
  'cloud-services/src/cli/auditCli.ts',
  'cloud-services/src/integrations/crmForwarder.ts',
  'cloud-services/src/ota/cli/otaCli.ts',
  'cloud-services/src/pii/erasureCli.ts',
  'cloud-services/src/redrive/redriveCli.ts',
  'cloud-services/src/replay/replayCli.ts',
  'provisioning/src/main.ts',
  'provisioning/src/hub/hubAgentMain.ts',
  'provisioning/src/kioskctl/main.ts',
  'kiosk-app/src/shell/main.ts',
  'kiosk-app/scripts/build.ts',
  'e2e/src/pipeline/audit.ts',
  'e2e/src/pipeline/devKiosk.ts',
  'e2e/src/pipeline/fleetSimulator.ts',
  'bench/src/report.ts',
];

describe('every command line', () => {
  it.each(COMMANDS)('given %s --help, then it prints its usage and exits 0', async (script) => {
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', script, '--help'], {
      cwd: findRepoPaths().root,
      // No endpoints or keys: --help must not need them.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/usage/i);
  }, 90_000);
});
