// The bridge contract: types and schemas only, shared by renderer, preload, main and shell.
export * from './bridgeResult';
export * from './bridgeTypes';
export * from './bridgeCalls';
export * from './kioskBridge';
export * from './dispatchBridgeCall';
