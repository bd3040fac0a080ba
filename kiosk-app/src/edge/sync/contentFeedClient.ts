import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CONTENT_FEED_PATH, isAtriumError, type ContentPage } from '@atrium/contracts';
import {
  decideContentPull,
  evolveContentPull,
  initialContentPullState,
  isCursorRejection,
  type ContentPullFailure,
  type ContentPullInput,
  type ContentPullPolicy,
  type ContentPullState,
  type ContentSyncStatus,
} from '../../core/sync/contentPullMachine';
import { failureOfReply } from '../../core/sync/syncFailure';
import type { KioskClock } from '../clock/kioskClock';
import type { ApplyContentPageOptions, ContentFeedPosition, ContentPageApplied } from '../content';
import { gatewayFetch, replyDateMs, type DeviceCredentials } from './gatewayFetch';
import { SyncLoop } from './syncLoop';

export type { ContentPullFailure, ContentSyncStatus } from '../../core/sync/contentPullMachine';

/** Tuning of the content pull loop. */
export const ContentFeedClientConfig = Type.Object(
  {
    /** After a pull reached the end of the feed, the next one starts this much later (a `sync-now` nudge starts it at once). */
    pollIntervalMs: Type.Integer({ minimum: 1, default: 5 * 60_000 }),
    /** Items per page asked of the gateway; absent: the gateway's default. */
    pageLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    backoffBaseMs: Type.Integer({ minimum: 1, default: 1_000 }),
    backoffCapMs: Type.Integer({ minimum: 1, default: 5 * 60_000 }),
    /** A page the kiosk refuses (or a 4xx) is retried only this rarely (jittered), never hot. */
    refusedRetryMs: Type.Integer({ minimum: 1, default: 15 * 60_000 }),
    maxRetryAfterMs: Type.Integer({ minimum: 0, default: 60 * 60_000 }),
    /** Bounds one pull; the loop goes on at once with the next pull if the feed had more. */
    maxPagesPerPull: Type.Integer({ minimum: 1, default: 1_000 }),
  },
  { default: {} },
);

/** Validated content pull configuration. */
export type ContentFeedClientConfig = Static<typeof ContentFeedClientConfig>;

/** What the pull client needs of the content cache (`ContentCache` fits). */
export interface ContentFeedTarget {
  feedPosition(): ContentFeedPosition;
  applyContentPage(page: unknown, options?: ApplyContentPageOptions): ContentPageApplied;
  /** Replaces the whole cache with these pages (a full pull), in one transaction. */
  replaceContent(pages: readonly unknown[], options?: ApplyContentPageOptions): ContentPageApplied;
}

/** Everything the content pull client needs. */
export interface ContentFeedClientOptions extends DeviceCredentials {
  content: ContentFeedTarget;
  gatewayUrl: string;
  clock: Pick<KioskClock, 'nowMs' | 'read' | 'observe'>;
  requestTimeoutMs: number;
  config?: Partial<ContentFeedClientConfig>;
  /** Randomness for jitter, a parameter so tests can pin it. */
  random?: () => number;
}

/** What one pull did. */
export type ContentPullResult =
  | { kind: 'pulled'; pages: number; changes: number; reachedEnd: boolean }
  | { kind: 'failed'; pages: number; failure: ContentPullFailure }
  | { kind: 'aborted'; pages: number };

type PageReply = { kind: 'not-modified' } | { kind: 'page'; body: unknown; etag: string | null; sentMonoMs: number } | { kind: 'failed'; failure: ContentPullFailure };

/** The cursor chain of a page as it came off the wire (the content cache validates the rest). */
function pageLinks(body: unknown): { nextCursor: string; hasMore: boolean; items: number; serverTime: unknown } | null {
  const p = body as Partial<ContentPage> | null;
  if (typeof p !== 'object' || p === null || typeof p.nextCursor !== 'string' || typeof p.hasMore !== 'boolean' || !Array.isArray(p.upserts) || !Array.isArray(p.deletes)) return null;
  return { nextCursor: p.nextCursor, hasMore: p.hasMore, items: p.upserts.length + p.deletes.length, serverTime: p.serverTime };
}

function refusal(err: unknown): ContentPullFailure {
  const detail = String((err as Error)?.message ?? err).slice(0, 500);
  return isAtriumError(err) ? { kind: 'refused', code: err.code, detail } : { kind: 'local', code: 'LOCAL_FAILURE', detail };
}

