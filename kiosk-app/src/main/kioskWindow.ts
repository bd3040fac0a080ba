import { BrowserWindow, Menu, session, type WebContents } from 'electron';
import { isAllowedNavigation } from './navigationPolicy';

/** How the kiosk window is made. */
export interface KioskWindowOptions {
  url: string;
  preloadPath: string;
  production: boolean;
  allowedOrigins: readonly string[];
}

/** Locks a web contents down: no navigation off the allowlist, no new windows, no permissions. */
export function lockDown(contents: WebContents, allowedOrigins: readonly string[]): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, allowedOrigins)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, allowedOrigins)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Creates the full-screen kiosk window with the sandboxed, context-isolated renderer. */
export function createKioskWindow(options: KioskWindowOptions): BrowserWindow {
  Menu.setApplicationMenu(null);
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  const window = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    show: false,
    backgroundColor: '#101820',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: !options.production,
      spellcheck: false,
    },
  });
  lockDown(window.webContents, options.allowedOrigins);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
