import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { ServiceConfig } from '../config/serviceConfig';

/** What the provisioning HTTP app is built from; everything with I/O comes in here. */
export interface AppDeps {
  config: ServiceConfig;
  pool: pg.Pool;
  now: () => Date;
  metrics: Registry;
}
