// kioskctl: the field technician's tool. `provisioning/bin/kioskctl --help`.
import { Command, InvalidArgumentError, Option } from 'commander';
import { diagnose } from './diagChecks';
import { enrolCommand } from './enrolCommand';
import { formatDiag, formatStatus } from './formatStatus';
import { kioskPaths } from './kioskPaths';
import { collectStatus } from './kioskStatus';
import { insideNetns, rerunInsideNetns } from './netns';
import { StepFailed } from './progress';
import { rotateCommand } from './rotateCommand';
import { upCommand } from './upCommand';

const DEFAULT_DATA_DIR = '/var/lib/atrium-kiosk';
const DEFAULT_INTERFACE = 'atrium0';

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number of seconds');
  return n;
};
const interfaceName = (value: string): string => {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(value)) throw new InvalidArgumentError('1 to 15 letters, digits, _ . or -');
  return value;
};

interface CommonOptions {
  dataDir: string;
  interface: string;
  netns?: string;
  hardwareId?: string;
  json: boolean;
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', "the kiosk's data folder (keys, enrolment, kiosk database)", DEFAULT_DATA_DIR)
    .option('--interface <name>', 'WireGuard interface name', interfaceName, DEFAULT_INTERFACE)
    .option('--netns <name>', 'run inside this network namespace (test rigs, multi-kiosk hosts)')
    .addOption(new Option('--hardware-id <id>', 'use this hardware identity instead of DMI and NIC addresses (machines without DMI data)'))
    .option('--json', 'machine-readable output on stdout (progress goes to stderr)', false);
}

/** Re-runs the command inside `--netns` unless already there; true when it did (and exited). */
async function enteredNetns(options: CommonOptions): Promise<boolean> {
  if (!options.netns || insideNetns(options.netns)) return false;
  process.exitCode = await rerunInsideNetns(options.netns);
  return true;
}

const program = new Command('kioskctl')
  .description('Enrol an Atrium kiosk into the fleet and check its tunnel. Run as root on the kiosk.')
  .showHelpAfterError('(run with --help for usage)');

withCommonOptions(
  program
    .command('enrol')
    .description('make keys on this kiosk, enrol with a one-time token, bring the WireGuard tunnel up and check the gateway')
    .requiredOption('--token <token>', 'the one-time enrolment token from ops')
    .requiredOption('--server <url>', 'the provisioning service, e.g. https://provisioning.example')
    .option('--mall <mallId>', 'refuse a token issued for another mall')
    .option('--kiosk <kioskId>', 'refuse a token issued for another kiosk')
    .option('--wait-approval <seconds>', 'when ops must approve, keep asking for this long', seconds, 0)
    .option('--gateway-timeout <seconds>', 'how long to wait for the gateway through the tunnel', seconds, 30),
).action(async (options: CommonOptions & { token: string; server: string; mall?: string; kiosk?: string; waitApproval: number; gatewayTimeout: number }) => {
  if (await enteredNetns(options)) return;
  const summary = await enrolCommand({
    token: options.token,
    server: options.server,
    dataDir: options.dataDir,
    interfaceName: options.interface,
    mall: options.mall,
    kiosk: options.kiosk,
    hardwareId: options.hardwareId,
    waitApprovalS: options.waitApproval,
    gatewayTimeoutS: options.gatewayTimeout,
    json: options.json,
  });
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    process.stdout.write(
      `\nEnrolled: kiosk ${summary.kioskId} in ${summary.mallId} is device ${summary.deviceId}.\n` +
        `Tunnel ${summary.interfaceName} (${summary.implementation}) has address ${summary.vpnAddress}; the gateway ${summary.gatewayUrl} accepted this kiosk in ${summary.gateway.rttMs} ms.\n` +
        `Done in ${summary.secondsToFirstAnswer.toFixed(1)} s. Check any time with: kioskctl status. After a reboot: kioskctl up\n`,
    );
  }
});

withCommonOptions(
  program
    .command('up')
    .description('bring the tunnel back up from the files written at enrolment (after a reboot or a crash) and check the gateway; safe to run any time. Without --interface, the interface named at enrolment')
    .option('--gateway-timeout <seconds>', 'how long to wait for the gateway through the tunnel', seconds, 30),
).action(async (options: CommonOptions & { gatewayTimeout: number }, command: Command) => {
  if (await enteredNetns(options)) return;
  const summary = await upCommand({
    dataDir: options.dataDir,
    // Without --interface, the interface named at enrolment.
    ...(command.getOptionValueSource('interface') === 'default' ? {} : { interfaceName: options.interface }),
    hardwareId: options.hardwareId,
    gatewayTimeoutS: options.gatewayTimeout,
    json: options.json,
  });
  process.stdout.write(
    options.json
      ? `${JSON.stringify(summary)}\n`
      : `\nTunnel ${summary.interfaceName} is up (${summary.implementation === 'existing' ? 'it was already there' : `started on ${summary.implementation}`}) for kiosk ${summary.kioskId}; the gateway accepted this kiosk in ${summary.gateway.rttMs} ms.\n`,
  );
});

withCommonOptions(program.command('status').description('handshake age, traffic, gateway reachability, clock offset, queue depth, last sync, disk')).action(
  async (options: CommonOptions) => {
    if (await enteredNetns(options)) return;
    const status = await collectStatus(kioskPaths(options.dataDir, options.interface), options.interface, { hardwareId: options.hardwareId, probeTimeoutMs: 3_000 });
    process.stdout.write(options.json ? `${JSON.stringify(status)}\n` : `${formatStatus(status)}\n`);
    if (!status.gateway?.reachable) process.exitCode = 1;
  },
);

withCommonOptions(program.command('diag').description('check everything status shows and say what to do about each problem')).action(async (options: CommonOptions) => {
  if (await enteredNetns(options)) return;
  const status = await collectStatus(kioskPaths(options.dataDir, options.interface), options.interface, { hardwareId: options.hardwareId, probeTimeoutMs: 3_000 });
  const checks = diagnose(status);
  process.stdout.write(options.json ? `${JSON.stringify({ status, checks })}\n` : `${formatDiag(checks)}\n`);
  if (checks.some((c) => c.verdict === 'fail')) process.exitCode = 1;
});

withCommonOptions(
  program
    .command('rotate-keys')
    .description('make new keys, sign the rotation with the old key, switch the tunnel; the device keeps its id')
    .option('--gateway-timeout <seconds>', 'how long to wait for the gateway after switching', seconds, 30),
).action(async (options: CommonOptions & { gatewayTimeout: number }) => {
  if (await enteredNetns(options)) return;
  const result = await rotateCommand({ dataDir: options.dataDir, interfaceName: options.interface, hardwareId: options.hardwareId, gatewayTimeoutS: options.gatewayTimeout, json: options.json });
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `\nKeys rotated: device ${result.deviceId} is at key generation ${result.keyGeneration}.\n`);
});

program.parseAsync(process.argv).catch((error: unknown) => {
  // A failed step has already printed what went wrong and what to do next.
  if (!(error instanceof StepFailed)) process.stderr.write(`kioskctl: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