/**
 * The kiosk's downstream sync: pulls the gateway's content delta feed from the stored cursor
 * (signed GET, `If-None-Match` with the stored ETag), page by page while `hasMore`, and applies
 * each page whole through the content cache, which stores the new cursor and ETag in the same
 * transaction. A refused page changes nothing and shows in the status. One pull at a time.
 *
 * When the gateway refuses the stored cursor (CURSOR_INVALID: its content store was rebuilt,
 * or this cache came from another one), the delta cannot go on: the client pulls the whole feed
 * from no cursor, keeps the pages in memory (at most `maxPagesPerPull` pages of `pageLimit`
 * items: a mall's content is a few MB) and hands them to the cache, which replaces everything
 * in one transaction. Shoppers are served the old content until that commits; if the full pull
 * fails part way nothing changes, and the next pull starts the full pull again.
 */
export class ContentFeedClient {
  readonly config: ContentFeedClientConfig;
  private readonly policy: ContentPullPolicy;
  private readonly random: () => number;
  private readonly loop = new SyncLoop('content pull');
  private state: ContentPullState = initialContentPullState;
  private inFlight: Promise<ContentPullResult> | null = null;

  constructor(private readonly options: ContentFeedClientOptions) {
    const config = Value.Default(ContentFeedClientConfig, structuredClone(options.config ?? {})) as ContentFeedClientConfig;
    if (!Value.Check(ContentFeedClientConfig, config)) throw new Error(`Invalid content sync config: ${[...Value.Errors(ContentFeedClientConfig, config)][0]?.message}`);
    this.config = config;
    this.policy = { backoff: { baseMs: config.backoffBaseMs, capMs: config.backoffCapMs }, pollIntervalMs: config.pollIntervalMs, refusedRetryMs: config.refusedRetryMs, maxRetryAfterMs: config.maxRetryAfterMs };
    this.random = options.random ?? Math.random;
  }

  private now(): number {
    return this.options.clock.nowMs();
  }

  private evolve(input: ContentPullInput): void {
    this.state = evolveContentPull(this.state, input, this.policy);
  }

