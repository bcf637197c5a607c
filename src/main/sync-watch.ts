import type { App } from './app.ts';
import type { StoreConfig } from '../config/load-config.ts';
import { isAppError } from '../errors.ts';
import type { BackupSourceWatch } from '../pipeline/ports.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { DropboxWatch, type DropboxWatchOptions } from '../adapters/dropbox/dropbox-watch.ts';
import { FolderWatch } from '../adapters/folder/folder-watch.ts';

/** What tests shorten: the longpoll's timeout, the settle wait, the waits after failures. */
export type SyncWatchOptions = Pick<DropboxWatchOptions, 'timeoutS' | 'settleMs' | 'errorWaitMs' | 'retry'>;

export interface SyncWatch {
  /** Aborts every pending longpoll and waits for the watches to end (a sync they started finishes through the runner's shutdown). */
  stop(): Promise<void>;
}

/**
 * Starts a store's sync for each event through the runner. Events while the store syncs are not
 * lost: they make one more sync after it (busy elsewhere: after that run finishes); any number of them make one.
 */
export function syncOnEvents(runner: Pick<SyncRunner, 'run' | 'onFinished'>, logger: Pick<App['logger'], 'info' | 'warn'>, signal: AbortSignal): (store: StoreConfig) => void {
  const syncing = new Set<string>();
  const again = new Set<string>();
  const sync = (store: StoreConfig): void => {
    if (signal.aborted) return;
    if (syncing.has(store.id)) return void again.add(store.id);
    syncing.add(store.id);
    void (async () => {
      try {
        do {
          again.delete(store.id);
          const outcome = await runner.run(store, 'watch');
          logger.info({ store: store.id, status: outcome.status }, 'sync after a new backup finished');
        } while (again.has(store.id) && !signal.aborted);
      } catch (err) {
        // Busy: a sync by the schedule or a chat runs; the listener below starts one more after it.
        if (isAppError(err) && err.kind === 'busy') again.add(store.id);
        else logger.warn({ store: store.id, err }, 'sync after a new backup did not start');
      } finally {
        syncing.delete(store.id);
      }
    })();
  };
  runner.onFinished((_outcome, store) => {
    if (again.has(store.id) && !syncing.has(store.id)) sync(store);
  });
  return sync;
}

/**
 * Event-driven sync (SYNC_WATCH): each store's folder (Dropbox or local) is watched, and a new backup starts
 * that store's sync through the runner, as the schedule does (syncOnEvents).
 */
export function startSyncWatch(app: Pick<App, 'config' | 'logger' | 'opsStores'>, runner: SyncRunner, options: SyncWatchOptions = {}): SyncWatch {
  const { config, logger } = app;
  const stopping = new AbortController();
  const sync = syncOnEvents(runner, logger, stopping.signal);

  const watches: Promise<void>[] = [];
  if (config.sync.watch) {
    for (const store of config.stores) {
      const watch: BackupSourceWatch = store.source.type === 'folder'
        ? new FolderWatch({ dir: store.source.dir, logger, settleMs: options.settleMs, errorWaitMs: options.errorWaitMs?.most })
        : new DropboxWatch({ ...config.dropbox, proxy: config.proxy, logger, folder: store.source.folder, cursors: app.opsStores.watchCursors, ...options });
      watches.push(watch.watch(() => sync(store), stopping.signal));
    }
    if (watches.length) logger.info({}, `sync watch: ${watches.length} backup folder(s) watched for new backups`);
  }
  return {
    async stop() {
      stopping.abort();
      await Promise.all(watches);
    },
  };
}
