/**
 * How much of its size budget the kiosk's database uses. Pure: SQLite's page counts and the
 * WAL file's size are read by the edge and passed in.
 *
 * The budget counts the database on disk, not the event JSON alone: row and page overhead,
 * the content cache and the WAL all take space too. Pages on SQLite's freelist are left out:
 * they stay in the file, but SQLite reuses them before it grows the file, so they are room
 * for new events (the file itself only shrinks with VACUUM).
 *
 * Reading the sizes costs a query and a `stat`, so it is not done per append: the outbox adds
 * each appended event's bytes to the last measurement (rows grow the file by about that much)
 * and measures again once enough bytes were appended, or enough time passed (the content
 * cache grows the file without appending), and after every prune.
 */

/** The database file's pages as SQLite reports them (`page_count`, `freelist_count`, `page_size`). */
export interface PageCounts {
  pageCount: number;
  freelistCount: number;
  pageSize: number;
}

/** A measurement: what the budget counts, and the files' whole size. */
export interface DiskUse {
  /** Pages in use times the page size, plus the WAL file. */
  usedBytes: number;
  /** The database file (free pages included) plus the WAL file: what the disk holds. */
  fileBytes: number;
}

/** When the sizes are read again. */
export interface MeasurePolicy {
  /** After this many bytes of events appended since the last measurement. */
  measureEveryBytes: number;
  /** After this long since the last measurement (the next append measures). */
  measureEveryMs: number;
}

/** Turns page counts and the WAL file's size into disk use. */
export function diskUse(pages: PageCounts, walBytes: number): DiskUse {
  return {
    usedBytes: (pages.pageCount - pages.freelistCount) * pages.pageSize + walBytes,
    fileBytes: pages.pageCount * pages.pageSize + walBytes,
  };
}

/** The use to compare with the budget: the last measurement plus what was appended since. */
export function estimatedUse(measuredBytes: number, appendedSinceBytes: number): number {
  return measuredBytes + appendedSinceBytes;
}

/** Whether to measure again now (also when the clock went backwards past the last measurement). */
export function measureDue(appendedSinceBytes: number, measuredAtMs: number, nowMs: number, policy: MeasurePolicy): boolean {
  return appendedSinceBytes >= policy.measureEveryBytes || nowMs < measuredAtMs || nowMs - measuredAtMs >= policy.measureEveryMs;
}
