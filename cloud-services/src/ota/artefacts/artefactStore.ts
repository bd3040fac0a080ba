import type { Readable } from 'node:stream';

/** What the store computed while writing an artefact. */
export interface StoredArtefact {
  key: string;
  /** base64 SHA-512 of the bytes written. */
  sha512: string;
  size: number;
}

/**
 * Where release artefacts live: a local folder in development, an S3-compatible bucket in
 * production. Keys are `/`-separated paths such as `releases/stable/1.2.0/atrium-kiosk.AppImage`.
 */
export interface ArtefactStore {
  /**
   * Writes `body` under `key`, hashing as it goes. The artefact becomes visible only once complete
   * and matching `expected`; otherwise nothing is left behind and ARTEFACT_DIGEST_MISMATCH is thrown.
   */
  put(key: string, body: Readable, expected: { sha512: string; size: number }): Promise<StoredArtefact>;
  /** The size of a stored artefact, or null when there is none. */
  stat(key: string): Promise<{ size: number } | null>;
}
