import type { Config, StoreConfig } from '../config/load-config.ts';
import { CommandCore } from '../bot/core.ts';
import { createLogger } from '../log.ts';
import { BackupRunner } from '../pipeline/backup/backup-runner.ts';
import { ChatState } from '../pipeline/chat-state.ts';
import { PriceSearch } from '../pipeline/search/price-search.ts';
import { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { createApp } from './app.ts';
import { coreDeps } from './service.ts';

/** What `tokobot demo` drives: the sample store, its sync, and the bot's command core without Telegram. */
export interface DemoApp {
  store: StoreConfig;
  runner: SyncRunner;
  /** The command core over the published price list (made after the sync, so that search starts warm). */
  core(): Promise<CommandCore>;
  close(): Promise<void>;
}

export async function openDemo(config: Config): Promise<DemoApp> {
  const logger = createLogger('error'); // the demo prints what matters itself
  const app = await createApp(config, logger);
  const store = config.stores[0]!;
  const runner = new SyncRunner(app.sync, logger);
  return {
    store, runner,
    async core() {
      const search = new PriceSearch(app.opsStores.priceLists);
      await search.warm(store.id);
      const backupRunner = new BackupRunner(app.backups, [], logger);
      // No owners to tell, no schedules and no alert channels in the demo.
      return new CommandCore(coreDeps(app, { search, syncRunner: runner, backupRunner, chat: new ChatState(app.opsStores.chats, config.locale.lang), notifyOwners: async () => undefined,
        nextSync: () => null, nextBackup: () => null, alerting: () => undefined }));
    },
    close: () => app.close(),
  };
}