  /** Pulls now, whatever the backoff says; a call while a pull runs joins that pull. */
  pullOnce(signal: AbortSignal = new AbortController().signal): Promise<ContentPullResult> {
    this.inFlight ??= this.pull(signal).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async pull(signal: AbortSignal): Promise<ContentPullResult> {
    this.evolve({ type: 'pullStarted' });
    let pages = 0;
    let changes = 0;
    try {
      while (pages < this.config.maxPagesPerPull) {
        if (signal.aborted) throw signal.reason;
        if (this.state.resyncPending) {
          const full = await this.pullWholeFeed(signal, this.config.maxPagesPerPull - pages);
          if (full.kind === 'failed') return this.failed(full.failure, pages);
          pages += full.pages;
          changes += full.changes;
          this.evolve({ type: 'contentReplaced', changes: full.changes, at: this.now() });
          if (full.reachedEnd) return this.completed(pages, changes, true);
          continue;
        }
        const position = this.options.content.feedPosition();
        const reply = await this.fetchPage(position, signal);
        if (reply.kind === 'failed') {
          if (!isCursorRejection(reply.failure, position.cursor)) return this.failed(reply.failure, pages);
          this.evolve({ type: 'cursorRejected', at: this.now() });
          continue;
        }
        if (reply.kind === 'not-modified') return this.completed(pages, changes, true);
        try {
          this.options.content.applyContentPage(reply.body, { etag: reply.etag, appliedAt: new Date(this.now()) });
        } catch (err) {
          return this.failed(refusal(err), pages);
        }
        const page = reply.body as ContentPage; // validated whole by applyContentPage
        const items = page.upserts.length + page.deletes.length;
        pages += 1;
        changes += items;
        this.evolve({ type: 'pageApplied', changes: items, at: this.now() });
        this.observeServerTime(page.serverTime, reply.sentMonoMs);
        // A last page that carried changes is followed by one more request: its (empty) answer
        // stores the ETag of the new cursor, so the next poll is a 304 rather than an empty page.
        if (!page.hasMore && items === 0) return this.completed(pages, changes, true);
      }
      return this.completed(pages, changes, false);
    } catch (err) {
      if (signal.aborted) {
        this.evolve({ type: 'pullAborted' });
        return { kind: 'aborted', pages };
      }
      return this.failed({ kind: 'local', code: 'LOCAL_FAILURE', detail: String((err as Error)?.message ?? err).slice(0, 500) }, pages);
    }
  }

  /** Fetches the whole feed from no cursor and replaces the cache with it (see the class comment). */
  private async pullWholeFeed(signal: AbortSignal, maxPages: number): Promise<{ kind: 'replaced'; pages: number; changes: number; reachedEnd: boolean } | { kind: 'failed'; failure: ContentPullFailure }> {
    const bodies: unknown[] = [];
    let cursor: string | null = null;
    let etag: string | null = null;
    let last: NonNullable<ReturnType<typeof pageLinks>> | null = null;
    while (last === null || last.hasMore) {
      if (bodies.length >= maxPages) return { kind: 'failed', failure: { kind: 'local', code: 'LOCAL_FAILURE', detail: `the whole content feed is longer than ${maxPages} pages; raise maxPagesPerPull` } };
      const reply = await this.fetchPage({ cursor, etag: null }, signal);
      if (reply.kind === 'failed') return reply;
      const links = reply.kind === 'page' ? pageLinks(reply.body) : null;
      if (reply.kind !== 'page' || !links) return { kind: 'failed', failure: { kind: 'invalid-reply', code: 'REPLY_INVALID', detail: 'a page of the full content pull is not a content page' } };
      bodies.push(reply.body);
      this.observeServerTime(links.serverTime, reply.sentMonoMs);
      ({ etag } = reply);
      cursor = links.nextCursor;
      last = links;
    }
    try {
      const applied = this.options.content.replaceContent(bodies, { etag, appliedAt: new Date(this.now()) });
      return { kind: 'replaced', pages: bodies.length, changes: applied.upserted + applied.deleted, reachedEnd: last.items === 0 };
    } catch (err) {
      return { kind: 'failed', failure: refusal(err) };
    }
  }

  private observeServerTime(serverTime: unknown, sentMonoMs: number): void {
    const serverMs = typeof serverTime === 'string' ? Date.parse(serverTime) : NaN;
    if (!Number.isNaN(serverMs)) this.options.clock.observe({ serverMs, precisionMs: 1, sentMonoMs });
  }

  private completed(pages: number, changes: number, reachedEnd: boolean): ContentPullResult {
    this.evolve({ type: 'pullCompleted', reachedEnd, at: this.now() });
    return { kind: 'pulled', pages, changes, reachedEnd };
  }

  private failed(failure: ContentPullFailure, pages: number): ContentPullResult {
    this.evolve({ type: 'pullFailed', failure, at: this.now(), random: this.random() });
    return { kind: 'failed', pages, failure };
  }

  private async fetchPage(position: Pick<ContentFeedPosition, 'cursor' | 'etag'>, signal: AbortSignal): Promise<PageReply> {
    const url = new URL(CONTENT_FEED_PATH, this.options.gatewayUrl);
    if (position.cursor) url.searchParams.set('cursor', position.cursor);
    if (this.config.pageLimit !== undefined) url.searchParams.set('limit', String(this.config.pageLimit));
    const sentMonoMs = this.options.clock.read().monoMs;
    const reply = await gatewayFetch(
      { method: 'GET', url: url.toString(), headers: { accept: 'application/json', ...(position.etag ? { 'if-none-match': position.etag } : {}) } },
      this.options,
      { signal, createdMs: this.now(), timeoutMs: this.options.requestTimeoutMs },
    );
    if (!reply.ok) return { kind: 'failed', failure: reply.failure };
    const { res, text } = reply;
    if (res.status === 304) return { kind: 'not-modified' };
    if (res.status !== 200) return { kind: 'failed', failure: failureOfReply({ status: res.status, text, retryAfter: res.headers.get('retry-after'), nowMs: replyDateMs(res) ?? Date.now() }) };
    try {
      return { kind: 'page', body: JSON.parse(text), etag: res.headers.get('etag'), sentMonoMs };
    } catch {
      return { kind: 'failed', failure: { kind: 'invalid-reply', code: 'REPLY_INVALID', detail: 'status 200: the content page is not JSON' } };
    }
  }

  /**
   * Pulls whenever one is due (at start, every poll interval, after a backoff, on `requestPull`)
   * until `signal` aborts. Only one loop may run at a time (a second call is refused with CONFLICT).
   */
  run(signal: AbortSignal): Promise<void> {
    return this.loop.run(signal, async () => {
      const next = decideContentPull(this.state, this.now());
      switch (next.kind) {
        case 'pull':
          await this.pullOnce(signal);
          return 0;
        case 'busy':
          await this.inFlight?.catch(() => undefined);
          return 0;
        case 'wait':
          return next.until - this.now();
        default: {
          const never: never = next;
          throw new Error(`Unexpected decision ${JSON.stringify(never)}`);
        }
      }
    });
  }

  /** Asks for a pull now (the urgent channel's `sync-now`, a technician): lifts the wait once. */
  requestPull(): void {
    this.evolve({ type: 'pullRequested', at: this.now() });
    this.loop.wake();
  }

  /** Status for the kiosk UI and technicians. */
  status(): ContentSyncStatus {
    const { cursor, contentVersion } = this.options.content.feedPosition();
    const { lastSyncAt, lastChangeAt, lastError, consecutiveFailures, pulling, notBefore, resyncPending, lastResyncAt } = this.state;
    return { cursor, contentVersion, lastSyncAt, lastChangeAt, lastError, consecutiveFailures, nextPullAt: pulling || notBefore <= this.now() ? null : notBefore, pulling, resyncPending, lastResyncAt };
  }
}
