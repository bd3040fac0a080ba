import { describe, expect, it } from 'vitest';
import { RELAUNCH_EXIT_CODE } from '../edge/updater/relaunchExitCode';
import { relaunchOnBackendExit, updaterBackendArgs } from './updaterWiring';

const packaged = { appVersion: '1.4.0', packaged: true, appImagePath: '/opt/atrium/Atrium.AppImage' };

describe('self-update wiring in Electron main', () => {
  it('given a packaged AppImage, then the backend runs the updater on that file', () => {
    expect(updaterBackendArgs(packaged)).toEqual(['--app-version', '1.4.0', '--self-update', '/opt/atrium/Atrium.AppImage']);
  });

  it('given a development run or a deb install, then the backend knows its version but replaces nothing', () => {
    expect(updaterBackendArgs({ ...packaged, packaged: false })).toEqual(['--app-version', '1.4.0']);
    expect(updaterBackendArgs({ ...packaged, appImagePath: undefined })).toEqual(['--app-version', '1.4.0']);
  });

  it('when the backend exits asking for a relaunch, then the AppImage is started again with the same arguments; any other exit is not a relaunch', () => {
    const argv = ['/tmp/.mount_x/atrium', '--config=/etc/atrium/kiosk.json'];
    expect(relaunchOnBackendExit(RELAUNCH_EXIT_CODE, packaged, argv)).toEqual({ execPath: '/opt/atrium/Atrium.AppImage', args: ['--config=/etc/atrium/kiosk.json'] });
    expect(relaunchOnBackendExit(1, packaged, argv)).toBeNull();
    expect(relaunchOnBackendExit(0, packaged, argv)).toBeNull();
  });
});
