import { Type } from '@sinclair/typebox';
import { MaintenanceWindow, ReleaseChannel, RolloutStatus } from '@atrium/contracts';
import { RolloutStage, RolloutTarget, RolloutThresholds } from '../domain/rollout';

const Version = Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?$', maxLength: 64 });
const Sha512Base64 = Type.String({ pattern: '^[A-Za-z0-9+/]{86}==$', description: 'base64 SHA-512, as electron-updater checks it' });
const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** Body of POST /releases: the release declared before its artefact is uploaded. */
export const CreateReleaseBody = Type.Object(
  {
    version: Version,
    channel: ReleaseChannel,
    fileName: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$' }),
    sha512: Sha512Base64,
    size: Type.Integer({ minimum: 1, maximum: 4 * 1024 ** 3 }),
    releaseNotes: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);

/** A release as the API shows it. */
export const ReleaseView = Type.Object({
  releaseId: Type.String(),
  channel: ReleaseChannel,
  version: Type.String(),
  fileName: Type.String(),
  artefactKey: Type.String(),
  sha512: Type.String(),
  size: Type.Integer(),
  releaseNotes: Nullable(Type.String()),
  status: Type.Union([Type.Literal('pending'), Type.Literal('ready')]),
  createdAt: Type.String(),
  readyAt: Nullable(Type.String()),
});

/** Body of POST /rollouts. */
export const CreateRolloutBody = Type.Object(
  {
    releaseId: Id,
    target: Type.Optional(Type.Partial(RolloutTarget)),
    stages: Type.Array(RolloutStage, { minItems: 1, maxItems: 20 }),
    thresholds: Type.Optional(Type.Partial(RolloutThresholds)),
  },
  { additionalProperties: false },
);

/** Body of the pause, resume, cancel and rollback commands. */
export const CommandBody = Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false });

const Counts = {
  pending: Type.Integer(),
  downloaded: Type.Integer(),
  installed: Type.Integer(),
  failed: Type.Integer(),
};

/** A rollout, its progress per stage and its history. */
export const RolloutView = Type.Object({
  rollout: Type.Object({
    rolloutId: Type.String(),
    releaseId: Type.String(),
    version: Type.String(),
    channel: ReleaseChannel,
    target: RolloutTarget,
    stages: Type.Array(RolloutStage),
    thresholds: RolloutThresholds,
    status: RolloutStatus,
    statusReason: Nullable(Type.String()),
    currentStage: Type.Integer(),
    stageStartedAt: Type.String(),
    createdAt: Type.String(),
  }),
  progress: Type.Object({
    stages: Type.Array(Type.Object({ stage: Type.Integer(), percent: Type.Number(), open: Type.Boolean(), devices: Type.Integer(), ...Counts })),
    reached: Type.Object({ devices: Type.Integer(), ...Counts }),
    reports: Type.Object({ installed: Type.Integer(), failed: Type.Integer(), total: Type.Integer() }),
  }),
  history: Type.Array(
    Type.Object({
      at: Type.String(),
      action: Type.String(),
      from: RolloutStatus,
      to: RolloutStatus,
      stage: Type.Integer(),
      reason: Type.String(),
      actor: Type.String(),
    }),
  ),
});

/** Path parameters. */
export const ReleaseParams = Type.Object({ releaseId: Id });
export const RolloutParams = Type.Object({ rolloutId: Id });
export const MallParams = Type.Object({ mallId: Id });
export const ChannelQuery = Type.Object({ channel: Type.Optional(ReleaseChannel) });
export const StatusQuery = Type.Object({ status: Type.Optional(RolloutStatus) });

export { MaintenanceWindow };
