import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Kept next to the database, outside it, so it survives the database being lost. */
export const FLOOR_FILE_NAME = 'outbox-floor.json';

/**
 * The highest sequence the kiosk has ever put on the wire. If the database is lost, new
 * events must not reuse a number the gateway may already hold (it would deduplicate them
 * away), so the outbox never restarts below this floor.
 */
export interface SequenceFloor {
  sentThrough: number;
}

/** Reads the floor, or 0 when there is none or it is unreadable. */
export function readSequenceFloor(dataDir: string): SequenceFloor {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, FLOOR_FILE_NAME), 'utf8')) as Partial<SequenceFloor>;
    return { sentThrough: Number.isSafeInteger(parsed.sentThrough) ? parsed.sentThrough! : 0 };
  } catch {
    return { sentThrough: 0 };
  }
}

/** Writes the floor durably (write, fsync, rename), once per upload. */
export function writeSequenceFloor(dataDir: string, floor: SequenceFloor): void {
  const target = join(dataDir, FLOOR_FILE_NAME);
  const temp = `${target}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(floor));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
}
