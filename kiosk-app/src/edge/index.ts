// The kiosk edge's public API: local store, transactional outbox, event clock, sync client.
// The kiosk UI (through main and the bridge), the browser shell and the fleet simulator build on this.
export { openKioskEdge, parseKioskEdgeConfig, KioskEdgeConfig, type KioskEdge } from './openKioskEdge';
export { openKioskStore, storeConfig } from './store/openKioskStore';
export { KioskStore, type StoreRecovery } from './store/kioskStore';
export { StoreConfig } from './store/storeConfig';
export { migrate, readMigrations, MIGRATIONS_DIR, type Migration, type MigrationReport } from './store/migrate';
export { Outbox, type AppendResult, type OutboxBatch } from './outbox/outbox';
export { OutboxConfig } from './outbox/outboxConfig';
export { KioskClock, systemClockSource, type ClockSource, type EventTimes } from './clock/kioskClock';
export { SyncClient, SyncClientConfig, type SyncClientOptions, type SyncStep } from './sync/syncClient';
export { HttpBatchUploader, type BatchUploader, type UploadOutcome, type ServerClockReading } from './sync/httpBatchUploader';
export { loadDevicePrivateKey, deviceSigningKey, DeviceKeyFile, readEnrolment, type EnrolledGateway } from './sync/deviceKey';
export { signDeviceRequest, contentDigest, type RequestToSign } from './sync/signRequest';
export { TransactionalMirror } from './store/transactionalMirror';
export type { SyncStatus, OutboxStats } from '../core/sync/syncStatus';
export type { SyncError, SyncErrorCode, HeadTrouble } from '../core/sync/syncMachine';
export type { PressureLevel, DropReason } from '../core/outbox/pressurePolicy';
