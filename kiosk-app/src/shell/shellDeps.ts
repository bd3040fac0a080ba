import type { KeyObject } from 'node:crypto';
import type { KioskEdge } from '../edge';
import type { ContentCache } from '../edge/content';
import type { FloorPlans } from './floorPlans';
import type { ShellConfig } from './shellConfig';

/** What the bridge's implementation works with; tests build the same from real parts. */
export interface ShellDeps {
  config: ShellConfig;
  edge: KioskEdge;
  content: ContentCache;
  floorPlans: FloorPlans;
  loyaltyKey: KeyObject;
  now: () => Date;
}
