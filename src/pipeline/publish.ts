import { createReadStream } from 'node:fs';
import { access, rename } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { killPoint } from '../kill-point.ts';
import { inTransaction } from './ops/in-transaction.ts';
import { PRICE_COLUMNS } from './price-rules.ts';
import { swapStagingIn } from './databases.ts';
import type { RunHistory, StageRecord } from './run-history.ts';

export interface Publication {
  store: string;
  runId: number;
  /** The validated export under its temporary name; it gets `csvPath` only once the publication has committed. */
  tmpCsvPath: string;
  csvPath: string;
  contentHash: string;
  sourceFile: string;
  sourceModified: Date | null;
  archive: unknown;
  rowCount: number;
  stages: StageRecord[];
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

/** Replaces a store's price list inside the caller's transaction (publishRun; tests and benches seeding a list). */
export async function replacePriceList(client: pg.PoolClient, p: Omit<Publication, 'stages'>): Promise<void> {
  await client.query('DELETE FROM price_rows WHERE store = $1', [p.store]);
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

/**
 * Publishes a run in one transaction of the ops database, which lives on the restore server:
 * the price list, the run's success and the database swap (staging → live) commit together or
 * not at all, so readers and a crash see either the old state or the new one. The CSV gets its
 * final name after the commit; a crash in between is finished by `finishPublication`.
 */
export async function publishRun(ops: pg.Pool, history: RunHistory, p: Publication): Promise<{ fileInPlace: boolean }> {
  await inTransaction(ops, async (client) => {
    await replacePriceList(client, p);
    await history.update(p.runId, { stage: 'publish', stages: p.stages }, 'success', client);
    await swapStagingIn(client, p.store);
    killPoint('publish:before-commit');
  });
  killPoint('publish:committed');
  // Published already: a rename that fails now is finished by the next run, not a failed sync.
  const fileInPlace = await rename(p.tmpCsvPath, p.csvPath).then(() => true, () => false);
  killPoint('publish:file-in-place');
  return { fileInPlace };
}

const present = (file: string) => access(file).then(() => true, () => false);

/**
 * After a crash between a publication's commit and the rename of its CSV, puts the file in place
 * and notes it on that run. Returns the note, or null when there was nothing to finish.
 */
export async function finishPublication(ops: pg.Pool, history: RunHistory, store: string): Promise<string | null> {
  const published = await publishedOf(ops, store);
  if (!published?.csv_path || await present(published.csv_path) || !(await present(`${published.csv_path}.tmp`))) return null;
  await rename(`${published.csv_path}.tmp`, published.csv_path);
  const note = 'tokobot stopped after publishing this run and before its price list file was in place; the next run put it there';
  await history.update(Number(published.run_id), { note });
  return note;
}

export async function publishedOf(pool: pg.Pool, store: string) {
  const res = await pool.query('SELECT * FROM published WHERE store = $1', [store]);
  return (res.rows[0] as { run_id: string; content_hash: string; row_count: number; csv_path: string | null; source_file: string; published_at: Date } | undefined) ?? null;
}
