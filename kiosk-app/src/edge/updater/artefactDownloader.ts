import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { UpdaterFetch } from './updateFeedClient';

/** What a finished download measured; the policy compares it with what the feed promised. */
export interface DownloadResult {
  path: string;
  /** base64 SHA-512 of the whole file, computed while writing it. */
  sha512: string;
  size: number;
}

/** A download stopped before the end (network, abort); the partial file is kept for resuming. */
export class DownloadInterrupted extends Error {
  override readonly name = 'DownloadInterrupted';
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** Hashes the bytes already on disk, so a resumed download still yields the digest of the whole file. */
async function hashExisting(path: string, hash: ReturnType<typeof createHash>, bytes: number): Promise<void> {
  if (bytes === 0) return;
  await pipeline(createReadStream(path, { start: 0, end: bytes - 1 }), new Transform({ transform: (chunk: Buffer, _e, done) => (hash.update(chunk), done()) }));
}

/**
 * Downloads `url` into `path` in the background, resuming a partial `path.part` with a Range
 * request. The server may ignore the range (200): the part is then started over. The file is
 * renamed into place only when complete; at most `expectedSize` bytes are ever written, so a
 * wrong or hostile answer cannot fill the disk. The digest is reported, not judged: the updater
 * policy decides whether it matches.
 */
export async function downloadArtefact(fetchFn: UpdaterFetch, url: string, path: string, expectedSize: number, signal?: AbortSignal): Promise<DownloadResult> {
  const part = `${path}.part`;
  await mkdir(dirname(path), { recursive: true });
  let have = await sizeOf(part);
  if (have > expectedSize) {
    await truncate(part, 0);
    have = 0;
  }
  let response: Response;
  try {
    response = await fetchFn(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, ...(signal ? { signal } : {}) });
  } catch (error) {
    throw new DownloadInterrupted(`download request failed: ${(error as Error).message}`, { cause: error });
  }
  if (response.status === 416 && have === expectedSize) {
    // The part is already whole (a crash between the last byte and the rename).
    await response.body?.cancel();
  } else if (response.status === 206 && have > 0) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== have) {
      await response.body?.cancel();
      await truncate(part, 0);
      throw new DownloadInterrupted(`server resumed at the wrong offset (${response.headers.get('content-range')}); starting over`);
    }
  } else if (response.status === 200) {
    if (have > 0) await truncate(part, 0);
    have = 0;
  } else {
    await response.body?.cancel();
    // A range the server cannot satisfy means the part is not a prefix of this artefact.
    if (response.status === 416) await truncate(part, 0);
    throw new DownloadInterrupted(`artefact download answered ${response.status}`);
  }

  const hash = createHash('sha512');
  await hashExisting(part, hash, have);
  let written = have;
  if (response.status !== 416 && response.body) {
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        if (written > expectedSize) return done(new Error(`the artefact is larger than the ${expectedSize} bytes the feed announced`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream), limit, createWriteStream(part, { flags: have > 0 ? 'a' : 'w' }));
    } catch (error) {
      if (written > expectedSize) {
        await truncate(part, 0);
        return { path: part, sha512: hash.digest('base64'), size: written };
      }
      throw new DownloadInterrupted(`download stopped after ${written} bytes: ${(error as Error).message}`, { cause: error });
    }
  }
  if (written < expectedSize) throw new DownloadInterrupted(`download ended after ${written} of ${expectedSize} bytes`);
  await rename(part, path);
  return { path, sha512: hash.digest('base64'), size: written };
}
