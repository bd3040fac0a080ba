import { mkdirSync } from 'node:fs';
import { elapsedSince, reporterFor, type Report } from '../progress';
import { STACK_SERVICES } from '../services/stackServices';
import type { ServiceName, StackConfig } from '../stackConfig';
import { endpointsFor, type StackEndpoints } from '../stackEndpoints';
import { isStackError, StackError } from '../stackError';
import { withStackLock } from './stackLock';

/** Fails before any download when a tool is missing, naming every missing tool at once. */
export function checkPrerequisites(config: StackConfig): void {
  const problems: StackError[] = [];
  for (const check of config.services.flatMap((name) => STACK_SERVICES[name].prerequisites(config))) {
    try {
      check();
    } catch (error) {
      if (!isStackError(error)) throw error;
      if (!problems.some((p) => p.message === error.message)) problems.push(error);
    }
  }
  const [first] = problems;
  if (!first) return;
  if (problems.length === 1) throw first;
  throw new StackError('MISSING_PREREQUISITE', problems.map((p) => `${p.message}\n    → ${p.hint ?? ''}`).join('\n  '));
}

/** Downloads and builds everything the selected services need, starting nothing (`setup` uses it). */
export async function fetchArtifacts(config: StackConfig): Promise<void> {
  checkPrerequisites(config);
  await Promise.all(config.services.map((name) => STACK_SERVICES[name].fetch(config, reporterFor(name))));
}

/**
 * Brings the selected services up, reusing whatever already runs, and resolves once each answers
 * its own protocol. Services start in parallel, each after the services it depends on.
 */
export async function stackUp(config: StackConfig, report: Report = reporterFor('stack')): Promise<StackEndpoints> {
  checkPrerequisites(config);
  mkdirSync(config.logsDir, { recursive: true });
  mkdirSync(config.pidsDir, { recursive: true });
  return withStackLock(config.stateDir, report, async () => {
    const started = Date.now();
    report(`profile ${config.profile}: starting ${config.services.join(', ')} (state ${config.stateDir})`);
    const launches = new Map<ServiceName, Promise<void>>();
    const launch = (name: ServiceName): Promise<void> => {
      let promise = launches.get(name);
      if (!promise) {
        const service = STACK_SERVICES[name];
        promise = (async () => {
          await Promise.all(service.dependsOn.filter((dep) => config.services.includes(dep)).map(launch));
          const serviceStart = Date.now();
          await service.start(config, reporterFor(name));
          reporterFor(name)(`ready in ${elapsedSince(serviceStart)}`);
        })();
        launches.set(name, promise);
      }
      return promise;
    };
    const results = await Promise.allSettled(config.services.map(launch));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) {
      for (const extra of failures.slice(1)) report(`also failed: ${extra instanceof Error ? extra.message : String(extra)}`);
      throw failures[0];
    }
    report(`up in ${elapsedSince(started)}`);
    return endpointsFor(config);
  });
}
