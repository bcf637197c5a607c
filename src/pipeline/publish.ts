import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PRICE_COLUMNS } from './price-rules.ts';
import { searchText } from './search/search-text.ts';

export interface Publication {
  store: string;
  runId: number;
  csvPath: string;
  contentHash: string;
  sourceFile: string;
  sourceModified: Date | null;
  archive: unknown;
  rowCount: number;
}

async function rebuildSearchIndex(client: pg.PoolClient, store: string): Promise<void> {
  await client.query('DELETE FROM price_items WHERE store = $1', [store]);
  const res = await client.query(
    `SELECT kodeitem, min(namaitem) AS namaitem,
            array_remove(array_agg(DISTINCT upper(barcode)), '') AS barcodes
     FROM price_rows WHERE store = $1 GROUP BY kodeitem`, [store]);
  const codes: string[] = [];
  const names: string[] = [];
  const texts: string[] = [];
  const allCodes: string[] = [];
  for (const r of res.rows) {
    codes.push(r.kodeitem);
    names.push(r.namaitem);
    texts.push(searchText(r.namaitem));
    // text[][] must be rectangular, so codes travel as one joined string and are split in SQL.
    allCodes.push([String(r.kodeitem).toUpperCase(), ...(r.barcodes as string[])].join('\u001f'));
  }
  await client.query(
    `INSERT INTO price_items (store, kodeitem, namaitem, search_text, codes)
     SELECT $1, k, n, t, string_to_array(c, chr(31))
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(k, n, t, c)`,
    [store, codes, names, texts, allCodes]);
}

/**
 * Replaces a store's price list with a validated CSV in one transaction: readers see the old
 * list or the new one, never a mix, and a failure leaves the old one in place.
 */
export async function publishPriceList(pool: pg.Pool, p: Publication): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM price_rows WHERE store = $1', [p.store]);
    const copy = client.query(copyFrom(`COPY price_rows (${PRICE_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`));
    await pipeline(createReadStream(p.csvPath), copy);
    await rebuildSearchIndex(client, p.store);
    await client.query(
      `INSERT INTO published (store, run_id, content_hash, source_file, source_modified, archive, row_count, csv_path, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (store) DO UPDATE SET run_id = EXCLUDED.run_id, content_hash = EXCLUDED.content_hash,
         source_file = EXCLUDED.source_file, source_modified = EXCLUDED.source_modified, archive = EXCLUDED.archive,
         row_count = EXCLUDED.row_count, csv_path = EXCLUDED.csv_path, published_at = now()`,
      [p.store, p.runId, p.contentHash, p.sourceFile, p.sourceModified, JSON.stringify(p.archive), p.rowCount, p.csvPath]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function publishedOf(pool: pg.Pool, store: string) {
  const res = await pool.query('SELECT * FROM published WHERE store = $1', [store]);
  return (res.rows[0] as { content_hash: string; row_count: number; csv_path: string | null; source_file: string; published_at: Date } | undefined) ?? null;
}
