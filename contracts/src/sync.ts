import { Type, type Static } from '@sinclair/typebox';

/** Where a kiosk posts its batches (CloudEvents batch JSON, gzip allowed). */
export const UPLOAD_PATH = '/v1/events';
/** Where a kiosk pulls its content delta feed. */
export const CONTENT_FEED_PATH = '/v1/content';
/** The urgent channel (Server-Sent Events). */
export const URGENT_CHANNEL_PATH = '/v1/urgent';
/** The per-device OTA update feed (`latest-linux.yml` and the artefacts below it). */
export const UPDATE_FEED_PATH = '/v1/updates';

/** An event the gateway refused and dead-lettered; its sequence still counts as acknowledged. */
export const EventRejection = Type.Object({
  id: Type.String(),
  sequence: Type.Integer({ minimum: 1 }),
  code: Type.String(),
  reason: Type.String(),
});
export type EventRejection = Static<typeof EventRejection>;

/**
 * The gateway's answer to an upload. `ackedThrough` is the highest sequence up to which
 * Kafka has acknowledged every event (accepted or dead-lettered); the kiosk may mark
 * everything at or below it delivered and nothing above it.
 */
export const UploadResponse = Type.Object({
  ackedThrough: Type.Integer({ minimum: 0 }),
  accepted: Type.Integer({ minimum: 0 }),
  rejections: Type.Array(EventRejection),
  serverTime: Type.String({ format: 'date-time' }),
});
export type UploadResponse = Static<typeof UploadResponse>;

/** Content kinds the kiosk caches. */
export const ContentKind = Type.Union([
  Type.Literal('store'),
  Type.Literal('category'),
  Type.Literal('offer'),
  Type.Literal('map-node'),
  Type.Literal('map-edge'),
  Type.Literal('opening-hours'),
  Type.Literal('kiosk-config'),
]);
export type ContentKind = Static<typeof ContentKind>;

/** One upserted content item; `body` is validated by the kiosk's content cache per kind. */
export const ContentUpsert = Type.Object({
  kind: ContentKind,
  id: Type.String({ minLength: 1, maxLength: 128 }),
  version: Type.Integer({ minimum: 1 }),
  body: Type.Record(Type.String(), Type.Unknown()),
});
export type ContentUpsert = Static<typeof ContentUpsert>;

/**
 * One page of the content delta feed: everything changed since `cursor`, up to `nextCursor`.
 * The kiosk applies a page in one transaction and only then stores `nextCursor`.
 */
export const ContentPage = Type.Object({
  cursor: Type.String(),
  nextCursor: Type.String(),
  hasMore: Type.Boolean(),
  upserts: Type.Array(ContentUpsert),
  deletes: Type.Array(Type.Object({ kind: ContentKind, id: Type.String() })),
  serverTime: Type.String({ format: 'date-time' }),
});
export type ContentPage = Static<typeof ContentPage>;

/** A message on the urgent channel. */
export const UrgentMessage = Type.Union([
  Type.Object({
    kind: Type.Literal('emergency'),
    id: Type.String(),
    message: Type.Record(Type.String(), Type.String(), { description: 'text per language' }),
    until: Type.Optional(Type.String({ format: 'date-time' })),
  }),
  Type.Object({ kind: Type.Literal('emergency-cleared'), id: Type.String() }),
  Type.Object({ kind: Type.Literal('sync-now') }),
]);
export type UrgentMessage = Static<typeof UrgentMessage>;
