import { describe, expect, it } from 'vitest';
import { chromiumArgs, restartDelayMs } from './chromiumLauncher';

describe('the browser launch', () => {
  it('given the shell URL, when the flags are built, then Chromium runs as a kiosk app that calls nowhere else', () => {
    const args = chromiumArgs({ executablePath: '/usr/bin/chromium', url: 'http://127.0.0.1:7400/#k=s' }, '/tmp/profile');
    expect(args).toEqual(expect.arrayContaining(['--app=http://127.0.0.1:7400/#k=s', '--kiosk', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--user-data-dir=/tmp/profile']));
  });

  it('given a debugging port, when the flags are built, then it listens on loopback only', () => {
    expect(chromiumArgs({ executablePath: 'c', url: 'u', remoteDebuggingPort: 9333 }, 'd')).toEqual(expect.arrayContaining(['--remote-debugging-port=9333', '--remote-debugging-address=127.0.0.1']));
  });

  it('given a browser that keeps dying young, when restarts are planned, then the delay backs off to a cap', () => {
    expect([0, 1, 2, 3, 10].map(restartDelayMs)).toEqual([0, 500, 1000, 2000, 30_000]);
  });
});
