import type { App } from './app.ts';
import type { StoreConfig } from '../config/load-config.ts';
import type { BackupSourceWatch } from '../pipeline/ports.ts';
import { DropboxWatch, type DropboxWatchOptions } from '../adapters/dropbox/dropbox-watch.ts';
import { FolderWatch } from '../adapters/folder/folder-watch.ts';

/** What tests shorten: the longpoll's timeout, the settle wait, the waits after failures. */
export type SyncWatchOptions = Pick<DropboxWatchOptions, 'timeoutS' | 'settleMs' | 'errorWaitMs' | 'retry'>;

export interface SyncWatch {
  /** Aborts every pending longpoll and waits for the watches to end (a sync they started finishes through the runner's shutdown). */
  stop(): Promise<void>;
}

/**
 * Event-driven sync (SYNC_WATCH): each store's folder (Dropbox or local) is watched, and a new
 * backup queues that store's sync (`enqueue`). The queue makes events before the sync starts one
 * sync, and an event during it one more after it, whichever worker runs them.
 */
export function startSyncWatch(app: Pick<App, 'config' | 'logger' | 'opsStores'>, enqueue: (store: StoreConfig) => Promise<void>, options: SyncWatchOptions = {}): SyncWatch {
  const { config, logger } = app;
  const stopping = new AbortController();
  const sync = (store: StoreConfig) => {
    if (stopping.signal.aborted) return;
    void enqueue(store).then(() => logger.info({ store: store.id }, 'new backup: sync queued'),
      (err: unknown) => logger.warn({ store: store.id, err }, 'new backup: its sync could not be queued; the schedule will take it'));
  };

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
