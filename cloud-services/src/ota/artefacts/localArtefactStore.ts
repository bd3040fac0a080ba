import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AtriumError } from '@atrium/contracts';
import type { ArtefactStore, StoredArtefact } from './artefactStore';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** The file under `root` that `key` names; refuses keys that could leave the folder. */
export function artefactPath(root: string, key: string): string {
  if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new AtriumError('VALIDATION_FAILED', `artefact key '${key}' is not a plain relative path`);
  }
  const path = resolve(root, ...key.split('/'));
  if (!path.startsWith(resolve(root) + sep)) throw new AtriumError('VALIDATION_FAILED', `artefact key '${key}' leaves the store`);
  return path;
}

/**
 * An object-store folder on local disk (the layout an S3 bucket would have). Writes go to a
 * temporary file in the same folder and are renamed into place only when size and sha512 match,
 * so a reader never sees half an artefact.
 */
export function localArtefactStore(root: string): ArtefactStore {
  return {
    async put(key, body: Readable, expected): Promise<StoredArtefact> {
      const target = artefactPath(root, key);
      await mkdir(dirname(target), { recursive: true });
      const temp = join(dirname(target), `.upload-${randomUUID()}`);
      const hash = createHash('sha512');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size > expected.size) {
            done(new AtriumError('ARTEFACT_DIGEST_MISMATCH', `the upload is larger than the declared ${expected.size} bytes`));
            return;
          }
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, meter, createWriteStream(temp, { flags: 'wx', mode: 0o644 }));
        const sha512 = hash.digest('base64');
        if (size !== expected.size) throw new AtriumError('ARTEFACT_DIGEST_MISMATCH', `received ${size} bytes, declared ${expected.size}`);
        if (sha512 !== expected.sha512) throw new AtriumError('ARTEFACT_DIGEST_MISMATCH', 'the sha512 of the received bytes differs from the declared one');
        await rename(temp, target);
        return { key, sha512, size };
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async stat(key) {
      try {
        const s = await stat(artefactPath(root, key));
        return s.isFile() ? { size: s.size } : null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}
