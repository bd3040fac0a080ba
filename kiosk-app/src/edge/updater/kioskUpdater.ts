import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CatalogueEvent } from '@atrium/contracts';
import { decideUpdate } from '../../core/updater/updaterPolicy';
import type { HealthReport, KioskActivity, UpdaterEffect, UpdaterInput, UpdaterPolicy, UpdaterState } from '../../core/updater/updaterState';
import type { UpdateInstaller } from './appImageInstaller';
import { downloadArtefact, DownloadInterrupted } from './artefactDownloader';
import { updaterPolicyOf, type KioskUpdaterConfig } from './kioskUpdaterConfig';
import { checkUpdateFeed, type UpdaterFetch } from './updateFeedClient';
import { updaterStateFile } from './updaterStateFile';

/** What the kiosk updater is wired to. */
export interface KioskUpdaterDeps {
  config: KioskUpdaterConfig;
  /** Fetch for the feed and the artefacts (the edge's signing fetch in production). */
  fetch: UpdaterFetch;
  /** Records a kiosk.update.* event (the edge's outbox append). */
  append: (event: CatalogueEvent) => void | Promise<void>;
  /** Whether a shopper is using the kiosk right now. */
  activity: () => KioskActivity;
  /** Renderer up and sync working, checked after an update. */
  health: () => Promise<HealthReport>;
  installer: UpdateInstaller;
  now?: () => number;
  /** Failures that change no state (feed unreachable, rollback not possible yet). */
  onError?: (error: unknown, where: string) => void;
}

/**
 * The kiosk updater's Node adapter: asks the feed, downloads in the background (resuming),
 * stages, and installs or rolls back as the pure policy decides. Inputs are handled one at a
 * time; for each: events are recorded first, then the state is saved, then effects run, so a
 * crash can repeat an event but never lose one.
 */
export class KioskUpdater {
  private queue: Promise<void> = Promise.resolve();
  private readonly downloads = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private readonly policy: UpdaterPolicy;
  private readonly now: () => number;
  private readonly statePath: string;

  private constructor(private readonly deps: KioskUpdaterDeps, private current: UpdaterState) {
    this.policy = updaterPolicyOf(deps.config);
    this.now = deps.now ?? Date.now;
    this.statePath = join(deps.config.dataDir, 'updater-state.json');
  }

  /** Loads the saved state and tells the policy which version started (finishing an update in progress). */
  static async open(deps: KioskUpdaterDeps, runningVersion: string): Promise<KioskUpdater> {
    await mkdir(deps.config.dataDir, { recursive: true });
    const updater = new KioskUpdater(deps, await updaterStateFile.load(join(deps.config.dataDir, 'updater-state.json'), runningVersion));
    await updater.dispatch({ type: 'started', runningVersion, at: updater.now() });
    return updater;
  }

  /** The current state (for diagnostics and tests). */
  state(): UpdaterState {
    return this.current;
  }

  /** Asks the feed what this kiosk should run. */
  async checkFeed(): Promise<void> {
    try {
      const found = await checkUpdateFeed(this.deps.fetch, this.deps.config.feedUrl, this.current.runningVersion, this.abort.signal);
      await this.dispatch({ type: 'feedChecked', target: found.target, installWindow: found.installWindow, at: this.now() });
    } catch (error) {
      this.deps.onError?.(error, 'feed');
    }
  }

  /** Looks whether a staged update may install now, or whether a health deadline has passed. */
  async tick(): Promise<void> {
    await this.dispatch({ type: 'tick', activity: this.deps.activity(), at: this.now() });
  }

  /** While an update is being verified, reports the kiosk's health to the policy. */
  async checkHealth(): Promise<void> {
    if (this.current.current.step !== 'verifying') return;
    const health = await this.deps.health().catch(() => ({ rendererUp: false, syncOk: false }));
    await this.dispatch({ type: 'healthReported', health, at: this.now() });
  }

  /** Resolves when every background download has finished and its outcome was handled. */
  async settled(): Promise<void> {
    while (this.downloads.size > 0) await Promise.all([...this.downloads.values()]);
    await this.queue;
  }

  /** Starts the periodic feed checks, ticks and health checks. */
  start(): void {
    const every = (ms: number, work: () => Promise<void>) => this.timers.push(setInterval(() => void work(), ms));
    every(this.deps.config.checkIntervalMs, () => this.checkFeed());
    every(this.deps.config.tickIntervalMs, () => this.tick());
    every(this.deps.config.healthCheckIntervalMs, () => this.checkHealth());
    void this.checkFeed();
  }

  /** Stops timers and downloads (a partial download stays on disk and resumes next time). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.abort.abort();
    await this.settled();
  }

  private stagedFile(version: string, url: string): string {
    return join(this.deps.config.dataDir, 'staging', version, basename(new URL(url).pathname));
  }

  private dispatch(input: UpdaterInput): Promise<void> {
    const run = this.queue.then(() => this.apply(input));
    this.queue = run.catch((error: unknown) => this.deps.onError?.(error, input.type));
    return run;
  }

  private async apply(input: UpdaterInput): Promise<void> {
    const decision = decideUpdate(this.current, input, this.policy);
    for (const event of decision.events) await this.deps.append(event);
    this.current = decision.state;
    await updaterStateFile.save(this.statePath, this.current);
    for (const effect of decision.effects) await this.carryOut(effect);
  }

  private async carryOut(effect: UpdaterEffect): Promise<void> {
    switch (effect.kind) {
      case 'download': {
        const { target } = effect;
        const path = this.stagedFile(target.version, target.url);
        const job = downloadArtefact(this.deps.fetch, target.url, path, target.size, this.abort.signal)
          .then(
            (result) => this.dispatch({ type: 'downloadFinished', version: target.version, sha512: result.sha512, size: result.size, at: this.now() }),
            (error: unknown) =>
              this.dispatch({ type: 'downloadInterrupted', version: target.version, reason: error instanceof DownloadInterrupted ? error.message : String(error), at: this.now() }),
          )
          .finally(() => this.downloads.delete(target.version));
        this.downloads.set(target.version, job);
        return;
      }
      case 'discardStaged':
        await rm(join(this.deps.config.dataDir, 'staging', effect.version), { recursive: true, force: true });
        return;
      case 'install': {
        // The decision was made on an idle kiosk; look once more right before the restart.
        const now = this.deps.activity();
        if (now.sessionActive || !now.attractLoop) return this.apply({ type: 'installDeferred', at: this.now() });
        try {
          await this.deps.installer.install(this.stagedFile(effect.target.version, effect.target.url), effect.target, effect.fromVersion);
        } catch (error) {
          await this.apply({ type: 'installFailed', reason: (error as Error).message, at: this.now() });
        }
        return;
      }
      case 'rollback':
        try {
          await this.deps.installer.rollback(effect.toVersion);
        } catch (error) {
          // The next start on the bad version asks for the rollback again.
          this.deps.onError?.(error, 'rollback');
        }
        return;
      default: {
        const never: never = effect;
        throw new Error(`unknown updater effect ${JSON.stringify(never)}`);
      }
    }
  }
}
