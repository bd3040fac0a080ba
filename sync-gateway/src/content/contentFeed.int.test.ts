import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { CONTENT_FEED_PATH, demoMall, type ContentPage, type ContentUpsert } from '@atrium/contracts';
import type { RunningGateway } from '../app/startGateway';
import { registerDevice, stackEndpoints, startTestGateway, uniqueKioskId } from '../testing/intHarness';
import { signedGet } from '../testing/signedFetch';
import type { TestDeviceKey } from '../testing/testSigner';
import { encodeContentCursor } from './contentCursor';
import { deleteContent, upsertContent } from './contentStore';

const { pgUrl } = stackEndpoints();
let pool: pg.Pool;
let gateway: RunningGateway;
let key: TestDeviceKey;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
  gateway = await startTestGateway({ producer: 'kafkajs' });
  key = await registerDevice(pool, uniqueKioskId('gwc'));
});

afterAll(async () => {
  await gateway?.stop();
  await pool?.end();
});

/** The cursor of "now": the kiosk would have reached it by paging; the test starts there. */
async function headCursor(): Promise<string> {
  const { rows } = await pool.query<{ head: string }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS head FROM atrium.content_change_seq');
  return encodeContentCursor(Number(rows[0]?.head ?? 0));
}

async function page(cursor: string, limit: number, headers: Record<string, string> = {}): Promise<{ status: number; etag: string | null; body: ContentPage | undefined }> {
  const response = await signedGet(gateway.kioskUrl, key, `${CONTENT_FEED_PATH}?cursor=${encodeURIComponent(cursor)}&limit=${limit}`, headers);
  return { status: response.status, etag: response.headers.get('etag'), body: response.status === 200 ? ((await response.json()) as ContentPage) : undefined };
}

function items(prefix: string, count: number): ContentUpsert[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'category', id: `${prefix}-${i}`, version: 1, body: { id: `${prefix}-${i}`, name: { en: `Category ${i}` } } }));
}

describe('the content delta feed', () => {
  it('given new items, when paging from a cursor, then each page continues the last, in change order, until hasMore is false', async () => {
    const start = await headCursor();
    const prefix = uniqueKioskId('cat');
    await upsertContent(pool, items(prefix, 5));
    const seen: string[] = [];
    let cursor = start;
    let pages = 0;
    for (;;) {
      const result = await page(cursor, 2);
      expect(result.status).toBe(200);
      const body = result.body!;
      expect(body.cursor).toBe(cursor);
      seen.push(...body.upserts.map((u) => u.id));
      cursor = body.nextCursor;
      pages += 1;
      if (!body.hasMore) break;
      expect(pages).toBeLessThan(50);
    }
    expect(seen.filter((id) => id.startsWith(prefix))).toEqual(items(prefix, 5).map((i) => i.id));
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('given nothing changed since a cursor, then the same ETag answers 304; after a change, 200 with the change', async () => {
    const cursor = await headCursor();
    const first = await page(cursor, 100);
    expect(first.status).toBe(200);
    const again = await page(cursor, 100, { 'if-none-match': first.etag! });
    expect(again.status).toBe(304);
    const prefix = uniqueKioskId('cat');
    await upsertContent(pool, items(prefix, 1));
    const changed = await page(cursor, 100, { 'if-none-match': first.etag! });
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(first.etag);
    expect(changed.body?.upserts.map((u) => u.id)).toContain(`${prefix}-0`);
  });

  it('given an item deleted and another updated, then the feed reports the delete and the new version', async () => {
    const prefix = uniqueKioskId('cat');
    await upsertContent(pool, items(prefix, 2));
    const cursor = await headCursor();
    await deleteContent(pool, [{ kind: 'category', id: `${prefix}-0` }]);
    await upsertContent(pool, [{ kind: 'category', id: `${prefix}-1`, version: 1, body: { id: `${prefix}-1`, name: { en: 'Renamed' } } }]);
    const result = await page(cursor, 100);
    expect(result.body?.deletes).toContainEqual({ kind: 'category', id: `${prefix}-0` });
    const updated = result.body?.upserts.find((u) => u.id === `${prefix}-1`);
    expect(updated).toMatchObject({ version: 2, body: { name: { en: 'Renamed' } } });
  });

  it('given a cursor ahead of the store (another database), then 400 CURSOR_INVALID', async () => {
    const response = await signedGet(gateway.kioskUrl, key, `${CONTENT_FEED_PATH}?cursor=${encodeContentCursor(9_000_000_000_000)}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('CURSOR_INVALID');
  });

  it('given the demo mall seed command run twice, then every item is in the store and the second run changes nothing', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, ATRIUM_PG_URL: pgUrl };
    await run('npx', ['tsx', 'sync-gateway/src/content/seedDemoMall.ts'], { env, timeout: 120_000 });
    const second = await run('npx', ['tsx', 'sync-gateway/src/content/seedDemoMall.ts'], { env, timeout: 120_000 });
    const mall = demoMall();
    expect(second.stdout).toContain(`${mall.length} demo mall items, 0 inserted or changed`);
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM atrium.content_items WHERE kind = 'store' AND id LIKE 'store-%' AND NOT deleted`);
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(2_000);
  });
});
