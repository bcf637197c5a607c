import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { eachCsvRow } from '../pipeline/csv-rows.ts';
import { PRICE_COLUMNS } from '../pipeline/price-rules.ts';
import type { PublishedList } from '../store/price-lists.ts';

export type PriceFileKind = 'csv' | 'xlsx';
type Cell = string | number | null;

/** Columns the XLSX holds as numbers (so a spreadsheet can sum and sort them); the rest stay text (codes keep their leading zeros). */
const NUMERIC = new Set<string>(['konversi', 'level', 'jmlsampai', 'hargapokok', 'hargajual', 'stok']);

const TYPES: Record<PriceFileKind, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** "daftar-harga-toko1-20261129.csv": only letters, digits, '-' and '_', whatever the store's id holds. */
export function priceFileName(store: string, at: Date, kind: PriceFileKind): string {
  const day = at.toISOString().slice(0, 10).replaceAll('-', '');
  return `daftar-harga-${store.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}-${day}.${kind}`;
}

/** The sheet: the header, then each row of the published CSV with its numbers as numbers. */
async function sheetOf(csvPath: string): Promise<Cell[][]> {
  const rows: Cell[][] = [[...PRICE_COLUMNS]];
  await eachCsvRow(csvPath, (r) => rows.push(PRICE_COLUMNS.map((c) => {
    const v = r[c] ?? '';
    return v === '' ? null : NUMERIC.has(c) && Number.isFinite(Number(v)) ? Number(v) : v;
  })));
  return rows;
}

/**
 * write-excel-file builds and zips the whole workbook synchronously (about 7 s of CPU for 100,000
 * rows): done on this thread, the bot and every page would wait that long. A worker thread does
 * it; its code is plain JavaScript given as text, so it runs the same from the sources (tsx) and
 * from the build, and loads write-excel-file only when an owner downloads.
 */
const XLSX_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.writer).then(({ default: write }) => write(workerData.rows, { sheet: workerData.sheet }).toBuffer())
  .then((b) => parentPort.postMessage(b), (err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

/** The XLSX built last (or being built): one at a time, so two owners downloading at once do not double the memory it takes. */
let building: Promise<unknown> = Promise.resolve();

/** The workbook of `csvPath`, built after any other being built now. */
function xlsxOf(csvPath: string): Promise<Uint8Array> {
  const mine = building.then(async () => xlsxInWorker(await sheetOf(csvPath)));
  building = mine.catch(() => undefined);
  return mine;
}

function xlsxInWorker(rows: Cell[][]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(XLSX_WORKER, { eval: true, workerData: { rows, sheet: 'Daftar harga', writer: import.meta.resolve('write-excel-file/node') } });
    worker.once('message', (m: Uint8Array | { error: string }) => {
      void worker.terminate();
      if (m instanceof Uint8Array) resolve(m);
      else reject(new Error(`XLSX worker: ${m.error}`));
    });
    worker.once('error', reject);
  });
}

/**
 * The published price list as a download: the CSV is the very file that was published, streamed
 * from disk; the XLSX is built from it in a worker thread, one at a time (write-excel-file holds
 * the whole workbook in memory: some 400 MB for 100,000 rows, for the length of one build). Null when the store has
 * no published file on disk.
 */
export async function priceFile(published: PublishedList | null, kind: PriceFileKind): Promise<Response | null> {
  const file = published?.csvPath;
  if (!published || !file || !(await access(file).then(() => true, () => false))) return null;
  const headers = {
    'Content-Type': TYPES[kind],
    'Content-Disposition': `attachment; filename="${priceFileName(published.store, published.publishedAt, kind)}"`,
    'Cache-Control': 'no-store',
  };
  if (kind === 'csv') return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, { headers });
  return new Response(await xlsxOf(file) as Uint8Array<ArrayBuffer>, { headers });
}
