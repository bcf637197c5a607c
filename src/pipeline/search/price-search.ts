import type pg from 'pg';
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

/**
 * Answers price questions from the published lists. Each store's search index is built in
 * memory from the ops database and rebuilt when that store's list is published again (one
 * cheap query per question checks that).
 */
export class PriceSearch {
  private readonly indexes = new Map<string, { version: string; index: PriceIndex }>();

  constructor(private readonly pool: pg.Pool) {}

  private async indexOf(store: string): Promise<PriceIndex> {
    const res = await this.pool.query('SELECT run_id::text AS version FROM published WHERE store = $1', [store]);
    const version = (res.rows[0]?.version as string | undefined) ?? 'none';
    const cached = this.indexes.get(store);
    if (cached?.version === version) return cached.index;
    const items = await this.pool.query('SELECT kodeitem, namaitem, codes FROM price_items WHERE store = $1', [store]);
    const index = new PriceIndex(items.rows);
    this.indexes.set(store, { version, index });
    return index;
  }

  /** An exact item code or barcode first; otherwise names ranked by how well each word matches. */
  async search(store: string, query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const limit = options.limit ?? 10;
    const offset = options.offset ?? 0;
    const index = await this.indexOf(store);
    const exact = index.exact(query);
    const codes = exact.length > 0 ? exact.map((i) => i.kodeitem) : index.rank(query).map((r) => r.item.kodeitem);
    const page = codes.slice(offset, offset + limit);
    return { store, query, exact: exact.length > 0, total: codes.length, items: await this.load(store, page) };
  }

  /** Close names for a question that found nothing ("did you mean"). */
  async suggest(store: string, query: string): Promise<string[]> {
    return (await this.indexOf(store)).closeNames(query);
  }

  /** One item with all its price rows (for its card), or null. */
  async item(store: string, kodeitem: string): Promise<PriceItem | null> {
    return (await this.load(store, [kodeitem]))[0] ?? null;
  }

  private async load(store: string, codes: string[]): Promise<PriceItem[]> {
    if (codes.length === 0) return [];
    const res = await this.pool.query(
      `SELECT kodeitem, namaitem, jenis, merek, sistemhargajual, stok::text AS stok, satuan, konversi::text AS konversi,
              coalesce(barcode, '') AS barcode, level, jmlsampai::text AS jmlsampai, hargapokok::text AS hargapokok,
              hargajual::text AS hargajual
       FROM price_rows p WHERE store = $1 AND kodeitem = ANY($2)
       ORDER BY p.konversi, p.satuan, p.level NULLS FIRST, p.jmlsampai NULLS FIRST`,
      [store, codes]);
    const byCode = new Map<string, PriceItem>();
    for (const r of res.rows) {
      let item = byCode.get(r.kodeitem);
      if (!item) {
        item = { kodeitem: r.kodeitem, namaitem: r.namaitem, jenis: r.jenis, merek: r.merek,
          sistemhargajual: r.sistemhargajual, stok: r.stok, entries: [] };
        byCode.set(r.kodeitem, item);
      }
      item.entries.push({ satuan: r.satuan, konversi: r.konversi, barcode: r.barcode, level: r.level,
        jmlsampai: r.jmlsampai, hargapokok: r.hargapokok, hargajual: r.hargajual });
    }
    return codes.map((c) => byCode.get(c)).filter((i): i is PriceItem => Boolean(i));
  }
}
