import { findStackProcesses } from '../process/findStackProcesses';
import { STACK_SERVICES } from '../services/stackServices';
import type { ServiceStatus } from '../services/stackService';
import type { StackConfig } from '../stackConfig';

/** Status of each selected service, asked over its own protocol, plus processes without a record. */
export async function stackStatus(config: StackConfig): Promise<{ services: ServiceStatus[]; unrecordedPids: number[] }> {
  const services = await Promise.all(config.services.map((name) => STACK_SERVICES[name].status(config)));
  const recorded = new Set(services.flatMap((s) => s.pids));
  const unrecordedPids = findStackProcesses(config.stateDir)
    .map((p) => p.pid)
    .filter((pid) => !recorded.has(pid));
  return { services, unrecordedPids };
}

/** A fixed-width table for the terminal. */
export function formatStatusTable(config: StackConfig, status: { services: ServiceStatus[]; unrecordedPids: number[] }): string {
  const rows = [
    ['SERVICE', 'STATE', 'VERSION', 'ENDPOINT', 'PIDS', 'DETAIL'],
    ...status.services.map((s) => [s.name, s.up ? 'up' : 'down', s.version ?? '-', s.endpoint, s.pids.join(',') || '-', s.detail]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) => '  ' + row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  '));
  const header = `atrium stack, profile ${config.profile} (state ${config.stateDir})`;
  const strays = status.unrecordedPids.length ? [`  unrecorded stack processes: ${status.unrecordedPids.join(', ')} (npm run stack:down stops them)`] : [];
  return [header, ...lines, ...strays].join('\n');
}
