import { resolve } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { CloudConfig } from '../config/cloudConfig';
import type { CloudConnections } from '../runtime/cloudConnections';
import { otaOpsPlugin } from './api/otaOpsPlugin';
import { localArtefactStore } from './artefacts/localArtefactStore';
import { createOtaService, type OtaService } from './otaService';

/** Where the OTA ops routes live in the ops API. */
export const OTA_OPS_PREFIX = '/ops/ota';

/**
 * The OTA service of the cloud services process: the shared PostgreSQL pool and the configured
 * artefact folder (resolved against the working directory once, at start).
 */
export function otaServiceFor(config: CloudConfig, connections: CloudConnections): OtaService {
  return createOtaService({ pool: connections.pg(), artefacts: localArtefactStore(resolve(config.ota.artefactDir)) });
}

/** The OTA ops routes under `/ops/ota`, as one of the ops API's route plugins (its error handler applies). */
export function otaRoutes(service: OtaService): FastifyPluginAsync {
  return async (app) => {
    await app.withTypeProvider<TypeBoxTypeProvider>().register(otaOpsPlugin, { prefix: OTA_OPS_PREFIX, service });
  };
}
