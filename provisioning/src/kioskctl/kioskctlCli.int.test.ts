import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kioskctl } from '../testing/tunnelRig';

// The kioskctl program as a technician runs it (a process; no tunnel, no service needed).
const empty = mkdtempSync(join(tmpdir(), 'atrium-kioskctl-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('kioskctl on the command line', () => {
  it.each([
    ['enrol', '--token <token>'],
    ['up', '--gateway-timeout <seconds>'],
    ['status', '--json'],
    ['diag', '--json'],
    ['rotate-keys', '--gateway-timeout <seconds>'],
  ])('given kioskctl %s --help, then it explains the command and its options', async (command, option) => {
    const run = await kioskctl([command, '--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Usage: kioskctl ${command} [options]`);
    expect(run.stdout).toContain(option);
    expect(run.stdout).toContain('--data-dir <dir>');
  });

  it('given a data folder that was never enrolled, when kioskctl up runs, then the first step fails and says to enrol first', async () => {
    const run = await kioskctl(['up', '--data-dir', empty, '--hardware-id', 'cli-test']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\[1\/3\] Reading the enrolment of this kiosk … FAILED\n\s+this kiosk is not enrolled from .*\n\s+→ enrol first: kioskctl enrol --token/);
  });
});
