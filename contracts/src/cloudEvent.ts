import { Type, type Static } from '@sinclair/typebox';

/** The CloudEvents spec version every Atrium event carries. */
export const SPEC_VERSION = '1.0';

/** Kiosk ids are short, stable, URL-safe names such as `mall-01-k007`. */
export const KioskId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', description: 'kiosk id' });

/** The `source` a kiosk must use: its own URN, so one kiosk cannot speak for another. */
export function kioskSource(kioskId: string): string {
  return `urn:atrium:kiosk:${kioskId}`;
}

/** `dataschema` names the event type and the version of its schema. */
export function dataSchemaUri(type: string, schemaVersion: number): string {
  return `urn:atrium:schema:${type}:${schemaVersion}`;
}

/**
 * The CloudEvents 1.0 envelope with Atrium's extensions, without `data`:
 * `kioskid` and `sequence` (gapless per kiosk, from 1), and `rawtime`, the kiosk's own
 * clock reading when `time` was corrected by the server's clock.
 */
export const CloudEventEnvelope = Type.Object(
  {
    specversion: Type.Literal(SPEC_VERSION),
    id: Type.String({ format: 'uuid', description: 'UUIDv7, made once when the event is recorded' }),
    source: Type.String({ minLength: 1, maxLength: 256 }),
    type: Type.String({ pattern: '^[a-z]+(\\.[a-z]+)+$', maxLength: 128 }),
    time: Type.String({ format: 'date-time' }),
    datacontenttype: Type.Literal('application/json'),
    dataschema: Type.String({ minLength: 1, maxLength: 256 }),
    kioskid: KioskId,
    sequence: Type.Integer({ minimum: 1 }),
    rawtime: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

/** The envelope fields of an Atrium CloudEvent. */
export type CloudEventEnvelope = Static<typeof CloudEventEnvelope>;

/** An Atrium CloudEvent whose `data` has not been checked against the catalogue yet. */
export interface AtriumCloudEvent<TType extends string = string, TData = unknown> extends CloudEventEnvelope {
  type: TType;
  data: TData;
}
