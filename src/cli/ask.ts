import { findStore, loadConfig } from '../config/load-config.ts';
import { createLogger } from '../log.ts';
import { openPriceLists } from '../main/price-reader.ts';
import { IndexCache } from '../pipeline/search/index-cache.ts';
import { PriceSearch } from '../pipeline/search/price-search.ts';
import { searchReply } from '../bot/price-replies.ts';
import { renderText } from '../bot/render-text.ts';
import { cliIo, print } from './print.ts';

/**
 * `tokobot ask`: one answer from the published list, read without building the rest of the app.
 * The search index comes from DATA_DIR's cache when it holds the published list's (IndexCache).
 * Each step leaves a performance mark (ask:*), which bench/cli-bench.ts reads for its split.
 */
export async function ask(text: string, store: string | undefined): Promise<number> {
  performance.mark('ask:start');
  const config = loadConfig(cliIo().env);
  const s = findStore(config.stores, store);
  performance.mark('ask:config');
  const lists = await openPriceLists(config, createLogger(config.log.level, cliIo().stderr));
  performance.mark('ask:connected');
  try {
    const who = { id: 0, name: 'cli', access: 'staff' as const, chat: { id: 0, kind: 'private' as const }, lang: 'id' as const, store: s };
    const search = new PriceSearch(lists.priceLists, { prices: 'per-question', indexCache: new IndexCache(config.dataDir) });
    print(renderText(await searchReply({ search }, null, who, s, text, 0)));
    performance.mark('ask:answered');
    return 0;
  } finally {
    await lists.close();
    performance.mark('ask:closed');
  }
}
