import type { Logger } from 'pino';
import { isAppError } from '../../errors.ts';
import type { StoreConfig } from '../../config/load-config.ts';
import { Runner } from '../runs/runner.ts';
import type { SyncProgress } from './run-tracker.ts';
import { syncLifecycle, type SyncDeps, type SyncOutcome } from './sync-store.ts';

/**
 * The syncs a long-running tokobot starts (schedule and chat), through the lifecycle every kind of
 * run shares (Runner): running syncs may finish for a while on shutdown, then are told to stop
 * between stages (a running pg_restore is killed).
 */
export class SyncRunner extends Runner<StoreConfig, SyncProgress, SyncOutcome> {
  constructor(private readonly deps: SyncDeps, logger: Pick<Logger, 'info' | 'warn' | 'error'>) {
    super(syncLifecycle(deps), deps.stores, logger);
  }

  /** The scheduled sync: every store in turn; a store already syncing (here or elsewhere) is skipped. */
  async runAll(trigger: string): Promise<SyncOutcome[]> {
    const outcomes: SyncOutcome[] = [];
    for (const store of this.deps.stores) {
      try {
        outcomes.push(await this.run(store, trigger));
      } catch (err) {
        if (isAppError(err) && (err.kind === 'busy' || err.kind === 'interrupted')) this.logger.info({ store: store.id }, err.message);
        else this.logger.error({ err, store: store.id }, 'scheduled sync could not start');
      }
    }
    return outcomes;
  }
}
