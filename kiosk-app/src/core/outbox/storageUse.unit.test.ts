import { describe, expect, it } from 'vitest';
import { diskUse, estimatedUse, measureDue } from './storageUse';

const policy = { measureEveryBytes: 64 * 1024, measureEveryMs: 60_000 };

describe('storage use', () => {
  it('given page counts and a WAL file, then the budget counts the pages in use and the WAL, and the file size counts the free pages too', () => {
    expect(diskUse({ pageCount: 1_000, freelistCount: 400, pageSize: 4_096 }, 100_000)).toEqual({ usedBytes: 600 * 4_096 + 100_000, fileBytes: 1_000 * 4_096 + 100_000 });
  });

  it('given events appended since the last reading, then they are added to it until the next', () => {
    expect(estimatedUse(5_000_000, 12_345)).toBe(5_012_345);
  });

  it('given too few bytes appended and too little time passed, then no reading is due; enough of either makes one due', () => {
    expect(measureDue(1_000, 10_000, 20_000, policy)).toBe(false);
    expect(measureDue(64 * 1024, 10_000, 10_001, policy)).toBe(true);
    expect(measureDue(0, 10_000, 70_000, policy)).toBe(true);
  });

  it('given the clock set back past the last reading, then a reading is due (never a wait that long)', () => {
    expect(measureDue(0, 10_000, 9_000, policy)).toBe(true);
  });
});
