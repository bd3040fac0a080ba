import { describe, expect, it } from 'vitest';
import { kioskBundlePaths } from './kioskBundleLayout';

describe('the kiosk bundle layout', () => {
  it('given main running from its bundle inside the package, then the preload, backend and renderer are found beside it', () => {
    expect(kioskBundlePaths('/opt/Atrium Kiosk/resources/app.asar/dist/main')).toEqual({
      preloadPath: '/opt/Atrium Kiosk/resources/app.asar/dist/preload/preload.cjs',
      backendEntry: '/opt/Atrium Kiosk/resources/app.asar/dist/backend/main.mjs',
      rendererDir: '/opt/Atrium Kiosk/resources/app.asar/dist/renderer',
    });
  });
});
