import type { Logger } from 'pino';
import { AppError, isAppError } from '../../errors.ts';
import type { StoreConfig } from '../../config/load-config.ts';
import type { SyncProgress, SyncProgressFn } from './run-tracker.ts';
import { syncStore, type SyncDeps, type SyncOutcome } from './sync-store.ts';

/**
 * The syncs a long-running tokobot starts (schedule and chat): what each is doing now, and a
 * clean stop on shutdown — running syncs may finish for a while, then are told to stop, so no
 * run is ever left "running" in the history.
 */
export class SyncRunner {
  private readonly progressOf = new Map<string, SyncProgress>();
  private readonly active = new Set<Promise<SyncOutcome>>();
  private readonly stopping = new AbortController();
  private readonly listeners: ((store: StoreConfig, outcome: SyncOutcome) => Promise<void> | void)[] = [];

  constructor(private readonly deps: SyncDeps, private readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>) {}

  /** Called with every finished sync (alerts listen here); a listener's failure is logged, never the sync's. */
  onFinished(listener: (store: StoreConfig, outcome: SyncOutcome) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  progress(store: string): SyncProgress | null {
    return this.progressOf.get(store) ?? null;
  }

  run(store: StoreConfig, trigger: string, onProgress?: SyncProgressFn): Promise<SyncOutcome> {
    if (this.stopping.signal.aborted) {
      return Promise.reject(new AppError('interrupted', 'tokobot', 'tokobot is shutting down; try again when it is back.', { retryable: true }));
    }
    this.progressOf.set(store.id, { stage: 'check' });
    const job = syncStore(this.deps, store, trigger, (p) => { this.progressOf.set(store.id, p); onProgress?.(p); }, this.stopping.signal)
      .then(async (outcome) => {
        for (const l of this.listeners) await Promise.resolve(l(store, outcome)).catch((err) => this.logger.warn({ err }, 'a listener of finished syncs failed'));
        return outcome;
      })
      .finally(() => { this.progressOf.delete(store.id); this.active.delete(job); });
    this.active.add(job);
    return job;
  }

  /** The scheduled sync: every store in turn; a store already syncing elsewhere is skipped. */
  async runAll(trigger: string): Promise<SyncOutcome[]> {
    const outcomes: SyncOutcome[] = [];
    for (const store of this.deps.stores) {
      try {
        const o = await this.run(store, trigger);
        outcomes.push(o);
        this.logger.info({ store: store.id, status: o.status, error: o.error }, 'scheduled sync finished');
      } catch (err) {
        if (isAppError(err) && (err.kind === 'busy' || err.kind === 'interrupted')) this.logger.info({ store: store.id }, err.message);
        else this.logger.error({ err, store: store.id }, 'scheduled sync could not start');
      }
    }
    return outcomes;
  }

  /** Waits up to `graceMs` for running syncs, then stops them between stages (and kills a running pg_restore). */
  async shutdown(graceMs: number): Promise<void> {
    const all = () => Promise.allSettled([...this.active]);
    const timer = new Promise<'late'>((resolve) => { const t = setTimeout(() => resolve('late'), graceMs); t.unref(); });
    if ((await Promise.race([all().then(() => 'done' as const), timer])) === 'late') {
      this.logger.warn({ running: this.active.size }, 'stopping running syncs for shutdown');
    }
    this.stopping.abort();
    await all();
  }
}
