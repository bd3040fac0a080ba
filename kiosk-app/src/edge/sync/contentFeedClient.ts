import type { KeyObject } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AtriumError, CONTENT_FEED_PATH, errorCatalogue, isAtriumError, isProblem, type ContentPage } from '@atrium/contracts';
import { fullJitterDelayMs, parseRetryAfterMs, type BackoffPolicy } from '../../core/sync/backoff';
import { isTransient, type SyncError, type SyncErrorCode, type UploadFailure } from '../../core/sync/syncMachine';
import type { KioskClock } from '../clock/kioskClock';
import type { ApplyContentPageOptions, ContentFeedPosition, ContentPageApplied } from '../content';
import { signDeviceRequest } from './signRequest';

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

/** How a pull failed: as an upload can fail, or the kiosk refused the page (cursor kept), or the store failed. */
export type ContentPullFailure = UploadFailure | { kind: 'refused'; code: SyncErrorCode; detail: string } | { kind: 'local'; code: 'LOCAL_FAILURE'; detail: string };

/** The pull loop's state (pure; the edge client holds it). */
export interface ContentPullState {
  pulling: boolean;
  consecutiveFailures: number;
  /** No pull starts before this time (poll interval, backoff, Retry-After). */
  notBefore: number;
  /** Last pull that reached the end of the feed (a 304 or the last page applied). */
  lastSyncAt: number | null;
  /** Last page applied that carried upserts or deletes. */
  lastChangeAt: number | null;
  lastError: SyncError | null;
  /** A nudge came while a pull ran: that pull may have missed what prompted it, so another follows at once. */
  requestedDuringPull: boolean;
}

/** What happened, folded in by `evolveContentPull`. */
export type ContentPullInput =
  | { type: 'pullStarted' }
  | { type: 'pageApplied'; changes: number; at: number }
  | { type: 'pullCompleted'; reachedEnd: boolean; at: number }
  | { type: 'pullFailed'; failure: ContentPullFailure; at: number; random: number }
  | { type: 'pullAborted' }
  | { type: 'pullRequested'; at: number };

/** The timing rules of the pull loop. */
export interface ContentPullPolicy {
  backoff: BackoffPolicy;
  pollIntervalMs: number;
  refusedRetryMs: number;
  maxRetryAfterMs: number;
}

/** Nothing pulled yet: the first pull is due at once. */
export const initialContentPullState: ContentPullState = { pulling: false, consecutiveFailures: 0, notBefore: 0, lastSyncAt: null, lastChangeAt: null, lastError: null, requestedDuringPull: false };

/** Decides whether to pull now. */
export function decideContentPull(state: ContentPullState, now: number): { kind: 'pull' } | { kind: 'busy' } | { kind: 'wait'; until: number } {
  if (state.pulling) return { kind: 'busy' };
  return now < state.notBefore ? { kind: 'wait', until: state.notBefore } : { kind: 'pull' };
}

function isTransientPull(failure: ContentPullFailure): boolean {
  return failure.kind === 'refused' ? false : failure.kind === 'local' ? true : isTransient(failure);
}

/** How long after a failure the next pull waits: full jitter when retrying may help, a long jittered wait when the same request would be refused again; a Retry-After is honoured up to a cap. */
export function contentRetryDelayMs(failure: ContentPullFailure, failures: number, random: number, policy: ContentPullPolicy): number {
  const delay = isTransientPull(failure) ? fullJitterDelayMs(policy.backoff, failures, random) : Math.floor(policy.refusedRetryMs * (0.5 + random / 2));
  const retryAfter = failure.kind === 'http' && failure.retryAfterMs !== undefined ? Math.min(failure.retryAfterMs, policy.maxRetryAfterMs) : 0;
  return Math.max(delay, retryAfter);
}

