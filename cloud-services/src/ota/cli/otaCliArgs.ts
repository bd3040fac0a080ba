import { parseArgs } from 'node:util';
import type { MaintenanceSpan, ReleaseChannel, Weekday } from '@atrium/contracts';
import type { RolloutStage, RolloutThresholds } from '../domain/rollout';

/** A parsed CLI invocation. */
export type OtaCliCommand =
  | { kind: 'help'; text: string }
  | { kind: 'release-upload'; file: string; version: string; channel: ReleaseChannel; notes?: string; notesFile?: string }
  | { kind: 'release-list'; channel?: ReleaseChannel }
  | { kind: 'rollout-create'; releaseId: string; stages: RolloutStage[]; malls: string[]; tags: string[]; thresholds: Partial<RolloutThresholds> }
  | { kind: 'rollout-command'; command: 'pause' | 'resume' | 'cancel' | 'rollback'; rolloutId: string; reason?: string }
  | { kind: 'rollout-status'; rolloutId: string }
  | { kind: 'rollout-list'; status?: string }
  | { kind: 'window-set'; mallId: string; timeZone: string; spans: MaintenanceSpan[] }
  | { kind: 'window-get'; mallId: string };

/** Global options of every command. */
export interface OtaCliGlobals {
  api: string;
  json: boolean;
}

export const HELP = `atrium-ota: releases, staged rollouts and maintenance windows of kiosk updates

Usage: atrium-ota [--api URL] [--json] <command> [options]

Commands:
  release upload --file PATH --version X.Y.Z [--channel stable|beta] [--notes TEXT | --notes-file PATH]
      Declares the release and uploads its artefact; the server checks size and sha512.
  release list [--channel stable|beta]
  rollout create --release RELEASE_ID --stages 5:1h,25:4h,100:0 [--malls a,b] [--tags t1,t2]
                 [--max-failure-rate 0.1] [--min-reports 5] [--max-failures N] [--min-success-rate 0.9]
      Stages are percent:wait; wait in s, m, h or d (plain numbers are seconds).
  rollout pause|resume|cancel|rollback ROLLOUT_ID [--reason TEXT]
  rollout status ROLLOUT_ID      progress per stage: devices pending, downloaded, installed, failed
  rollout list [--status active|paused|halted|completed|cancelled|rolledback]
  window set MALL_ID --tz Europe/London --span "mon,tue 22:00-06:00" [--span ...]
      Spans are local wall-clock times in the mall's zone; end before start crosses midnight.
  window get MALL_ID

Options:
  --api URL   the ops API's OTA prefix (default $ATRIUM_OTA_API or http://127.0.0.1:8460/ops/ota)
  --json      print the API's JSON instead of a summary
  -h, --help  this text (also after any command)
`;

/** A command line the CLI cannot run; the message says why. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `1h`, `15m`, `30s`, `2d` or plain seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new CliUsageError(`'${text}' is not a duration (use 30s, 15m, 1h, 2d or seconds)`);
  return Number(match[1]) * (UNITS[match[2] || 's'] ?? 1);
}

/** Parses `5:1h,25:4h,100:0` into stages. */
export function parseStages(text: string): RolloutStage[] {
  return text.split(',').map((part) => {
    const [percent, wait = '0'] = part.split(':');
    const value = Number(percent);
    if (!percent || !Number.isFinite(value) || value <= 0 || value > 100) throw new CliUsageError(`stage '${part}' needs a percent in (0, 100]`);
    return { percent: value, waitS: parseDuration(wait) };
  });
}

const DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Parses `mon,tue 22:00-06:00` or `22:00-06:00` (every day). */
export function parseSpan(text: string): MaintenanceSpan {
  const match = /^(?:([a-z,]+)\s+)?(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(text.trim());
  if (!match) throw new CliUsageError(`span '${text}' is not like "mon,tue 22:00-06:00"`);
  const days = match[1]?.split(',').filter(Boolean);
  for (const d of days ?? []) if (!DAYS.includes(d as Weekday)) throw new CliUsageError(`'${d}' is not a day (mon … sun)`);
  return { ...(days ? { days: days as Weekday[] } : {}), start: match[2]!, end: match[3]! };
}

function list(text: string | undefined): string[] {
  return text ? text.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function channel(text: string | undefined): ReleaseChannel | undefined {
  if (text === undefined) return undefined;
  if (text !== 'stable' && text !== 'beta') throw new CliUsageError(`channel must be stable or beta, not '${text}'`);
  return text;
}

function number(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new CliUsageError(`--${name} needs a number`);
  return value;
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new CliUsageError(`missing ${what}`);
  return value;
}

/** Parses the command line (without `node script`). */
export function parseOtaCli(argv: readonly string[], env: Record<string, string | undefined>): { globals: OtaCliGlobals; command: OtaCliCommand } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      file: { type: 'string' },
      version: { type: 'string' },
      channel: { type: 'string' },
      notes: { type: 'string' },
      'notes-file': { type: 'string' },
      release: { type: 'string' },
      stages: { type: 'string' },
      malls: { type: 'string' },
      tags: { type: 'string' },
      'max-failure-rate': { type: 'string' },
      'min-reports': { type: 'string' },
      'max-failures': { type: 'string' },
      'min-success-rate': { type: 'string' },
      reason: { type: 'string' },
      status: { type: 'string' },
      tz: { type: 'string' },
      span: { type: 'string', multiple: true },
    },
  });
  const globals = { api: values.api ?? env['ATRIUM_OTA_API'] ?? 'http://127.0.0.1:8460/ops/ota', json: values.json ?? false };
  const [area, action, subject] = positionals;
  if (values.help || !area) return { globals, command: { kind: 'help', text: HELP } };
  const key = `${area} ${action ?? ''}`.trim();
  switch (key) {
    case 'release upload':
      return {
        globals,
        command: {
          kind: 'release-upload',
          file: required(values.file, '--file'),
          version: required(values.version, '--version'),
          channel: channel(values.channel) ?? 'stable',
          ...(values.notes ? { notes: values.notes } : {}),
          ...(values['notes-file'] ? { notesFile: values['notes-file'] } : {}),
        },
      };
    case 'release list':
      return { globals, command: { kind: 'release-list', ...(values.channel ? { channel: channel(values.channel)! } : {}) } };
    case 'rollout create': {
      const thresholds: Partial<RolloutThresholds> = {};
      const rate = number(values['max-failure-rate'], 'max-failure-rate');
      const minReports = number(values['min-reports'], 'min-reports');
      const maxFailures = number(values['max-failures'], 'max-failures');
      const success = number(values['min-success-rate'], 'min-success-rate');
      if (rate !== undefined) thresholds.maxFailureRate = rate;
      if (minReports !== undefined) thresholds.minReports = minReports;
      if (maxFailures !== undefined) thresholds.maxFailures = maxFailures;
      if (success !== undefined) thresholds.minSuccessRate = success;
      return {
        globals,
        command: { kind: 'rollout-create', releaseId: required(values.release, '--release'), stages: parseStages(required(values.stages, '--stages')), malls: list(values.malls), tags: list(values.tags), thresholds },
      };
    }
    case 'rollout pause':
    case 'rollout resume':
    case 'rollout cancel':
    case 'rollout rollback':
      return { globals, command: { kind: 'rollout-command', command: action as 'pause', rolloutId: required(subject, 'ROLLOUT_ID'), ...(values.reason ? { reason: values.reason } : {}) } };
    case 'rollout status':
      return { globals, command: { kind: 'rollout-status', rolloutId: required(subject, 'ROLLOUT_ID') } };
    case 'rollout list':
      return { globals, command: { kind: 'rollout-list', ...(values.status ? { status: values.status } : {}) } };
    case 'window set':
      return { globals, command: { kind: 'window-set', mallId: required(subject, 'MALL_ID'), timeZone: required(values.tz, '--tz'), spans: (values.span ?? []).map(parseSpan) } };
    case 'window get':
      return { globals, command: { kind: 'window-get', mallId: required(subject, 'MALL_ID') } };
    default:
      throw new CliUsageError(`unknown command '${key}'; see --help`);
  }
}
