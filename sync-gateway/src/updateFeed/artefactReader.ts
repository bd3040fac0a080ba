import { createReadStream } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** Reads release artefacts from the object store (a local folder here; S3-compatible in production). */
export interface ArtefactReader {
  /** The bytes of `key` from `start` to `end`, both inclusive (a byte range as HTTP counts it). */
  read(key: string, range?: { start: number; end: number }): Readable;
}

/** An artefact reader over the local object-store folder that cloud-services/src/ota writes. */
export function localArtefactReader(root: string): ArtefactReader {
  const base = resolve(root);
  return {
    read(key, range) {
      const path = resolve(base, ...key.split('/'));
      if (!path.startsWith(base + sep)) throw new Error(`artefact key '${key}' leaves the store`);
      return createReadStream(path, range ? { start: range.start, end: range.end } : {});
    },
  };
}
