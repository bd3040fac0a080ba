import { stringify } from 'yaml';
import type { DeviceReleaseChoice, MaintenanceWindow, UpdateInfo } from '@atrium/contracts';

/** Where a release's artefact is downloaded from, relative to the feed (electron-updater resolves it). */
export function artefactPath(releaseId: string, fileName: string): string {
  return `artefacts/${encodeURIComponent(releaseId)}/${encodeURIComponent(fileName)}`;
}

/** The UpdateInfo a device gets for its release choice. */
export function updateInfoFor(choice: DeviceReleaseChoice, installWindow: MaintenanceWindow | null): UpdateInfo {
  const { release } = choice;
  const url = artefactPath(release.releaseId, release.fileName);
  return {
    version: release.version,
    files: [{ url, sha512: release.sha512, size: release.size }],
    path: url,
    sha512: release.sha512,
    releaseDate: release.releasedAt,
    ...(release.releaseNotes ? { releaseNotes: release.releaseNotes } : {}),
    rolloutId: choice.rolloutId,
    ...(installWindow ? { installWindow } : {}),
  };
}

/**
 * `latest-linux.yml` text. Written as YAML 1.1, the dialect electron-updater's js-yaml reads, so
 * a string that 1.1 would take for a timestamp or number (releaseDate, a version) is quoted.
 */
export function latestLinuxYml(info: UpdateInfo): string {
  return stringify(info, { version: '1.1', lineWidth: 0 });
}
