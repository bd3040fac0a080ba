import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { findStackProcesses } from '../process/findStackProcesses';
import { isRecordAlive, readProcessRecords, removeProcessRecord, type ProcessRecord } from '../process/processRecord';
import { stopProcessGroup } from '../process/stopProcessGroup';
import { reporterFor, type Report } from '../progress';
import { STACK_SERVICES } from '../services/stackServices';
import { SERVICE_DEPENDENCIES, SERVICE_NAMES, withDependants, type ServiceName, type StackConfig } from '../stackConfig';
import { StackError } from '../stackError';
import { withStackLock } from './stackLock';

/** Options of `down`. */
export interface DownOptions {
  /** Also delete the profile's state folder (data, logs) once everything has stopped. */
  purge?: boolean;
  /** Stop only these and whatever depends on them; default the config's services. */
  only?: readonly ServiceName[];
}

async function stopRecords(config: StackConfig, records: ProcessRecord[], report: Report): Promise<void> {
  await Promise.all(
    records.map(async (record) => {
      const service = STACK_SERVICES[record.service as ServiceName];
      const outcome = await stopProcessGroup(record, service?.stopSignal ?? 'SIGTERM', service?.stopGraceMs ?? 10_000);
      report(`${record.name} (pid ${record.pid}): ${outcome}`);
      removeProcessRecord(config.pidsDir, record.name);
    }),
  );
}

/** Kills, by pid, processes that name the state folder but have no record (e.g. a record was deleted). */
async function stopStrays(config: StackConfig, report: Report): Promise<number> {
  const strays = findStackProcesses(config.stateDir);
  if (strays.length === 0) return 0;
  for (const stray of strays) {
    report(`stopping unrecorded stack process ${stray.pid}: ${stray.commandLine.slice(0, 100)}`);
    try {
      process.kill(stray.pid, 'SIGTERM');
    } catch {
      // Gone already.
    }
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && findStackProcesses(config.stateDir).length > 0) await sleep(200);
  for (const stray of findStackProcesses(config.stateDir)) {
    try {
      process.kill(stray.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  await sleep(200);
  return strays.length;
}

/**
 * Stops the selected services (dependants first: FerretDB before PostgreSQL), kills whatever of
 * them outlives a clean shutdown, and verifies that no process of the stack is left.
 */
export async function stackDown(config: StackConfig, options: DownOptions = {}, report: Report = reporterFor('stack')): Promise<void> {
  await withStackLock(config.stateDir, report, async () => {
    const selected = new Set<string>(options.only?.length ? withDependants(options.only) : config.services);
    const records = readProcessRecords(config.pidsDir).filter((r) => selected.has(r.service));
    const isDependency = (r: ProcessRecord): boolean => SERVICE_NAMES.some((name) => selected.has(name) && SERVICE_DEPENDENCIES[name].includes(r.service as ServiceName));
    // Two waves: services nothing else depends on, then their dependencies.
    await stopRecords(config, records.filter((r) => !isDependency(r)), report);
    await stopRecords(config, records.filter(isDependency), report);

    const everything = selected.size === SERVICE_NAMES.length;
    const strays = everything ? await stopStrays(config, report) : 0;

    const leftRecords = readProcessRecords(config.pidsDir).filter((r) => selected.has(r.service) && isRecordAlive(r));
    const leftStrays = everything ? findStackProcesses(config.stateDir) : [];
    const left = [...leftRecords.map((r) => r.pid), ...leftStrays.map((s) => s.pid)];
    if (left.length > 0) throw new StackError('START_FAILED', `processes still running after down: ${left.join(', ')}`);
    if (records.length + strays === 0) report(`nothing was running (profile ${config.profile})`);
    else if (everything) report(`stopped; no process of the ${config.profile} stack is left`);
    else report(`stopped ${[...selected].join(', ')}`);

    if (options.purge && everything) {
      rmSync(config.stateDir, { recursive: true, force: true });
      report(`deleted ${config.stateDir}`);
    }
  });
}
