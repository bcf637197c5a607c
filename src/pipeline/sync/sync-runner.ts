import type { Logger } from 'pino';
import type { StoreConfig } from '../../config/load-config.ts';
import { Runner } from '../runs/runner.ts';
import type { SyncProgress } from './run-tracker.ts';
import { syncLifecycle, type SyncDeps, type SyncOutcome } from './sync-store.ts';

/**
 * The syncs a tokobot process runs (the jobs its worker takes, the CLI's), through the lifecycle every kind of
 * run shares (Runner): running syncs may finish for a while on shutdown, then are told to stop
 * between stages (a running pg_restore is killed).
 */
export class SyncRunner extends Runner<StoreConfig, SyncProgress, SyncOutcome> {
  constructor(deps: SyncDeps, logger: Pick<Logger, 'info' | 'warn' | 'error'>) {
    super(syncLifecycle(deps), deps.stores, logger);
  }
}
