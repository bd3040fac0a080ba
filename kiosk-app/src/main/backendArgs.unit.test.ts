import { describe, expect, it } from 'vitest';
import { backendArgs, kioskArgsOf } from './backendArgs';

describe('the backend command line', () => {
  it('given a packaged AppImage started with a config, then the backend shows no browser, announces itself, serves the packaged renderer, and gets the kiosk and updater options', () => {
    const args = backendArgs({
      rendererDir: '/tmp/.mount_x/resources/app.asar/dist/renderer',
      kioskArgs: ['--config=/etc/atrium/kiosk.json'],
      updater: { appVersion: '1.4.0', packaged: true, appImagePath: '/opt/atrium/Atrium.AppImage' },
    });
    expect(args).toEqual([
      '--no-browser',
      '--announce',
      '--renderer-dir',
      '/tmp/.mount_x/resources/app.asar/dist/renderer',
      '--config=/etc/atrium/kiosk.json',
      '--app-version',
      '1.4.0',
      '--self-update',
      '/opt/atrium/Atrium.AppImage',
    ]);
  });

  it('given the app started with Chromium switches beside the kiosk options, then only the kiosk options reach the backend', () => {
    expect(kioskArgsOf(['--no-sandbox', '--config=/etc/atrium/kiosk.json', '--enable-logging', '--data-dir=/var/lib/atrium', '--seed-demo', '--configure-me'])).toEqual([
      '--config=/etc/atrium/kiosk.json',
      '--data-dir=/var/lib/atrium',
      '--seed-demo',
    ]);
  });
});
