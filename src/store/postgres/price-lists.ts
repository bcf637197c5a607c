import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { PRICE_COLUMNS } from '../../pipeline/price-rules.ts';
import type { ListedItem, ListedPrice, PriceLists, Publication, PublishedList, PublishOptions } from '../price-lists.ts';
import { inTransaction } from './in-transaction.ts';
import { updateRun } from './sync-runs.ts';

/**
 * Swaps a store's restored databases (staging in) inside the publication's open transaction on
 * the ops database: the renames then commit or roll back with the list (swapStagingIn).
 */
export type DatabaseSwap = (c: pg.ClientBase, store: string) => Promise<void>;

/** One row per item with its code and barcodes, each once (many shops use an item's barcode as its code): what the search index is loaded from. */
async function rebuildItems(client: pg.ClientBase, store: string): Promise<void> {
  await client.query('DELETE FROM price_items WHERE store = $1', [store]);
  await client.query(
    `INSERT INTO price_items (store, kodeitem, namaitem, codes)
     SELECT store, kodeitem, min(namaitem),
            coalesce(array_agg(DISTINCT upper(barcode)) FILTER (WHERE barcode <> '' AND upper(barcode) <> upper(kodeitem)), '{}') || upper(kodeitem)
     FROM price_rows WHERE store = $1 GROUP BY store, kodeitem`, [store]);
}

async function replaceList(client: pg.ClientBase, p: Publication): Promise<void> {
  await client.query('DELETE FROM price_rows WHERE store = $1', [p.store]);
  // Imported here: readers of the lists (tokobot ask) never load it.
  const { from: copyFrom } = await import('pg-copy-streams');
  const copy = client.query(copyFrom(`COPY price_rows (${PRICE_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`));
  await pipeline(createReadStream(p.tmpCsvPath), copy);
  await rebuildItems(client, p.store);
  await client.query(
    `INSERT INTO published (store, run_id, content_hash, source_file, source_modified, archive, row_count, csv_path, published_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
     ON CONFLICT (store) DO UPDATE SET run_id = EXCLUDED.run_id, content_hash = EXCLUDED.content_hash,
       source_file = EXCLUDED.source_file, source_modified = EXCLUDED.source_modified, archive = EXCLUDED.archive,
       row_count = EXCLUDED.row_count, csv_path = EXCLUDED.csv_path, published_at = now()`,
    [p.store, p.runId, p.contentHash, p.sourceFile, p.sourceModified, JSON.stringify(p.archive), p.rowCount, p.csvPath]);
}

const ROWS_SQL = `
  SELECT kodeitem, namaitem, jenis, merek, sistemhargajual, stok::text AS stok, satuan, konversi::text AS konversi,
         coalesce(barcode, '') AS barcode, level, jmlsampai::text AS jmlsampai, hargapokok::text AS hargapokok,
         hargajual::text AS hargajual
  FROM price_rows p WHERE store = $1 AND ($2::text[] IS NULL OR kodeitem = ANY($2))
  ORDER BY p.kodeitem, p.konversi, p.satuan, p.level NULLS FIRST, p.jmlsampai NULLS FIRST`;

function toPublished(r: Record<string, any>): PublishedList {
  return {
    store: r.store, runId: Number(r.run_id), contentHash: r.content_hash, sourceFile: r.source_file, sourceModified: r.source_modified,
    archive: r.archive, rowCount: r.row_count, csvPath: r.csv_path, publishedAt: r.published_at,
  };
}

/** The published lists in the ops database: published (one record per store), price_rows and price_items. */
export class PgPriceLists implements PriceLists {
  constructor(private readonly pool: pg.Pool, private readonly swap: DatabaseSwap) {}

  async publish(p: Publication, options: PublishOptions = {}): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await replaceList(client, p);
      await updateRun(client, p.runId, { stage: 'publish', stages: p.stages }, 'success');
      await this.swap(client, p.store);
      options.beforeCommit?.();
    });
  }

  async published(store: string): Promise<PublishedList | null> {
    const r = (await this.pool.query('SELECT * FROM published WHERE store = $1', [store])).rows[0];
    return r ? toPublished(r) : null;
  }

  async publishedOf(stores: string[]): Promise<Map<string, PublishedList>> {
    const res = await this.pool.query('SELECT * FROM published WHERE store = ANY($1)', [stores]);
    return new Map(res.rows.map((r) => [r.store as string, toPublished(r)]));
  }

  async items(store: string): Promise<ListedItem[]> {
    return (await this.pool.query('SELECT kodeitem, namaitem, codes FROM price_items WHERE store = $1', [store])).rows;
  }

  async prices(store: string, kodeitems?: string[]): Promise<ListedPrice[]> {
    return (await this.pool.query(ROWS_SQL, [store, kodeitems ?? null])).rows;
  }
}
