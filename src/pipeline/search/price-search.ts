import type { ListedPrice, PriceLists } from '../../store/price-lists.ts';
import { PriceIndex } from './price-index.ts';

/** One price of an item: a unit, level or quantity tier. */
export type PriceEntry = Pick<ListedPrice, 'satuan' | 'konversi' | 'barcode' | 'level' | 'jmlsampai' | 'hargapokok' | 'hargajual'>;

/** An item of the published list with its prices. */
export type PriceItem = Omit<ListedPrice, keyof PriceEntry> & { entries: PriceEntry[] };

export interface SearchResult {
  store: string;
  query: string;
  /** True when the question was an item code or barcode and matched one. */
  exact: boolean;
  total: number;
  items: PriceItem[];
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
}

interface StoreList {
  index: PriceIndex;
  /** Every item with its rows, when the prices are kept in memory. */
  items?: Map<string, PriceItem>;
}

type ListReads = Pick<PriceLists, 'published' | 'items' | 'prices'>;

/** Groups price rows (sorted by item) into items with their entries. */
function itemsFrom(rows: ListedPrice[]): Map<string, PriceItem> {
  const byCode = new Map<string, PriceItem>();
  for (const r of rows) {
    let item = byCode.get(r.kodeitem);
    if (!item) {
      item = { kodeitem: r.kodeitem, namaitem: r.namaitem, jenis: r.jenis, merek: r.merek, sistemhargajual: r.sistemhargajual, stok: r.stok, entries: [] };
      byCode.set(r.kodeitem, item);
    }
    item.entries.push({ satuan: r.satuan, konversi: r.konversi, barcode: r.barcode, level: r.level, jmlsampai: r.jmlsampai,
      hargapokok: r.hargapokok, hargajual: r.hargajual });
  }
  return byCode;
}

export interface PriceSearchOptions {
  /**
   * 'in-memory' (the service): every price row is loaded with the index, so a question costs no
   * database round trip. 'per-question' (one-shot commands such as tokobot ask): only the index
   * is loaded, and each answer reads the rows of the items it shows.
   */
  prices?: 'in-memory' | 'per-question';
}

/**
 * Answers price questions from the published lists. Each store's search index lives in memory,
 * loaded from the ops database once per publication (with its prices, about 20 MB per 100,000
 * rows, unless `prices` is 'per-question'), and checked against the published version at most
 * once a second.
 */
export class PriceSearch {
  private readonly lists = new Map<string, { version: string; list: Promise<StoreList>; checkedAt: number }>();
  private readonly inMemory: boolean;

  constructor(private readonly priceLists: ListReads, options: PriceSearchOptions = {}) {
    this.inMemory = (options.prices ?? 'in-memory') === 'in-memory';
  }

  private async load(store: string): Promise<StoreList> {
    if (!this.inMemory) return { index: new PriceIndex(await this.priceLists.items(store)) };
    const [items, rows] = await Promise.all([this.priceLists.items(store), this.priceLists.prices(store)]);
    return { index: new PriceIndex(items), items: itemsFrom(rows) };
  }

  private async listOf(store: string): Promise<StoreList> {
    const fresh = this.lists.get(store);
    if (fresh && Date.now() - fresh.checkedAt < 1000) return fresh.list;
    const version = String((await this.priceLists.published(store))?.runId ?? 'none');
    const cached = this.lists.get(store);
    if (cached?.version === version) {
      cached.checkedAt = Date.now();
      return cached.list;
    }
    // The promise is cached, not the result: many first questions at once share one load.
    const list = this.load(store);
    this.lists.set(store, { version, list, checkedAt: Date.now() });
    list.catch(() => this.lists.delete(store));
    return list;
  }

  /** The items of `codes` with their prices, in that order. */
  private async itemsOf(store: string, list: StoreList, codes: string[]): Promise<PriceItem[]> {
    const items = list.items ?? itemsFrom(codes.length ? await this.priceLists.prices(store, codes) : []);
    return codes.map((c) => items.get(c)).filter((i): i is PriceItem => Boolean(i));
  }

  /** Loads a store's list ahead of the first question. */
  async warm(store: string): Promise<void> {
    await this.listOf(store);
  }

  /** An exact item code or barcode first; otherwise names ranked by how well each word matches. */
  async search(store: string, query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const limit = options.limit ?? 10;
    const offset = options.offset ?? 0;
    const list = await this.listOf(store);
    const exact = list.index.exact(query);
    const found = exact.length > 0 ? { codes: exact.map((i) => i.kodeitem), total: exact.length } : (() => {
      const r = list.index.rank(query, offset + limit);
      return { codes: r.ranked.map((x) => x.item.kodeitem), total: r.total };
    })();
    const page = await this.itemsOf(store, list, found.codes.slice(offset, offset + limit));
    return { store, query, exact: exact.length > 0, total: found.total, items: page };
  }

  /** Close names for a question that found nothing ("did you mean"). */
  async suggest(store: string, query: string): Promise<string[]> {
    return (await this.listOf(store)).index.closeNames(query);
  }

  /** One item with all its price rows (for its card), or null. */
  async item(store: string, kodeitem: string): Promise<PriceItem | null> {
    return (await this.itemsOf(store, await this.listOf(store), [kodeitem]))[0] ?? null;
  }
}
