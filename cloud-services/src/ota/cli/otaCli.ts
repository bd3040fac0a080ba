import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { RolloutView } from '../otaService';
import { OtaApiError, otaApiClient } from './otaApiClient';
import { CliUsageError, parseOtaCli } from './otaCliArgs';

/** Where the CLI writes. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A rollout's state and its progress per stage, as a table. */
export function formatRollout(view: RolloutView): string {
  const { rollout, progress } = view;
  const lines = [
    `rollout ${rollout.rolloutId}: ${rollout.version} on ${rollout.channel}, ${rollout.status}${rollout.statusReason ? ` (${rollout.statusReason})` : ''}`,
    `target malls: ${rollout.target.malls.join(', ') || 'all'}; tags: ${rollout.target.tags.join(', ') || 'any'}`,
    'STAGE  PERCENT  OPEN  DEVICES  PENDING  DOWNLOADED  INSTALLED  FAILED',
  ];
  for (const s of progress.stages) {
    const cells = [String(s.stage + 1).padEnd(5), `${s.percent}%`.padStart(7), (s.open ? 'yes' : 'no').padEnd(4), s.devices, s.pending, s.downloaded, s.installed, s.failed];
    lines.push(cells.map((c, i) => (i < 3 ? String(c) : String(c).padStart([7, 7, 10, 9, 6][i - 3]!))).join('  '));
  }
  lines.push(`reports: ${progress.reports.installed} installed, ${progress.reports.failed} failed of ${progress.reports.total}`);
  return lines.join('\n');
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 refused by the API, 2 usage). */
export async function runOtaCli(argv: readonly string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseOtaCli(argv, env);
  } catch (error) {
    io.err(`atrium-ota: ${(error as Error).message}`);
    return 2;
  }
  const { globals, command } = parsed;
  const client = otaApiClient(globals.api);
  const show = (value: unknown, summary: string) => io.out(globals.json ? JSON.stringify(value, null, 2) : summary);
  try {
    switch (command.kind) {
      case 'help':
        io.out(command.text);
        return 0;
      case 'release-upload': {
        const notes = command.notesFile ? await readFile(command.notesFile, 'utf8') : command.notes;
        const release = await client.uploadRelease({ file: command.file, version: command.version, channel: command.channel, ...(notes ? { releaseNotes: notes } : {}) });
        show(release, `release ${release.releaseId} ${release.status}: ${release.fileName}, ${release.size} bytes, sha512 ${release.sha512}`);
        return 0;
      }
      case 'release-list': {
        const releases = await client.listReleases(command.channel);
        show(releases, releases.map((r) => `${r.releaseId}  ${r.status}  ${r.fileName}  ${r.createdAt}`).join('\n') || 'no releases');
        return 0;
      }
      case 'rollout-create': {
        const view = await client.createRollout({ releaseId: command.releaseId, stages: command.stages, target: { malls: command.malls, tags: command.tags }, thresholds: command.thresholds });
        show(view, formatRollout(view));
        return 0;
      }
      case 'rollout-command': {
        const view = await client.command(command.rolloutId, { kind: command.command, ...(command.reason ? { reason: command.reason } : {}) });
        show(view, formatRollout(view));
        return 0;
      }
      case 'rollout-status': {
        const view = await client.rollout(command.rolloutId);
        show(view, formatRollout(view));
        return 0;
      }
      case 'rollout-list': {
        const rollouts = await client.listRollouts(command.status);
        show(rollouts, rollouts.map((r) => `${r.rolloutId}  ${r.version}  ${r.channel}  ${r.status}  stage ${r.currentStage + 1}/${r.stages.length}`).join('\n') || 'no rollouts');
        return 0;
      }
      case 'window-set': {
        const window = await client.setWindow(command.mallId, { timeZone: command.timeZone, spans: command.spans });
        show(window, `maintenance window of ${command.mallId} set (${window.timeZone})`);
        return 0;
      }
      case 'window-get': {
        const window = await client.getWindow(command.mallId);
        show(window, `${command.mallId} (${window.timeZone}): ${window.spans.map((s) => `${s.days?.join(',') ?? 'every day'} ${s.start}-${s.end}`).join('; ')}`);
        return 0;
      }
      default: {
        const never: never = command;
        throw new CliUsageError(`unhandled command ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    if (error instanceof OtaApiError) {
      io.err(`atrium-ota: ${error.message}`);
      for (const e of error.problem.errors ?? []) io.err(`  ${e.path}: ${e.message}`);
      return 1;
    }
    io.err(`atrium-ota: ${(error as Error).message}`);
    return error instanceof CliUsageError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runOtaCli(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) });
  process.exitCode = code;
}
