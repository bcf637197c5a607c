import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { App } from './app.ts';
import type { Lang } from '../i18n/lang.ts';
import { announceChanges } from '../bot/change-notices.ts';
import type { CoreDeps } from '../bot/context.ts';
import { changesFileName, changesWorkbook } from '../pipeline/price-change-workbook.ts';

/** Where workbooks of changes are made before they are sent (removed after, or an hour later). */
const changesDir = (app: Pick<App, 'config'>) => path.join(app.config.dataDir, 'changes');

/** What /changes reads and sends, over the ops database. */
export function changeCommands(app: Pick<App, 'config' | 'opsStores'>): NonNullable<CoreDeps['priceChanges']> {
  const log = app.opsStores.priceChanges;
  return {
    since: (store, from, to) => log.since(store, from, to),
    workbook: async (store, changes, days, reader) => {
      const filename = changesFileName(store, new Date(), days);
      return { path: await changesWorkbook(changesDir(app), filename, changes, reader, app.config.locale.zone), filename };
    },
    subscribe: (userId, on) => log.subscribe(userId, on),
  };
}

export interface ChangeNotices {
  /** Looks for publications to tell now (a sync of this process just finished). */
  kick(): void;
  stop(): Promise<void>;
}

/** How often the service looks for publications to tell: a worker process may have published (one small query). */
const POLL_MS = 30_000;

/**
 * `tokobot start` tells owners (and admins who asked) each publication's changes in Telegram,
 * whichever process synced it: the changes are claimed from the ops database and queued in the
 * alert outbox, which delivers them (`delivered` hurries it).
 */
export function startChangeNotices(app: App, o: { langOf: (id: number) => Promise<Lang>; intervalMs?: number; queued?: () => void }): ChangeNotices {
  const { config } = app;
  let running: Promise<unknown> = Promise.resolve();
  let again = false;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = announceChanges({
      log: app.opsStores.priceChanges, roles: config.telegram.roles, stores: config.stores, zone: config.locale.zone, langOf: o.langOf,
      workbook: async (store, changes, reader) => {
        const file = await changesWorkbook(changesDir(app), changesFileName(store, new Date(), 1), changes, reader, config.locale.zone);
        return { path: file, filename: changesFileName(store, new Date(), 1), done: () => unlink(file) };
      },
      queue: app.backupAlertStores.alerts,
      ...(config.web.port === undefined ? {} : { dashboard: (store: string) => `${config.web.baseUrl}/toko/${encodeURIComponent(store)}` }),
      logger: app.logger,
    }).then((queued) => { if (queued) o.queued?.(); }, (err) => app.logger.warn({ err }, 'could not tell the price changes'));
  };
  const kick = () => {
    if (again) return;
    again = true;
    void running.then(() => { again = false; tick(); });
  };
  const timer = setInterval(kick, o.intervalMs ?? POLL_MS);
  timer.unref();
  kick();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
