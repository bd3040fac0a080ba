import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONTENT_FEED_PATH, UPLOAD_PATH, URGENT_CHANNEL_PATH } from '@atrium/contracts';
import { OPENAPI_FILE, formatOpenApi, generateOpenApi } from './generateOpenApi';

describe('the committed OpenAPI document', () => {
  it('equals the one generated from the route schemas (regenerate with tsx sync-gateway/src/openapi/generateOpenApi.ts)', async () => {
    const generated = formatOpenApi(await generateOpenApi());
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(generated);
  });

  it('documents every route of both listeners, with problem+json for errors', async () => {
    const document = (await generateOpenApi()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining([CONTENT_FEED_PATH, UPLOAD_PATH, URGENT_CHANNEL_PATH, '/admin/v1/broadcasts', '/healthz', '/metrics', '/readyz']));
    expect(Object.keys(document.paths).some((p) => p.startsWith('/v1/updates/'))).toBe(true);
    const upload = document.paths[UPLOAD_PATH]?.['post'];
    expect(Object.keys(upload?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '403', '413', '415', '422', '429', '503']));
    expect(Object.keys(upload?.responses['503']?.content ?? {})).toEqual(['application/problem+json']);
  });
});
