import { findStore, loadConfig } from '../config/load-config.ts';
import { createLogger } from '../log.ts';
import { openPriceLists } from '../main/price-reader.ts';
import { IndexCache } from '../pipeline/search/index-cache.ts';
import { PriceSearch } from '../pipeline/search/price-search.ts';
import { searchReply } from '../bot/price-replies.ts';
import { renderText } from '../bot/render-text.ts';
import { print } from './print.ts';

/** `tokobot ask`: one answer from the published list, read without building the rest of the app. */
export async function ask(text: string, store: string | undefined): Promise<number> {
  const config = loadConfig();
  const s = findStore(config.stores, store);
  const lists = await openPriceLists(config, createLogger(config.log.level));
  try {
    const who = { id: 0, name: 'cli', access: 'staff' as const, chat: { id: 0, kind: 'private' as const }, lang: 'id' as const, store: s };
    const search = new PriceSearch(lists.priceLists, { prices: 'per-question', indexCache: new IndexCache(config.dataDir) });
    print(renderText(await searchReply({ search }, null, who, s, text, 0)));
    return 0;
  } finally {
    await lists.close();
  }
}
