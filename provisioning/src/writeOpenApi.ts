// Regenerates provisioning/openapi.json from the routes: `tsx provisioning/src/writeOpenApi.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import pg from 'pg';
import { Registry } from 'prom-client';
import { ServiceConfig } from './config/serviceConfig';
import { buildApp } from './http/buildApp';
import { openApiDocument } from './http/openApiDocument';

const config = Value.Default(ServiceConfig, { pgUrl: 'postgres://unused@127.0.0.1:1/unused', adminToken: 'x'.repeat(32) }) as ServiceConfig;
const pool = new pg.Pool({ connectionString: config.pgUrl });
const app = await buildApp({ config, pool, now: () => new Date(), metrics: new Registry() });
await app.ready();
const target = fileURLToPath(new URL('../openapi.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
await app.close();
await pool.end();
console.log(`wrote ${target}`);
