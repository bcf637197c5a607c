import type { Config, StoreConfig } from '../config/load-config.ts';
import type { Logger } from '../log.ts';
import { PriceSearch } from '../pipeline/search/price-search.ts';
import { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { createApp } from './app.ts';
import { terminalCore, type TerminalCore } from './terminal-core.ts';

/** What `tokobot demo` drives: the sample store, its sync, and the bot's command core without Telegram. */
export interface DemoApp {
  store: StoreConfig;
  runner: SyncRunner;
  /** The terminal's command core over the published price list (made after the sync, so that search starts warm). */
  core(): Promise<TerminalCore>;
  close(): Promise<void>;
}

/** `logger`: the command line's (the demo prints what matters itself). */
export async function openDemo(config: Config, logger: Logger): Promise<DemoApp> {
  const app = await createApp(config, logger);
  const store = config.stores[0]!;
  const runner = new SyncRunner(app.sync, logger);
  return {
    store, runner,
    async core() {
      const search = new PriceSearch(app.opsStores.priceLists);
      await search.warm(store.id);
      return terminalCore(app, search, runner);
    },
    close: () => app.close(),
  };
}
