import type { StackEndpoints } from './stackEndpoints';

/** A process of ours (gateway, writer, …) that `npm start` runs in the foreground next to the stack. */
export interface AppService {
  name: string;
  command: string;
  args: string[];
  /** Relative to the repo root; default the repo root. */
  cwd?: string;
  /** Extra env on top of the ATRIUM_* endpoint variables every app service receives. */
  env?: (endpoints: StackEndpoints) => Record<string, string>;
}

/**
 * The app services `npm start` runs, in order. Register a service by adding an entry, e.g.
 * `{ name: 'sync-gateway', command: 'npx', args: ['tsx', 'sync-gateway/src/main.ts'] }`.
 */
export const APP_SERVICES: readonly AppService[] = [];
