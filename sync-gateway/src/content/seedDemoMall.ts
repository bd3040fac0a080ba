// Loads the demo mall (contracts' demoMall(): 2,000 stores over 3 floors, offers, the map graph)
// into atrium.content_items. Idempotent: unchanged items are left alone, so a re-run moves no cursor.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { demoMall } from '@atrium/contracts';
import { upsertContent } from './contentStore';

const HELP = `Usage: tsx sync-gateway/src/content/seedDemoMall.ts [options]

Loads the demo mall into atrium.content_items (PostgreSQL). Safe to run again: items whose
body did not change are not touched.

Options:
  --pg-url URL     PostgreSQL URL (default: $ATRIUM_PG_URL, else the dev stack's)
  --stores N       stores in the mall (default 2000)
  --floors N       floors (default 3)
  --offers N       offers (default 200)
  -h, --help       this text
`;

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'pg-url': { type: 'string' }, stores: { type: 'string' }, floors: { type: 'string' }, offers: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const url = values['pg-url'] ?? process.env['ATRIUM_PG_URL'] ?? 'postgres://atrium:atrium@127.0.0.1:5433/atrium';
  const items = demoMall({
    stores: positive('stores', values.stores, 2_000),
    floors: positive('floors', values.floors, 3),
    offers: positive('offers', values.offers, 200),
  });
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const changed = await upsertContent(pool, items);
    process.stdout.write(`${items.length} demo mall items, ${changed} inserted or changed\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seedDemoMall: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
