import type { ListedPrice, PriceLists, PublishedList } from '../../store/price-lists.ts';
import type { IndexCache } from './index-cache.ts';
import { PriceIndex } from './price-index.ts';

/** One price of an item: a unit, level or quantity tier. */
export type PriceEntry = Pick<ListedPrice, 'satuan' | 'konversi' | 'barcode' | 'level' | 'jmlsampai' | 'hargapokok' | 'hargajual'>;

/** An item of the published list with its prices. */
export type PriceItem = Omit<ListedPrice, keyof PriceEntry> & { entries: PriceEntry[] };

export interface SearchResult {
  store: string;
  query: string;
  /** False before the store's first published list (no successful sync): nothing can match yet. */
  listed: boolean;
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
  listed: boolean;
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
  /** Where built indexes are kept between processes (IndexCache): loaded from there when its file is of the published list. */
  indexCache?: Pick<IndexCache, 'read' | 'write'>;
}

const NOT_PUBLISHED = 'none';

/** What tells one publication of a store's list from another: its run, its backup and when it was published. */
function versionOf(published: Pick<PublishedList, 'runId' | 'contentHash' | 'publishedAt'> | null): string {
  return published ? `${published.runId}:${published.contentHash}:${published.publishedAt.getTime()}` : NOT_PUBLISHED;
}

/**
 * Answers price questions from the published lists. Each store's search index lives in memory,
 * loaded once per publication (from `indexCache` when it has that publication's, else built from
 * the ops database and cached), with its prices unless `prices` is 'per-question' (measured for
 * 104,000 rows: 41 MB of heap and 91 MB of resident memory with the prices, 2 MB and 37 MB
 * without), and checked against the published version at most once a second.
 */
export class PriceSearch {
  private readonly lists = new Map<string, { version: string; list: Promise<StoreList>; checkedAt: number }>();
  private readonly inMemory: boolean;
  private readonly cache: PriceSearchOptions['indexCache'];

  constructor(private readonly priceLists: ListReads, options: PriceSearchOptions = {}) {
    this.inMemory = (options.prices ?? 'in-memory') === 'in-memory';
    this.cache = options.indexCache;
  }

  /** The index of that publication: from the cache when it has it, else built from the list's items and cached. */
  private async indexOf(store: string, version: string): Promise<PriceIndex> {
    const cache = version === NOT_PUBLISHED ? undefined : this.cache;
    const cached = await cache?.read(store, version);
    if (cached) return cached;
    const index = new PriceIndex(await this.priceLists.items(store));
    // A cache that cannot be written (a full disk, a read-only folder) only costs the next reader the build.
    await cache?.write(store, version, index).catch(() => undefined);
    return index;
  }

  private async load(store: string, version: string): Promise<StoreList> {
    const listed = version !== NOT_PUBLISHED;
    if (!this.inMemory) return { listed, index: await this.indexOf(store, version) };
    const [index, rows] = await Promise.all([this.indexOf(store, version), this.priceLists.prices(store)]);
    return { listed, index, items: itemsFrom(rows) };
  }

  /** `recheck`: ask for the published version even when it was asked within the second (a list was just published). */
  private async listOf(store: string, recheck = false): Promise<StoreList> {
    const fresh = this.lists.get(store);
    if (!recheck && fresh && Date.now() - fresh.checkedAt < 1000) return fresh.list;
    const version = versionOf(await this.priceLists.published(store));
    const cached = this.lists.get(store);
    if (cached?.version === version) {
      cached.checkedAt = Date.now();
      return cached.list;
    }
    // The promise is cached, not the result: many first questions at once share one load.
    const list = this.load(store, version);
    this.lists.set(store, { version, list, checkedAt: Date.now() });
    list.catch(() => this.lists.delete(store));
    return list;
  }

  /** The items of `codes` with their prices, in that order. */
  private async itemsOf(store: string, list: StoreList, codes: string[]): Promise<PriceItem[]> {
    const items = list.items ?? itemsFrom(codes.length ? await this.priceLists.prices(store, codes) : []);
    return codes.map((c) => items.get(c)).filter((i): i is PriceItem => Boolean(i));
  }

  /**
   * Loads a store's list ahead of the first question; called at start and once a sync published a
   * new list, so it never takes the list looked up within the last second for the current one.
   */
  async warm(store: string): Promise<void> {
    await this.listOf(store, true);
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
    return { store, query, listed: list.listed, exact: exact.length > 0, total: found.total, items: page };
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
