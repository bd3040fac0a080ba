import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cliArgs';

describe('parseCliArgs', () => {
  it('defaults to the dev profile with one broker and every service', () => {
    expect(parseCliArgs(['up'])).toEqual({ command: 'up', stack: { profile: 'dev', brokers: 1 }, purge: false, downOnExit: false, simulate: 0, rest: [] });
  });

  it('reads profile, brokers and a service subset', () => {
    const args = parseCliArgs(['up', '--profile', 'test', '--brokers', '3', '--only', 'kafka,postgres']);
    expect(args.stack).toEqual({ profile: 'test', brokers: 3, only: ['kafka', 'postgres'] });
  });

  it('reads the simulated kiosk count from --simulate, or else ATRIUM_SIMULATE, and refuses a bad one', () => {
    expect(parseCliArgs(['start', '--simulate', '20']).simulate).toBe(20);
    expect(parseCliArgs(['start', '--simulate=5'], { ATRIUM_SIMULATE: '9' }).simulate).toBe(5);
    expect(parseCliArgs(['start'], { ATRIUM_SIMULATE: '9' }).simulate).toBe(9);
    expect(() => parseCliArgs(['start', '--simulate', 'many'])).toThrow(/--simulate takes a whole number/);
    expect(() => parseCliArgs(['start', '--simulate', '100000'])).toThrow(/0 to 500/);
  });

  it('shows help for --help or no command', () => {
    expect(parseCliArgs(['--help']).command).toBe('help');
    expect(parseCliArgs(['status', '-h']).command).toBe('help');
    expect(parseCliArgs([]).command).toBe('help');
  });

  it('passes arguments after -- through to nodetool only', () => {
    expect(parseCliArgs(['nodetool', '--', 'status', '-r']).rest).toEqual(['status', '-r']);
    expect(() => parseCliArgs(['up', 'now'])).toThrow(/unexpected arguments/);
  });

  it('rejects what it does not know, saying what it accepts', () => {
    expect(() => parseCliArgs(['launch'])).toThrow(/unknown command "launch"/);
    expect(() => parseCliArgs(['up', '--profile', 'prod'])).toThrow(/dev, test/);
    expect(() => parseCliArgs(['up', '--brokers', '2'])).toThrow(/1 or 3/);
    expect(() => parseCliArgs(['up', '--only', 'kafka,redis'])).toThrow(/unknown: redis/);
    expect(() => parseCliArgs(['up', '--verbose'])).toThrow(/verbose/);
  });
});
