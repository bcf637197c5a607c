import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PRICE_COLUMNS } from './price-rules.ts';

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

/** One row per item with its code and barcodes: what the search index is loaded from. */
async function rebuildItems(client: pg.PoolClient, store: string): Promise<void> {
  await client.query('DELETE FROM price_items WHERE store = $1', [store]);
  await client.query(
    `INSERT INTO price_items (store, kodeitem, namaitem, codes)
     SELECT store, kodeitem, min(namaitem),
            array_remove(array_agg(DISTINCT upper(barcode)), '') || upper(kodeitem)
     FROM price_rows WHERE store = $1 GROUP BY store, kodeitem`, [store]);
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
    await rebuildItems(client, p.store);
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
