import { ipcMain, type BrowserWindow } from 'electron';
import WebSocket from 'ws';
import {
  BRIDGE_HTTP_PREFIX,
  BRIDGE_IPC_CHANNEL,
  BRIDGE_NOTICE_CHANNEL,
  BRIDGE_SECRET_HEADER,
  BRIDGE_WS_PATH,
  bridgeFail,
  isBridgeMethod,
  type BridgeResult,
} from '../bridge';
import { isAllowedNavigation } from './navigationPolicy';

/** Where the kiosk backend (the process hosting the edge core) listens. */
export interface BackendEndpoint {
  url: string;
  secret: string;
}

/**
 * Relays the preload's bridge calls to the kiosk backend, which validates each input against
 * its schema. Calls from any frame not on the allowlist are refused before they leave main.
 */
export function relayBridge(window: BrowserWindow, backend: BackendEndpoint, allowedOrigins: readonly string[], onSessionEnded: () => void): () => void {
  ipcMain.handle(BRIDGE_IPC_CHANNEL, async (event, method: unknown, input: unknown): Promise<BridgeResult<unknown>> => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isAllowedNavigation(frameUrl, allowedOrigins)) return bridgeFail('FORBIDDEN', 'Call from a page outside the allowlist');
    if (typeof method !== 'string' || !isBridgeMethod(method)) return bridgeFail('NOT_FOUND', 'No such bridge call');
    try {
      const response = await fetch(`${backend.url}${BRIDGE_HTTP_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [BRIDGE_SECRET_HEADER]: backend.secret },
        body: JSON.stringify(input ?? {}),
      });
      const result = (await response.json()) as BridgeResult<unknown>;
      if (method === 'endSession' && result.ok) onSessionEnded();
      return result;
    } catch {
      return bridgeFail('BACKEND_UNAVAILABLE', 'The kiosk backend did not answer');
    }
  });
  const socket = new WebSocket(`${backend.url.replace(/^http/, 'ws')}${BRIDGE_WS_PATH}`, { headers: { [BRIDGE_SECRET_HEADER]: backend.secret } });
  socket.on('message', (data) => {
    if (!window.isDestroyed()) window.webContents.send(BRIDGE_NOTICE_CHANNEL, JSON.parse(String(data)));
  });
  return () => {
    ipcMain.removeHandler(BRIDGE_IPC_CHANNEL);
    socket.close();
  };
}
