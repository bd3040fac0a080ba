import { Type, type Static } from '@sinclair/typebox';

export * from './updateRollout';

/** One file of an update, as electron-updater's `latest-linux.yml` lists it. */
export const UpdateFile = Type.Object({
  url: Type.String({ minLength: 1 }),
  sha512: Type.String({ minLength: 1, description: 'base64 of the SHA-512 digest' }),
  size: Type.Integer({ minimum: 0 }),
});

/** A day of the week, as a maintenance window names it. */
export const Weekday = Type.Union([
  Type.Literal('mon'),
  Type.Literal('tue'),
  Type.Literal('wed'),
  Type.Literal('thu'),
  Type.Literal('fri'),
  Type.Literal('sat'),
  Type.Literal('sun'),
]);
/** A day of the week, as a maintenance window names it. */
export type Weekday = Static<typeof Weekday>;

const WallClock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM, local wall-clock time' });

/**
 * A span of local time when a kiosk may install updates, for example while the mall is closed.
 * `end` before `start` crosses midnight; `days` names the day the span starts (all days if absent).
 */
export const MaintenanceSpan = Type.Object(
  {
    days: Type.Optional(Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true })),
    start: WallClock,
    end: WallClock,
  },
  { additionalProperties: false },
);
/** A span of local time when installing is allowed. */
export type MaintenanceSpan = Static<typeof MaintenanceSpan>;

/** A mall's maintenance window: spans in the mall's IANA time zone (DST follows the zone). */
export const MaintenanceWindow = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/London' }),
    spans: Type.Array(MaintenanceSpan, { minItems: 1, maxItems: 14 }),
  },
  { additionalProperties: false },
);
/** A mall's maintenance window. */
export type MaintenanceWindow = Static<typeof MaintenanceWindow>;

/** What a device should run now, in electron-updater's `latest-linux.yml` shape. */
export const UpdateInfo = Type.Object({
  version: Type.String(),
  files: Type.Array(UpdateFile, { minItems: 1 }),
  path: Type.String(),
  sha512: Type.String(),
  releaseDate: Type.String({ format: 'date-time' }),
  releaseNotes: Type.Optional(Type.String()),
  stagingPercentage: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  /** The rollout that brought this version, echoed back in `kiosk.update.*` reports. */
  rolloutId: Type.Optional(Type.String({ maxLength: 64 })),
  /** When the kiosk may install: its mall's maintenance window. */
  installWindow: Type.Optional(MaintenanceWindow),
});
export type UpdateInfo = Static<typeof UpdateInfo>;
