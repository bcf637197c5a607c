import { findStore, loadConfig, type StoreConfig } from '../config/load-config.ts';
import { openPriceLists } from '../main/price-reader.ts';
import { IndexCache } from '../pipeline/search/index-cache.ts';
import { PriceSearch, type SearchResult } from '../pipeline/search/price-search.ts';
import { PAGE, resultReply } from '../bot/price-replies.ts';
import { renderText } from '../bot/render-text.ts';
import { cliLogger } from './cli-log.ts';
import { cliIo, print } from './print.ts';

/** The exit code of a question asked before the store's first published list (no successful sync): nothing could be looked up. */
const NO_LIST_EXIT = 3;

/**
 * `tokobot ask --json`: the store, the question, whether a list is published, how many items
 * match, and the first page of them, best first, each with its selling prices as iPOS keeps them
 * (decimal strings; no cost prices, as for staff in the chat). Documented in the README.
 */
function asJson(store: StoreConfig, result: SearchResult) {
  return {
    store: { id: store.id, name: store.name }, query: result.query, listed: result.listed, exact: result.exact, total: result.total,
    items: result.items.map((item, i) => ({
      rank: i + 1, kodeitem: item.kodeitem, namaitem: item.namaitem, merek: item.merek, jenis: item.jenis, stok: item.stok,
      prices: item.entries.map((e) => ({ satuan: e.satuan, konversi: e.konversi, level: e.level, jmlsampai: e.jmlsampai, hargajual: e.hargajual, barcode: e.barcode })),
    })),
  };
}

/**
 * `tokobot ask`: one answer from the published list, read without building the rest of the app
 * and without the settings of the backup sources (Dropbox): only the restore server's.
 * The search index comes from DATA_DIR's cache when it holds the published list's (IndexCache).
 * Each step leaves a performance mark (ask:*), which bench/cli-bench.ts reads for its split.
 * Exit 0 with an answer (also "no item matches"), NO_LIST_EXIT before the first sync. An empty
 * question never gets here: the command line refuses it (src/cli/commands.ts).
 */
export async function ask(text: string, store: string | undefined, json = false): Promise<number> {
  performance.mark('ask:start');
  const config = loadConfig(cliIo().env, { reader: true });
  const s = findStore(config.stores, store);
  performance.mark('ask:config');
  const lists = await openPriceLists(config, cliLogger(config));
  performance.mark('ask:connected');
  try {
    const who = { id: 0, name: 'cli', access: 'staff' as const, chat: { id: 0, kind: 'private' as const }, lang: config.locale.lang, store: s };
    const search = new PriceSearch(lists.priceLists, { prices: 'per-question', indexCache: new IndexCache(config.dataDir) });
    const result = await search.search(s.id, text, { limit: PAGE });
    print(json ? JSON.stringify(asJson(s, result), null, 2) : renderText(await resultReply({ search }, null, who, s, result, 0)));
    performance.mark('ask:answered');
    return result.listed ? 0 : NO_LIST_EXIT;
  } finally {
    await lists.close();
    performance.mark('ask:closed');
  }
}
