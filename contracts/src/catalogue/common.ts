import { Type } from '@sinclair/typebox';

/** A shopper session: from the first touch to the idle reset. */
export const SessionId = Type.String({ format: 'uuid' });
export const Language = Type.Union([Type.Literal('en'), Type.Literal('es'), Type.Literal('ar')]);
export const EntityId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' });
export const Version = Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?$', maxLength: 64 });
