import type { PriceLists } from '../../store/price-lists.ts';
import { PriceIndex } from './price-index.ts';

export interface PriceEntry {
  satuan: string;
  konversi: string;
  barcode: string;
  level: number | null;
  jmlsampai: string | null;
  hargapokok: string | null;
  hargajual: string;
}

export interface PriceItem {
  kodeitem: string;
  namaitem: string;
  jenis: string | null;
  merek: string | null;
  sistemhargajual: string;
  stok: string;
  entries: PriceEntry[];
}

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
  items: Map<string, PriceItem>;
}

type ListReads = Pick<PriceLists, 'published' | 'read'>;

async function loadList(lists: ListReads, store: string): Promise<StoreList> {
  const { items, rows } = await lists.read(store);
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
  return { index: new PriceIndex(items), items: byCode };
}

/**
 * Answers price questions from the published lists. Each store's list and search index live in
 * memory (about 20 MB per 100,000 rows), loaded from the ops database once per publication, so a
 * question costs no database round trip beyond a version check at most once a second.
 */
export class PriceSearch {
  private readonly lists = new Map<string, { version: string; list: Promise<StoreList>; checkedAt: number }>();

  constructor(private readonly priceLists: ListReads) {}

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
    const list = loadList(this.priceLists, store);
    this.lists.set(store, { version, list, checkedAt: Date.now() });
    list.catch(() => this.lists.delete(store));
    return list;
  }

  /** Loads a store's list ahead of the first question. */
  async warm(store: string): Promise<void> {
    await this.listOf(store);
  }

  /** An exact item code or barcode first; otherwise names ranked by how well each word matches. */
  async search(store: string, query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const limit = options.limit ?? 10;
    const offset = options.offset ?? 0;
    const { index, items } = await this.listOf(store);
    const exact = index.exact(query);
    const found = exact.length > 0 ? { codes: exact.map((i) => i.kodeitem), total: exact.length } : (() => {
      const r = index.rank(query, offset + limit);
      return { codes: r.ranked.map((x) => x.item.kodeitem), total: r.total };
    })();
    const page = found.codes.slice(offset, offset + limit).map((c) => items.get(c)).filter((i): i is PriceItem => Boolean(i));
    return { store, query, exact: exact.length > 0, total: found.total, items: page };
  }

  /** Close names for a question that found nothing ("did you mean"). */
  async suggest(store: string, query: string): Promise<string[]> {
    return (await this.listOf(store)).index.closeNames(query);
  }

  /** One item with all its price rows (for its card), or null. */
  async item(store: string, kodeitem: string): Promise<PriceItem | null> {
    return (await this.listOf(store)).items.get(kodeitem) ?? null;
  }
}
