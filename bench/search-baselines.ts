import MiniSearch from 'minisearch';
import pg from 'pg';
import { CATALOGUES, catalogue, type CatalogueName } from '../test/fixtures/search-catalogues/catalogues.ts';
import type { Searcher } from '../test/fixtures/search-catalogues/score.ts';
import { createScratchDb, dropScratchDb, localConnection } from '../test/helpers/local-pg.ts';

const PAGE = 10;

interface Baseline {
  name: string;
  search: Searcher;
  close(): Promise<void>;
}

/**
 * PostgreSQL's pg_trgm over the catalogues in a scratch database (dropped by close): an item
 * code or barcode exactly, else names similar to the question (similarity() above the default
 * threshold of the % operator, 0.3), most similar first, over a trigram GIN index.
 */
export async function pgTrgmBaseline(): Promise<Baseline> {
  const db = `tokobot_search_bench_${process.pid}`;
  await createScratchDb(db);
  const client = new pg.Client(localConnection(db));
  const close = async () => {
    await client.end().catch(() => undefined);
    await dropScratchDb(db);
  };
  try {
    await client.connect();
    const available = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`);
    if (!available.rowCount) throw new Error('the pg_trgm extension is not installed on this PostgreSQL (Debian: the postgresql-contrib package)');
    await client.query('CREATE EXTENSION pg_trgm');
    await client.query('CREATE TABLE items (store text NOT NULL, kodeitem text NOT NULL, namaitem text NOT NULL, codes text[] NOT NULL)');
    for (const store of CATALOGUES) {
      for (const i of catalogue(store)) {
        await client.query('INSERT INTO items VALUES ($1, $2, $3, $4)', [store, i.kodeitem, i.namaitem, [i.kodeitem.toUpperCase(), i.barcode].filter(Boolean)]);
      }
    }
    await client.query('CREATE INDEX items_name_trgm ON items USING gin (lower(namaitem) gin_trgm_ops)');
    await client.query('ANALYZE items');
  } catch (err) {
    await close();
    throw err;
  }
  const search: Searcher = async (store, q) => {
    const exact = await client.query('SELECT namaitem FROM items WHERE store = $1 AND upper(trim($2)) = ANY(codes)', [store, q]);
    if (exact.rowCount) return { results: exact.rows.map((r) => r.namaitem as string), suggestions: [] };
    const similar = await client.query(`SELECT namaitem FROM items WHERE store = $1 AND lower(namaitem) % lower($2)
      ORDER BY similarity(lower(namaitem), lower($2)) DESC, length(namaitem), namaitem LIMIT ${PAGE}`, [store, q]);
    return { results: similar.rows.map((r) => r.namaitem as string), suggestions: [] };
  };
  return { name: 'PostgreSQL pg_trgm', search, close };
}

/**
 * MiniSearch (a general-purpose full-text search library for JavaScript) with its usual
 * settings for a search box: name and codes indexed, prefix and fuzzy (0.2) matching, any word.
 */
export function miniSearchBaseline(): Baseline {
  const indexes = new Map<CatalogueName, MiniSearch>();
  for (const store of CATALOGUES) {
    const index = new MiniSearch({ fields: ['namaitem', 'codes'], storeFields: ['namaitem'],
      searchOptions: { prefix: true, fuzzy: 0.2, combineWith: 'OR' } });
    index.addAll(catalogue(store).map((i, id) => ({ id, namaitem: i.namaitem, codes: [i.kodeitem, i.barcode].join(' ') })));
    indexes.set(store, index);
  }
  const search: Searcher = async (store, q) => ({
    results: (indexes.get(store)?.search(q) ?? []).slice(0, PAGE).map((r) => r.namaitem as string),
    suggestions: [],
  });
  return { name: 'MiniSearch 7', search, close: async () => undefined };
}
