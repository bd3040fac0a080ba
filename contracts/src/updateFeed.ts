import { Type, type Static } from '@sinclair/typebox';

/** One file of an update, as electron-updater's `latest-linux.yml` lists it. */
export const UpdateFile = Type.Object({
  url: Type.String({ minLength: 1 }),
  sha512: Type.String({ minLength: 1, description: 'base64 of the SHA-512 digest' }),
  size: Type.Integer({ minimum: 0 }),
});

/** What a device should run now, in electron-updater's `latest-linux.yml` shape. */
export const UpdateInfo = Type.Object({
  version: Type.String(),
  files: Type.Array(UpdateFile, { minItems: 1 }),
  path: Type.String(),
  sha512: Type.String(),
  releaseDate: Type.String({ format: 'date-time' }),
  releaseNotes: Type.Optional(Type.String()),
  stagingPercentage: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
});
export type UpdateInfo = Static<typeof UpdateInfo>;
