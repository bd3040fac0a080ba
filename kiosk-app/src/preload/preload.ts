// Exposes the bridge contract to the sandboxed page as `window.atrium`, and nothing else:
// no ipcRenderer, no Node. Each call is forwarded by name; main and the backend validate it.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, BRIDGE_IPC_CHANNEL, BRIDGE_NOTICE_CHANNEL, bridgeMethods, type BridgeNotice, type KioskBridge, type KioskBridgeCalls } from '../bridge';

const calls = Object.fromEntries(
  bridgeMethods.map((method) => [method, (input: unknown) => ipcRenderer.invoke(BRIDGE_IPC_CHANNEL, method, input)]),
) as unknown as KioskBridgeCalls;

const bridge: KioskBridge = {
  ...calls,
  onNotice(listener: (notice: BridgeNotice) => void) {
    const handler = (_event: IpcRendererEvent, notice: BridgeNotice) => listener(notice);
    ipcRenderer.on(BRIDGE_NOTICE_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(BRIDGE_NOTICE_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
