import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatedIdentity, type SimulatedKioskIdentity } from './provisionDevice';

/** What a simulation run leaves behind for the audit: which kiosks, where their SQLite files are. */
export interface SimulationManifest {
  mallId: string;
  createdAt: string;
  kiosks: SimulatedKioskIdentity[];
}

/** The manifest's path in a run folder. */
export function manifestPath(runDir: string): string {
  return join(runDir, 'manifest.json');
}

/** Reads a run folder's manifest (undefined when there is none yet). */
export function readManifest(runDir: string): SimulationManifest | undefined {
  const path = manifestPath(runDir);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as SimulationManifest;
}

/**
 * The manifest of a run folder with at least kiosks `first..first+count-1` of `mallId` in it,
 * written atomically (temp file + rename) when it grew. Kiosks already listed keep their entry.
 */
export function ensureManifest(runDir: string, mallId: string, first: number, count: number): SimulationManifest {
  mkdirSync(runDir, { recursive: true });
  const current = readManifest(runDir) ?? { mallId, createdAt: new Date().toISOString(), kiosks: [] };
  if (current.mallId !== mallId) throw new Error(`${runDir} holds a simulation of mall ${current.mallId}, not ${mallId}`);
  const known = new Set(current.kiosks.map((k) => k.kioskId));
  let grew = false;
  for (let n = first; n < first + count; n += 1) {
    const identity = simulatedIdentity(runDir, mallId, n);
    if (!known.has(identity.kioskId)) {
      current.kiosks.push(identity);
      grew = true;
    }
  }
  if (grew || !existsSync(manifestPath(runDir))) {
    const temp = `${manifestPath(runDir)}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(current, null, 2)}\n`);
    renameSync(temp, manifestPath(runDir));
  }
  return current;
}

/** Kiosks `first..first+count-1` of a manifest, by their number. */
export function manifestKiosks(manifest: SimulationManifest, first: number, count: number): SimulatedKioskIdentity[] {
  const wanted = new Set(Array.from({ length: count }, (_, i) => simulatedIdentity('', manifest.mallId, first + i).kioskId));
  return manifest.kiosks.filter((k) => wanted.has(k.kioskId));
}