/** Folds one input into the state. */
export function evolveContentPull(state: ContentPullState, input: ContentPullInput, policy: ContentPullPolicy): ContentPullState {
  switch (input.type) {
    case 'pullStarted':
      return { ...state, pulling: true, requestedDuringPull: false };
    case 'pageApplied':
      // Progress: whatever failed before has been got past.
      return { ...state, consecutiveFailures: 0, lastError: null, lastChangeAt: input.changes > 0 ? input.at : state.lastChangeAt };
    case 'pullCompleted': {
      const again = !input.reachedEnd || state.requestedDuringPull;
      const done: ContentPullState = { ...state, pulling: false, requestedDuringPull: false, notBefore: again ? input.at : input.at + policy.pollIntervalMs };
      return input.reachedEnd ? { ...done, consecutiveFailures: 0, lastError: null, lastSyncAt: input.at } : done;
    }
    case 'pullFailed': {
      const { failure, at } = input;
      const failures = state.consecutiveFailures + 1;
      const status = failure.kind === 'http' ? failure.status : undefined;
      const lastError: SyncError = { code: failure.code, ...(status !== undefined ? { status } : {}), detail: failure.detail, at };
      const notBefore = state.requestedDuringPull ? at : at + contentRetryDelayMs(failure, failures, input.random, policy);
      return { ...state, pulling: false, requestedDuringPull: false, consecutiveFailures: failures, lastError, notBefore };
    }
    case 'pullAborted':
      return { ...state, pulling: false };
    case 'pullRequested':
      return { ...state, notBefore: Math.min(state.notBefore, input.at), requestedDuringPull: state.pulling };
    default: {
      const never: never = input;
      return never;
    }
  }
}

/** Content sync status for the UI and technicians, shown alongside the upload status. */
export interface ContentSyncStatus {
  cursor: string | null;
  contentVersion: number;
  lastSyncAt: number | null;
  lastChangeAt: number | null;
  lastError: SyncError | null;
  consecutiveFailures: number;
  nextPullAt: number | null;
  pulling: boolean;
}

/** What the pull client needs of the content cache (`ContentCache` fits). */
export interface ContentFeedTarget {
  feedPosition(): ContentFeedPosition;
  applyContentPage(page: unknown, options?: ApplyContentPageOptions): ContentPageApplied;
}

/** Everything the content pull client needs. */
export interface ContentFeedClientOptions {
  content: ContentFeedTarget;
  gatewayUrl: string;
  deviceId: string;
  /** The device key, or a function returning the current one (see DeviceKeyFile, for rotation). */
  privateKey: KeyObject | (() => KeyObject);
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

function errorCodeOf(code: string, status: number): SyncErrorCode {
  if (code in errorCatalogue) return code as SyncErrorCode;
  return status === 429 ? 'RATE_LIMITED' : status === 503 ? 'BACKEND_UNAVAILABLE' : 'HTTP_ERROR';
}

/**
 * The kiosk's downstream sync: pulls the gateway's content delta feed from the stored cursor
 * (signed GET, `If-None-Match` with the stored ETag), page by page while `hasMore`, and applies
 * each page whole through the content cache, which stores the new cursor and ETag in the same
 * transaction. A refused page changes nothing and shows in the status. One pull at a time.
 */
export class ContentFeedClient {
  readonly config: ContentFeedClientConfig;
  private readonly policy: ContentPullPolicy;
  private readonly random: () => number;
  private state: ContentPullState = initialContentPullState;
  private inFlight: Promise<ContentPullResult> | null = null;
  private running = false;
  private wake: (() => void) | null = null;

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
        const reply = await this.fetchPage(this.options.content.feedPosition(), signal);
        if (reply.kind === 'failed') return this.failed(reply.failure, pages);
        if (reply.kind === 'not-modified') return this.completed(pages, changes, true);
        try {
          this.options.content.applyContentPage(reply.body, { etag: reply.etag, appliedAt: new Date(this.now()) });
        } catch (err) {
          const detail = (err as Error).message.slice(0, 500);
          return this.failed(isAtriumError(err) ? { kind: 'refused', code: err.code, detail } : { kind: 'local', code: 'LOCAL_FAILURE', detail }, pages);
        }
        const page = reply.body as ContentPage; // validated whole by applyContentPage
        const items = page.upserts.length + page.deletes.length;
        pages += 1;
        changes += items;
        this.evolve({ type: 'pageApplied', changes: items, at: this.now() });
        const serverMs = Date.parse(page.serverTime);
        if (!Number.isNaN(serverMs)) this.options.clock.observe({ serverMs, precisionMs: 1, sentMonoMs: reply.sentMonoMs });
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

