import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { UpdateInfo, type MaintenanceWindow } from '@atrium/contracts';
import type { UpdateTarget } from '../../core/updater/updaterState';

/** The fetch the updater uses; the edge passes one that signs requests with the device key. */
export type UpdaterFetch = (url: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<Response>;

/** What one feed check found. */
export interface FeedCheck {
  target: UpdateTarget | null;
  installWindow: MaintenanceWindow | null;
}

/** The feed's answer could not be used (bad status, not YAML, not an UpdateInfo). */
export class FeedError extends Error {
  override readonly name = 'FeedError';
}

/** Header in which the kiosk states the version it runs (the gateway records it). */
export const APP_VERSION_HEADER = 'x-atrium-app-version';

/** Resolves the artefact URL the feed named against the feed's own URL, as electron-updater does. */
export function artefactUrl(feedUrl: string, fileUrl: string): string {
  const base = feedUrl.endsWith('/') ? feedUrl : `${feedUrl}/`;
  return new URL(fileUrl, base).href;
}

/**
 * Asks the per-device feed what this kiosk should run. 404 means nothing is meant for it; the
 * answer is checked against the UpdateInfo contract before anything acts on it.
 */
export async function checkUpdateFeed(fetchFn: UpdaterFetch, feedUrl: string, runningVersion: string, signal?: AbortSignal): Promise<FeedCheck> {
  const url = artefactUrl(feedUrl, 'latest-linux.yml');
  const response = await fetchFn(url, { headers: { [APP_VERSION_HEADER]: runningVersion, 'cache-control': 'no-cache' }, ...(signal ? { signal } : {}) });
  if (response.status === 404) {
    await response.body?.cancel();
    return { target: null, installWindow: null };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FeedError(`update feed answered ${response.status}`);
  }
  let info: unknown;
  try {
    info = parse(await response.text());
  } catch (error) {
    throw new FeedError(`update feed answer is not YAML: ${(error as Error).message}`);
  }
  if (!Value.Check(UpdateInfo, info)) {
    const first = [...Value.Errors(UpdateInfo, info)][0];
    throw new FeedError(`update feed answer is not an UpdateInfo${first ? ` (${first.path}: ${first.message})` : ''}`);
  }
  const file = info.files[0]!;
  return {
    target: { version: info.version, url: artefactUrl(feedUrl, file.url), sha512: file.sha512, size: file.size, ...(info.rolloutId ? { rolloutId: info.rolloutId } : {}) },
    installWindow: info.installWindow ?? null,
  };
}
