import { findStore, loadConfig } from '../config/load-config.ts';
import { createApp } from '../main/app.ts';
import { terminalCore } from '../main/terminal-core.ts';
import { IndexCache } from '../pipeline/search/index-cache.ts';
import { PriceSearch } from '../pipeline/search/price-search.ts';
import { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import { cliLogger } from './cli-log.ts';
import { cliIo } from './print.ts';
import { LOCAL_OPERATOR } from '../bot/access.ts';
import { TerminalChat } from './terminal-chat.ts';

/**
 * `tokobot chat [--store ID]`: the bot's chat in this terminal, over the configured stores'
 * published lists, as the owner — the person at the machine that runs tokobot. Needs the ops
 * database on the restore server, not Telegram, and not Dropbox until a sync or backup needs it
 * (checkRunnable). `--store` picks the store asked about (kept, as /toko keeps it).
 */
export async function chat(store: string | undefined): Promise<number> {
  const config = loadConfig(cliIo().env, { reader: true });
  const chosen = store === undefined ? undefined : findStore(config.stores, store);
  const logger = cliLogger(config);
  const app = await createApp(config, logger);
  try {
    // Like tokobot ask: the index from DATA_DIR's cache, each answer's rows read when asked (no wait for every price at start).
    const search = new PriceSearch(app.opsStores.priceLists, { prices: 'per-question', indexCache: new IndexCache(config.dataDir) });
    const terminal = terminalCore(app, search, new SyncRunner(app.sync, logger));
    if (chosen) await terminal.chat.setStore(LOCAL_OPERATOR, chosen.id);
    try {
      await new TerminalChat(terminal).run();
    } finally {
      await terminal.shutdown();
    }
    return 0;
  } finally {
    await app.close();
  }
}
