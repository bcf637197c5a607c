import type pg from 'pg';
import { canonicalWords } from './abbreviations.ts';

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

// Lower than pg_trgm's default 0.6 so one or two typos in a word still match.
const WORD_THRESHOLD = 0.45;
const MAX_CANDIDATES = 200;

async function exactCodes(client: pg.PoolClient, store: string, query: string): Promise<string[]> {
  const code = query.trim();
  if (!code || /\s/.test(code)) return [];
  const res = await client.query(
    'SELECT kodeitem FROM price_items WHERE store = $1 AND codes @> ARRAY[$2::text] ORDER BY kodeitem LIMIT 20',
    [store, code.toUpperCase()]);
  return res.rows.map((r) => r.kodeitem as string);
}

async function nameMatches(client: pg.PoolClient, store: string, query: string): Promise<string[]> {
  const tokens = [...new Set(canonicalWords(query))].slice(0, 8);
  if (tokens.length === 0) return [];
  const params: unknown[] = [store, tokens.join(' ')];
  const score: string[] = [];
  const filter: string[] = [];
  for (const t of tokens) {
    params.push(t);
    const p = `$${params.length}`;
    score.push(`word_similarity(${p}, search_text)`);
    filter.push(`${p} <% search_text`);
  }
  await client.query(`SET pg_trgm.word_similarity_threshold = ${WORD_THRESHOLD}`);
  const res = await client.query(
    `SELECT kodeitem FROM price_items
     WHERE store = $1 AND (${filter.join(' OR ')})
     ORDER BY (${score.join(' + ')}) + similarity($2, search_text) DESC, namaitem
     LIMIT ${MAX_CANDIDATES}`,
    params);
  return res.rows.map((r) => r.kodeitem as string);
}

async function loadItems(client: pg.PoolClient, store: string, codes: string[]): Promise<PriceItem[]> {
  if (codes.length === 0) return [];
  const res = await client.query(
    `SELECT kodeitem, namaitem, jenis, merek, sistemhargajual, stok::text AS stok, satuan, konversi::text AS konversi,
            coalesce(barcode, '') AS barcode, level, jmlsampai::text AS jmlsampai, hargapokok::text AS hargapokok,
            hargajual::text AS hargajual
     FROM price_rows WHERE store = $1 AND kodeitem = ANY($2)
     ORDER BY konversi, satuan, level NULLS FIRST, jmlsampai NULLS FIRST`,
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

/**
 * Answers a price question from a store's published list: an exact item code or barcode first,
 * otherwise names ranked by how well each word matches (typos, any order, iPOS shorthand).
 */
export async function searchPrices(pool: pg.Pool, store: string, query: string, options: SearchOptions = {}): Promise<SearchResult> {
  const limit = options.limit ?? 10;
  const offset = options.offset ?? 0;
  const client = await pool.connect();
  try {
    const exact = await exactCodes(client, store, query);
    const codes = exact.length > 0 ? exact : await nameMatches(client, store, query);
    const page = codes.slice(offset, offset + limit);
    return { store, query, exact: exact.length > 0, total: codes.length, items: await loadItems(client, store, page) };
  } finally {
    client.release();
  }
}
