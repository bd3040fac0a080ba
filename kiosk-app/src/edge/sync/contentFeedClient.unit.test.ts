import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ContentFeedClientConfig } from './contentFeedClient';

describe('content pull: configuration', () => {
  it('given no settings, then every default is filled in and valid', () => {
    const config = Value.Default(ContentFeedClientConfig, undefined) as ContentFeedClientConfig;
    expect(Value.Check(ContentFeedClientConfig, config)).toBe(true);
    expect(config).toMatchObject({ pollIntervalMs: 300_000, maxPagesPerPull: 1_000 });
    expect(config.pageLimit).toBeUndefined();
  });
});
