import type { Logger } from '../log/logger';
import type { OtaService } from './otaService';

/** A running scheduler; `stop` waits for the pass in flight. */
export interface RolloutScheduler {
  stop(): Promise<void>;
}

/**
 * Runs the OTA service's tick every `intervalMs`, one pass at a time. A failed pass (database
 * away) is logged and the next one tries again; stage waits are measured from stored times, so
 * a late pass only advances late, never skips a stage.
 */
export function startRolloutScheduler(service: Pick<OtaService, 'tick'>, options: { intervalMs: number; log: Logger }): RolloutScheduler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const pass = async () => {
    try {
      for (const change of await service.tick()) {
        options.log.info({ rolloutId: change.rolloutId, ...change.transition }, `rollout ${change.transition.action}`);
      }
    } catch (error) {
      options.log.error({ err: error }, 'rollout scheduler pass failed; retrying next interval');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = pass().finally(schedule);
    }, options.intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
