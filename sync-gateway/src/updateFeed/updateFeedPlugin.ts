import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AtriumError, type MaintenanceWindow } from '@atrium/contracts';
import type { ArtefactReader } from './artefactReader';
import { decideRange } from './byteRange';
import { latestLinuxYml, updateInfoFor } from './latestYml';
import type { FeedIdentity, UpdateFeedSource } from './updateFeedSource';

/** Options of the per-device update feed. */
export interface UpdateFeedPluginOptions {
  /** The polling device, from the gateway's device authentication (e.g. `requireDevice`). */
  identify: (request: FastifyRequest) => FeedIdentity;
  /** onRequest hook that authenticates the device (the gateway's `authenticateDevice`). */
  authenticate?: (request: FastifyRequest) => Promise<void>;
  source: UpdateFeedSource;
  artefacts: ArtefactReader;
  /** Sent when the device's mall has no maintenance window of its own. */
  defaultInstallWindow?: MaintenanceWindow;
  now?: () => Date;
}

const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
/** Header in which the kiosk updater states the version it runs (recorded, never trusted for decisions). */
export const APP_VERSION_HEADER = 'x-atrium-app-version';

function runningVersion(request: FastifyRequest): string | null {
  const value = request.headers[APP_VERSION_HEADER];
  return typeof value === 'string' && VERSION.test(value) && value.length <= 64 ? value : null;
}

const etagOf = (sha512: string) => `"sha512-${sha512.slice(0, 43)}"`;

/**
 * The per-device update feed in electron-updater's generic-provider format: `latest-linux.yml`
 * says which version this device should run now (staged rollouts decide, see
 * `chooseDeviceRelease`), and `artefacts/:releaseId/:fileName` serves the file with single byte
 * ranges so an interrupted download resumes. Register with a prefix, e.g.
 * `app.register(updateFeedPlugin, { prefix: '/v1/updates', identify, authenticate, source, artefacts })`.
 * Errors are thrown as AtriumError for the gateway's problem handler.
 */
export const updateFeedPlugin: FastifyPluginAsync<UpdateFeedPluginOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  if (options.authenticate) app.addHook('onRequest', options.authenticate);

  const feed = async (request: FastifyRequest, reply: FastifyReply) => {
    const identity = options.identify(request);
    const device = { deviceId: identity.deviceId, kioskId: identity.kioskId, mallId: identity.mallId, tags: identity.tags ?? [], channel: identity.channel ?? 'stable', runningVersion: runningVersion(request) };
    const answer = await options.source.answer(device, now());
    if (!answer.choice) throw new AtriumError('NOT_FOUND', 'no release is meant for this device yet');
    const info = updateInfoFor(answer.choice, answer.installWindow ?? options.defaultInstallWindow ?? null);
    // Per device and changing with every stage: nothing on the way may cache it.
    return reply.header('cache-control', 'no-store').type('text/yaml; charset=utf-8').send(latestLinuxYml(info));
  };
  // electron-updater asks for `<channel>-linux.yml`; the device's channel is decided here, not by the file name.
  app.get('/latest-linux.yml', feed);
  app.get('/beta-linux.yml', feed);

  app.get<{ Params: { releaseId: string; fileName: string } }>('/artefacts/:releaseId/:fileName', async (request, reply) => {
    options.identify(request);
    const { releaseId, fileName } = request.params;
    const artefact = await options.source.artefact(releaseId, fileName);
    if (!artefact) throw new AtriumError('NOT_FOUND', `no artefact ${fileName} in release ${releaseId}`);
    const etag = etagOf(artefact.sha512);
    const ifRange = request.headers['if-range'];
    const decision = decideRange(artefact.size, etag, request.headers.range, typeof ifRange === 'string' ? ifRange : undefined);
    void reply.header('accept-ranges', 'bytes').header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable').type('application/octet-stream');
    switch (decision.kind) {
      case 'full':
        return reply.header('content-length', artefact.size).send(options.artefacts.read(artefact.key));
      case 'partial':
        return reply
          .code(206)
          .header('content-range', `bytes ${decision.start}-${decision.end}/${artefact.size}`)
          .header('content-length', decision.end - decision.start + 1)
          .send(options.artefacts.read(artefact.key, { start: decision.start, end: decision.end }));
      case 'unsatisfiable':
        void reply.header('content-range', `bytes */${artefact.size}`);
        throw new AtriumError('RANGE_NOT_SATISFIABLE', `the artefact has ${artefact.size} bytes`);
      default: {
        const never: never = decision;
        throw new Error(`unhandled range decision ${JSON.stringify(never)}`);
      }
    }
  });
};
