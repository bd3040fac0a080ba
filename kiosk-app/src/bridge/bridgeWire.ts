// Names on the wire between the page and the kiosk. No imports, so the renderer can take
// these constants without pulling schema code into the page bundle.

/** The name under which the preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'atrium';
/** The Electron IPC channel that carries bridge calls. */
export const BRIDGE_IPC_CHANNEL = 'atrium:bridge';
/** The Electron IPC channel that carries pushed notices. */
export const BRIDGE_NOTICE_CHANNEL = 'atrium:notice';
/** The browser shell's HTTP path prefix for calls (`POST /bridge/<method>`). */
export const BRIDGE_HTTP_PREFIX = '/bridge/';
/** The browser shell's WebSocket path for notices. */
export const BRIDGE_WS_PATH = '/bridge-notices';
/** The header carrying the shell's per-launch secret. */
export const BRIDGE_SECRET_HEADER = 'x-atrium-bridge-secret';
/** The WebSocket subprotocol of the notice channel (the secret travels as a second one). */
export const BRIDGE_WS_PROTOCOL = 'atrium.bridge.v1';
