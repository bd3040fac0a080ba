import { BRIDGE_HTTP_PREFIX, BRIDGE_SECRET_HEADER, BRIDGE_WS_PATH, BRIDGE_WS_PROTOCOL } from '../bridge/bridgeWire';
import type { BridgeNotice, BridgeResult, KioskBridge } from '../bridge';

/**
 * The bridge over the browser shell's localhost HTTP and WebSocket, authenticated with the
 * per-launch secret the shell put in the page's URL fragment (never sent in a request line).
 */
export function createHttpBridge(secret: string, origin: string = location.origin): KioskBridge {
  const listeners = new Set<(notice: BridgeNotice) => void>();
  let socket: WebSocket | null = null;
  let retryTimer: number | undefined;
  const connect = () => {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}${BRIDGE_WS_PATH}`, [BRIDGE_WS_PROTOCOL, `secret.${secret}`]);
    socket = ws;
    ws.onmessage = (message) => {
      const notice = JSON.parse(String(message.data)) as BridgeNotice;
      for (const listener of listeners) listener(notice);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // The shell may be restarting; reconnect while anyone listens.
      if (listeners.size > 0) retryTimer = window.setTimeout(connect, 1000);
    };
  };
  const call = async (method: string, input: unknown): Promise<BridgeResult<unknown>> => {
    try {
      const response = await fetch(`${origin}${BRIDGE_HTTP_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [BRIDGE_SECRET_HEADER]: secret },
        body: JSON.stringify(input ?? {}),
      });
      return (await response.json()) as BridgeResult<unknown>;
    } catch {
      return { ok: false, error: { type: 'urn:atrium:problem:backend-unavailable', title: 'The kiosk backend did not answer', status: 503, code: 'BACKEND_UNAVAILABLE' } };
    }
  };
  const onNotice = (listener: (notice: BridgeNotice) => void) => {
    listeners.add(listener);
    if (!socket || socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        window.clearTimeout(retryTimer);
        socket?.close();
      }
    };
  };
  return new Proxy({} as KioskBridge, {
    get: (_target, name) => (name === 'onNotice' ? onNotice : typeof name === 'string' ? (input: unknown) => call(name, input) : undefined),
  });
}

/** The bridge this page should use: the preload's in Electron, else the shell's over HTTP. */
export function resolveBridge(): KioskBridge {
  const exposed = (window as unknown as { atrium?: KioskBridge }).atrium;
  if (exposed) return exposed;
  const secret = new URLSearchParams(location.hash.slice(1)).get('k');
  if (!secret) throw new Error('No bridge: not in Electron and no shell secret in the URL');
  return createHttpBridge(secret);
}
