import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isProblem, type MaintenanceWindow, type Problem, type ReleaseChannel } from '@atrium/contracts';
import type { RolloutCommand } from '../domain/rolloutDecisions';
import type { NewRollout, RolloutView } from '../otaService';
import type { Release } from '../pg/releaseStore';
import type { Rollout } from '../domain/rollout';

/** A problem+json answer from the ops API. */
export class OtaApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = 'OtaApiError';
  }
}

/** base64 SHA-512 and size of a file, streamed (electron-updater's digest format). */
export async function fileDigest(path: string): Promise<{ sha512: string; size: number }> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(path), hash);
  return { sha512: hash.digest('base64'), size: (await stat(path)).size };
}

/** The ops API over HTTP, for the CLI (and anything else that scripts ops). */
export function otaApiClient(baseUrl: string, headers: Record<string, string> = {}) {
  const base = baseUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, body?: unknown, init: { stream?: Readable; contentType?: string } = {}): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.contentType ? { 'content-type': init.contentType } : {}) },
      body: init.stream ? (Readable.toWeb(init.stream) as ReadableStream) : body !== undefined ? JSON.stringify(body) : null,
      ...(init.stream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new OtaApiError(isProblem(parsed) ? parsed : { type: 'about:blank', title: response.statusText, status: response.status, code: 'INTERNAL', detail: text.slice(0, 500) });
    }
    return parsed as T;
  }

  return {
    /** Declares the release, then streams the file; the server checks size and sha512. */
    async uploadRelease(input: { file: string; version: string; channel: ReleaseChannel; releaseNotes?: string }): Promise<Release> {
      const { sha512, size } = await fileDigest(input.file);
      const declared = await call<Release>('POST', '/releases', {
        version: input.version,
        channel: input.channel,
        fileName: basename(input.file),
        sha512,
        size,
        ...(input.releaseNotes ? { releaseNotes: input.releaseNotes } : {}),
      });
      return call<Release>('PUT', `/releases/${encodeURIComponent(declared.releaseId)}/artefact`, undefined, {
        stream: createReadStream(input.file),
        contentType: 'application/octet-stream',
      });
    },
    listReleases: (channel?: ReleaseChannel) => call<Release[]>('GET', `/releases${channel ? `?channel=${channel}` : ''}`),
    createRollout: (input: NewRollout) => call<RolloutView>('POST', '/rollouts', input),
    command: (rolloutId: string, command: RolloutCommand) =>
      call<RolloutView>('POST', `/rollouts/${encodeURIComponent(rolloutId)}/${command.kind}`, command.reason ? { reason: command.reason } : {}),
    rollout: (rolloutId: string) => call<RolloutView>('GET', `/rollouts/${encodeURIComponent(rolloutId)}`),
    listRollouts: (status?: string) => call<Rollout[]>('GET', `/rollouts${status ? `?status=${status}` : ''}`),
    setWindow: (mallId: string, window: MaintenanceWindow) => call<MaintenanceWindow>('PUT', `/malls/${encodeURIComponent(mallId)}/maintenance-window`, window),
    getWindow: (mallId: string) => call<MaintenanceWindow>('GET', `/malls/${encodeURIComponent(mallId)}/maintenance-window`),
  };
}

/** The ops API client. */
export type OtaApiClient = ReturnType<typeof otaApiClient>;
