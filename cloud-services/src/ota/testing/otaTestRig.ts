import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { makeEvent, newEventId, type CatalogueEvent, type ValidEvent } from '@atrium/contracts';
import { localArtefactStore } from '../artefacts/localArtefactStore';
import { createOtaService, type OtaService } from '../otaService';
import type { Release } from '../pg/releaseStore';

/** A clock the test moves by hand; the service and the feed read the same one. */
export interface TestClock {
  now: () => Date;
  advance: (seconds: number) => void;
}

/** Starts at the real time (rows of other runs stay comparable) and moves only when told. */
export function testClock(): TestClock {
  let ms = Date.now();
  return { now: () => new Date(ms), advance: (s) => (ms += s * 1000) };
}

/** One int test's OTA world: its own run id (malls, versions), artefact folder, service and clock. */
export interface OtaRig {
  run: string;
  pool: pg.Pool;
  artefactRoot: string;
  clock: TestClock;
  service: OtaService;
  /** Declares and uploads a release of `bytes` random bytes; returns it ready. */
  release(version: string, bytes?: number): Promise<Release & { bytes: Buffer }>;
  close(): Promise<void>;
}

/** Builds the rig over the shared test stack's PostgreSQL. */
export async function otaRig(postgresUrl: string): Promise<OtaRig> {
  const run = randomUUID().slice(0, 8);
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 8 });
  const artefactRoot = await mkdtemp(join(tmpdir(), 'atrium-ota-'));
  const clock = testClock();
  const service = createOtaService({ pool, artefacts: localArtefactStore(artefactRoot), now: clock.now });
  return {
    run,
    pool,
    artefactRoot,
    clock,
    service,
    async release(version, size = 64 * 1024) {
      const bytes = randomBytes(size);
      const sha512 = createHash('sha512').update(bytes).digest('base64');
      const declared = await service.createRelease({ channel: 'stable', version, fileName: `atrium-kiosk-${version}-x86_64.AppImage`, sha512, size, releaseNotes: `Release ${version}` });
      const ready = await service.uploadArtefact(declared.releaseId, Readable.from([bytes]));
      return { ...ready, bytes };
    },
    async close() {
      await pool.end();
      await rm(artefactRoot, { recursive: true, force: true });
    },
  };
}

/** A simulated kiosk's event log: contiguous sequences, as the edge outbox numbers them. */
export function kioskReporter(kioskId: string, now: () => Date) {
  let sequence = 0;
  return (event: CatalogueEvent): ValidEvent => {
    sequence += 1;
    return makeEvent(event, { id: newEventId(), kioskId, sequence, time: now().toISOString() });
  };
}
