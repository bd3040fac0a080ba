import { describe, expect, it } from 'vitest';
import { CliUsageError, HELP, parseDuration, parseOtaCli, parseSpan, parseStages } from './otaCliArgs';

describe('the OTA CLI command line', () => {
  it('prints help for --help, after any command, and with no command', () => {
    expect(parseOtaCli(['--help'], {}).command).toEqual({ kind: 'help', text: HELP });
    expect(parseOtaCli(['rollout', 'create', '--help'], {}).command.kind).toBe('help');
    expect(parseOtaCli([], {}).command.kind).toBe('help');
  });

  it('reads stages as percent:wait with units', () => {
    expect(parseStages('5:1h,25:30m,100:0')).toEqual([
      { percent: 5, waitS: 3600 },
      { percent: 25, waitS: 1800 },
      { percent: 100, waitS: 0 },
    ]);
    expect(parseDuration('2d')).toBe(172_800);
    expect(() => parseStages('0:1h')).toThrow(CliUsageError);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it('reads a rollout with targets and thresholds', () => {
    const { command, globals } = parseOtaCli(
      ['rollout', 'create', '--release', 'stable-1.2.0', '--stages', '5:1h,100:0', '--malls', 'mall-a,mall-b', '--max-failure-rate', '0.05', '--min-reports', '10'],
      { ATRIUM_OTA_API: 'http://10.0.0.1:8460/ops/ota' },
    );
    expect(globals.api).toBe('http://10.0.0.1:8460/ops/ota');
    expect(command).toEqual({
      kind: 'rollout-create',
      releaseId: 'stable-1.2.0',
      stages: [{ percent: 5, waitS: 3600 }, { percent: 100, waitS: 0 }],
      malls: ['mall-a', 'mall-b'],
      tags: [],
      thresholds: { maxFailureRate: 0.05, minReports: 10 },
    });
  });

  it('reads the ops commands on a rollout', () => {
    expect(parseOtaCli(['rollout', 'rollback', 'ro-1', '--reason', 'crash on boot'], {}).command).toEqual({ kind: 'rollout-command', command: 'rollback', rolloutId: 'ro-1', reason: 'crash on boot' });
    expect(() => parseOtaCli(['rollout', 'pause'], {})).toThrow(/ROLLOUT_ID/);
  });

  it('reads maintenance window spans, across midnight and on chosen days', () => {
    expect(parseSpan('mon,tue 22:00-06:00')).toEqual({ days: ['mon', 'tue'], start: '22:00', end: '06:00' });
    expect(parseSpan('01:00-05:00')).toEqual({ start: '01:00', end: '05:00' });
    expect(() => parseSpan('monday 01:00-05:00')).toThrow(/not a day/);
    const { command } = parseOtaCli(['window', 'set', 'mall-a', '--tz', 'Europe/London', '--span', '22:00-06:00', '--span', 'sun 00:00-10:00'], {});
    expect(command).toEqual({ kind: 'window-set', mallId: 'mall-a', timeZone: 'Europe/London', spans: [{ start: '22:00', end: '06:00' }, { days: ['sun'], start: '00:00', end: '10:00' }] });
  });

  it('refuses an unknown command', () => {
    expect(() => parseOtaCli(['rollout', 'explode'], {})).toThrow(/unknown command/);
  });
});