  private completed(pages: number, changes: number, reachedEnd: boolean): ContentPullResult {
    this.evolve({ type: 'pullCompleted', reachedEnd, at: this.now() });
    return { kind: 'pulled', pages, changes, reachedEnd };
  }

  private failed(failure: ContentPullFailure, pages: number): ContentPullResult {
    this.evolve({ type: 'pullFailed', failure, at: this.now(), random: this.random() });
    return { kind: 'failed', pages, failure };
  }

  private async fetchPage(position: ContentFeedPosition, signal: AbortSignal): Promise<PageReply> {
    const { gatewayUrl, deviceId, privateKey, requestTimeoutMs, clock } = this.options;
    const url = new URL(CONTENT_FEED_PATH, gatewayUrl);
    if (position.cursor) url.searchParams.set('cursor', position.cursor);
    if (this.config.pageLimit !== undefined) url.searchParams.set('limit', String(this.config.pageLimit));
    const headers = await signDeviceRequest(
      { method: 'GET', url: url.toString(), headers: { accept: 'application/json', ...(position.etag ? { 'if-none-match': position.etag } : {}) } },
      deviceId,
      typeof privateKey === 'function' ? privateKey() : privateKey,
      this.now(),
    );
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    const sentMonoMs = clock.read().monoMs;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.any([signal, timeout]) });
      text = await res.text();
    } catch (err) {
      if (signal.aborted) throw err;
      if (timeout.aborted) return { kind: 'failed', failure: { kind: 'network', code: 'TIMEOUT', detail: `no reply within ${requestTimeoutMs} ms` } };
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return { kind: 'failed', failure: { kind: 'network', code: 'NETWORK', detail: cause?.code ?? cause?.message ?? (err as Error).message } };
    }
    if (res.status === 304) return { kind: 'not-modified' };
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status === 200) {
      if (json === undefined) return { kind: 'failed', failure: { kind: 'invalid-reply', code: 'REPLY_INVALID', detail: 'status 200: the content page is not JSON' } };
      return { kind: 'page', body: json, etag: res.headers.get('etag'), sentMonoMs };
    }
    const problem = isProblem(json) ? json : null;
    const dateMs = Date.parse(res.headers.get('date') ?? '');
    const retryAfterMs = parseRetryAfterMs(res.headers.get('retry-after'), Number.isNaN(dateMs) ? Date.now() : dateMs) ?? (problem?.retryAfterS !== undefined ? problem.retryAfterS * 1000 : undefined);
    const detail = (problem?.detail ?? problem?.title ?? text.slice(0, 200)) || `HTTP ${res.status}`;
    return { kind: 'failed', failure: { kind: 'http', status: res.status, code: errorCodeOf(problem?.code ?? '', res.status), detail, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } };
  }

  /**
   * Pulls whenever one is due (at start, every poll interval, after a backoff, on `requestPull`)
   * until `signal` aborts. Only one loop may run at a time (a second call is refused with CONFLICT).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new AtriumError('CONFLICT', 'The content pull loop is already running');
    this.running = true;
    try {
      while (!signal.aborted) {
        const next = decideContentPull(this.state, this.now());
        if (next.kind === 'pull') await this.pullOnce(signal);
        else if (next.kind === 'wait') await this.sleep(next.until - this.now(), signal);
        else await this.inFlight?.catch(() => undefined);
      }
    } finally {
      this.running = false;
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  /** Asks for a pull now (the urgent channel's `sync-now`, a technician): lifts the wait once. */
  requestPull(): void {
    this.evolve({ type: 'pullRequested', at: this.now() });
    this.wake?.();
  }

  /** Status for the kiosk UI and technicians. */
  status(): ContentSyncStatus {
    const { cursor, contentVersion } = this.options.content.feedPosition();
    const { lastSyncAt, lastChangeAt, lastError, consecutiveFailures, pulling, notBefore } = this.state;
    return { cursor, contentVersion, lastSyncAt, lastChangeAt, lastError, consecutiveFailures, nextPullAt: pulling || notBefore <= this.now() ? null : notBefore, pulling };
  }
}
