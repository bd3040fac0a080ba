import { Type } from '@sinclair/typebox';
import { defineEvent } from './defineEvent';
import { Version } from './common';

export const heartbeat = defineEvent({
  type: 'kiosk.heartbeat',
  schemaVersion: 1,
  deliveryClass: 'telemetry',
  description: 'The kiosk is alive: its version, uptime and queue depth.',
  data: Type.Object(
    {
      version: Version,
      uptimeS: Type.Integer({ minimum: 0 }),
      queueDepth: Type.Integer({ minimum: 0 }),
      sessionActive: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
});

export const healthReported = defineEvent({
  type: 'kiosk.health.reported',
  schemaVersion: 1,
  deliveryClass: 'telemetry',
  description: "A snapshot of the kiosk's health.",
  data: Type.Object(
    {
      rendererUp: Type.Boolean(),
      memoryRssBytes: Type.Integer({ minimum: 0 }),
      diskFreeBytes: Type.Integer({ minimum: 0 }),
      databaseBytes: Type.Integer({ minimum: 0 }),
      vpnHandshakeAgeS: Type.Optional(Type.Integer({ minimum: 0 })),
      clockOffsetMs: Type.Optional(Type.Integer()),
    },
    { additionalProperties: false },
  ),
});

const UpdateData = Type.Object(
  {
    version: Version,
    fromVersion: Type.Optional(Version),
    rolloutId: Type.Optional(Type.String({ maxLength: 64 })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

function updateEvent<T extends string>(type: T, description: string) {
  return defineEvent({ type, schemaVersion: 1, deliveryClass: 'business', description, data: UpdateData });
}

export const updateAvailable = updateEvent('kiosk.update.available', 'The update feed offered a new version.');
export const updateDownloaded = updateEvent('kiosk.update.downloaded', 'The new version was downloaded and its sha512 verified.');
export const updateInstalling = updateEvent('kiosk.update.installing', 'The kiosk is idle and inside its window: installing.');
export const updateInstalled = updateEvent('kiosk.update.installed', 'The new version started and passed its health check.');
export const updateFailed = updateEvent('kiosk.update.failed', 'An update step failed; `reason` says which and why.');
export const updateRolledBack = updateEvent('kiosk.update.rolledback', 'The health check failed after an update; the previous version is back.');

export const outboxPressure = defineEvent({
  type: 'kiosk.outbox.pressure',
  schemaVersion: 1,
  deliveryClass: 'business',
  description: "The kiosk's store is nearing its size budget.",
  data: Type.Object(
    {
      level: Type.Union([Type.Literal('warning'), Type.Literal('critical'), Type.Literal('cleared')]),
      usedBytes: Type.Integer({ minimum: 0 }),
      budgetBytes: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false },
  ),
});

export const eventsDropped = defineEvent({
  type: 'kiosk.events.dropped',
  schemaVersion: 1,
  deliveryClass: 'business',
  description: 'Telemetry was dropped or coalesced under storage pressure: how many, of which types.',
  data: Type.Object(
    {
      reason: Type.Union([Type.Literal('storage-pressure'), Type.Literal('coalesced')]),
      countsByType: Type.Record(Type.String({ pattern: '^[a-z]+(\\.[a-z]+)+$' }), Type.Integer({ minimum: 1 })),
      firstTime: Type.String({ format: 'date-time' }),
      lastTime: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
});

export const storeRecovered = defineEvent({
  type: 'kiosk.store.recovered',
  schemaVersion: 1,
  deliveryClass: 'business',
  description: "The kiosk's database failed its integrity check; it was kept aside and a fresh one started.",
  data: Type.Object(
    { reason: Type.String({ maxLength: 1000 }), quarantinedFile: Type.String({ maxLength: 512 }) },
    { additionalProperties: false },
  ),
});
