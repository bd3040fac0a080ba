import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Problem, type ErrorCode, errorCatalogue } from '@atrium/contracts';
import type { FastifyRequest } from 'fastify';
import type { OtaService } from '../otaService';
import {
  ChannelQuery,
  CommandBody,
  CreateReleaseBody,
  CreateRolloutBody,
  MaintenanceWindow,
  MallParams,
  ReleaseParams,
  ReleaseView,
  RolloutParams,
  RolloutView,
  StatusQuery,
} from './otaSchemas';

/** Options of the ops API plugin. */
export interface OtaOpsPluginOptions {
  service: OtaService;
  /** onRequest hook that authenticates ops (the cloud app's ops auth); none in tests. */
  authenticate?: (request: FastifyRequest) => Promise<void>;
  /** Who is acting, for the rollout history. */
  actorOf?: (request: FastifyRequest) => string;
}

function problems(...codes: ErrorCode[]): Record<number, typeof Problem> {
  const out: Record<number, typeof Problem> = {};
  for (const code of [...codes, 'INTERNAL' as const]) out[errorCatalogue[code].status] = Problem;
  return out;
}

const COMMANDS = ['pause', 'resume', 'cancel', 'rollback'] as const;

/**
 * The OTA ops API: releases (declare, then upload the artefact), rollouts (create, pause, resume,
 * cancel, roll back, progress per stage) and per-mall maintenance windows. Register it with a
 * prefix, e.g. `app.register(otaOpsPlugin, { prefix: '/ops/ota', service })`, in an app whose
 * error handler is the ops API's one (`http/problemHandler.ts`): errors here are thrown as
 * catalogued `AtriumError`s and become problem+json there.
 */
export const otaOpsPlugin: FastifyPluginAsyncTypebox<OtaOpsPluginOptions> = async (app, options) => {
  const { service } = options;
  const actorOf = options.actorOf ?? (() => 'ops');
  if (options.authenticate) app.addHook('onRequest', options.authenticate);
  // Artefacts arrive as a raw stream and are hashed on the way to the store, never buffered.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.post('/releases', {
    schema: { summary: 'Declare a release (then PUT its artefact)', body: CreateReleaseBody, response: { 201: ReleaseView, ...problems('VALIDATION_FAILED', 'CONFLICT') } },
  }, async (request, reply) => reply.code(201).send(await service.createRelease(request.body)));

  app.put('/releases/:releaseId/artefact', {
    schema: {
      summary: 'Upload the release artefact (application/octet-stream); checked against the declared size and sha512',
      params: ReleaseParams,
      response: { 200: ReleaseView, ...problems('NOT_FOUND', 'ARTEFACT_DIGEST_MISMATCH', 'UNSUPPORTED_MEDIA_TYPE') },
    },
  }, async (request) => service.uploadArtefact(request.params.releaseId, request.body as Readable));

  app.get('/releases', { schema: { querystring: ChannelQuery, response: { 200: Type.Array(ReleaseView) } } }, async (request) => service.listReleases(request.query.channel));

  app.get('/releases/:releaseId', { schema: { params: ReleaseParams, response: { 200: ReleaseView, ...problems('NOT_FOUND') } } }, async (request) =>
    service.getRelease(request.params.releaseId),
  );

  app.post('/rollouts', {
    schema: { summary: 'Start a staged rollout of a ready release', body: CreateRolloutBody, response: { 201: RolloutView, ...problems('VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT') } },
  }, async (request, reply) => {
    const { releaseId, stages, target, thresholds } = request.body;
    const view = await service.createRollout({ releaseId, stages, ...(target ? { target } : {}), ...(thresholds ? { thresholds } : {}) }, actorOf(request));
    return reply.code(201).send(view);
  });

  app.get('/rollouts', { schema: { querystring: StatusQuery, response: { 200: Type.Array(RolloutView.properties.rollout) } } }, async (request) =>
    service.listRollouts(request.query.status),
  );

  app.get('/rollouts/:rolloutId', {
    schema: { summary: 'A rollout with its progress per stage (pending, downloaded, installed, failed)', params: RolloutParams, response: { 200: RolloutView, ...problems('NOT_FOUND') } },
  }, async (request) => service.view(request.params.rolloutId));

  for (const kind of COMMANDS) {
    app.post(`/rollouts/:rolloutId/${kind}`, {
      schema: { summary: `${kind} a rollout`, params: RolloutParams, body: CommandBody, response: { 200: RolloutView, ...problems('NOT_FOUND', 'CONFLICT') } },
      // A bare POST (no body, no reason) is a complete command.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    }, async (request) => service.command(request.params.rolloutId, { kind, ...(request.body.reason ? { reason: request.body.reason } : {}) }, actorOf(request)));
  }

  app.put('/malls/:mallId/maintenance-window', {
    schema: { summary: "Set a mall's maintenance window (local time in its IANA zone)", params: MallParams, body: MaintenanceWindow, response: { 200: MaintenanceWindow, ...problems('VALIDATION_FAILED') } },
  }, async (request) => service.setMaintenanceWindow(request.params.mallId, request.body));

  app.get('/malls/:mallId/maintenance-window', { schema: { params: MallParams, response: { 200: MaintenanceWindow, ...problems('NOT_FOUND') } } }, async (request) =>
    service.getMaintenanceWindow(request.params.mallId),
  );
};
