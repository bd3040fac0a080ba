import type { Report } from '../progress';
import type { ServiceName, StackConfig } from '../stackConfig';

/** What `status` says about one server. */
export interface ServiceStatus {
  name: ServiceName;
  up: boolean;
  version: string | undefined;
  /** host:port (or list) where it answers. */
  endpoint: string;
  pids: number[];
  detail: string;
}

/** One server of the local stack; the stack commands only talk to servers through this. */
export interface StackService {
  name: ServiceName;
  /** Services that must be answering before this one starts. */
  dependsOn: readonly ServiceName[];
  /** Signal for a clean shutdown of the group leader, and how long to wait before SIGKILL. */
  stopSignal: NodeJS.Signals;
  stopGraceMs: number;
  /** Checks that each throw MISSING_PREREQUISITE naming a tool and how to install it; run before any download. */
  prerequisites(config: StackConfig): (() => void)[];
  /** Downloads or builds what the server needs into the cache; starts nothing. */
  fetch(config: StackConfig, report: Report): Promise<void>;
  /** Starts what is not running yet (reusing what is), and resolves once it answers its protocol. */
  start(config: StackConfig, report: Report): Promise<void>;
  /** Asks the server over its own protocol; never throws. */
  status(config: StackConfig): Promise<ServiceStatus>;
}
