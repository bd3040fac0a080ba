import { isRecordAlive, readProcessRecords, removeProcessRecord, type ProcessRecord } from '../process/processRecord';
import type { StackConfig } from '../stackConfig';

/** Records of one service's processes that are still running; stale records are removed. */
export function liveRecords(config: StackConfig, service: string): ProcessRecord[] {
  const live: ProcessRecord[] = [];
  for (const record of readProcessRecords(config.pidsDir)) {
    if (record.service !== service) continue;
    if (isRecordAlive(record)) live.push(record);
    else removeProcessRecord(config.pidsDir, record.name);
  }
  return live;
}

/** Error text of a failed probe, short enough for a status line. */
export function shortError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 120);
}
