import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { PRICE_COLUMNS } from '../pipeline/price-rules.ts';
import type { PublishedList } from '../store/price-lists.ts';

export type PriceFileKind = 'csv' | 'xlsx';

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
async function sheetOf(csvPath: string): Promise<(string | number | null)[][]> {
  const rows: (string | number | null)[][] = [[...PRICE_COLUMNS]];
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, skipEmptyLines: true });
  for await (const r of createReadStream(csvPath).pipe(parser) as AsyncIterable<Record<string, string>>) {
    rows.push(PRICE_COLUMNS.map((c) => {
      const v = r[c] ?? '';
      return v === '' ? null : NUMERIC.has(c) && Number.isFinite(Number(v)) ? Number(v) : v;
    }));
  }
  return rows;
}

/**
 * The published price list as a download: the CSV is the very file that was published, streamed
 * from disk; the XLSX is built from it (write-excel-file holds the sheet in memory while it
 * writes: about 100 MB for 100,000 rows, for the length of one download) and streamed out as it
 * is zipped. Null when the store has no published file on disk.
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
  const { default: writeXlsxFile } = await import('write-excel-file/node'); // loaded by the first download, not at start
  const stream = await (writeXlsxFile(await sheetOf(file), { sheet: 'Daftar harga' }).toStream as () => Promise<Readable>)();
  return new Response(Readable.toWeb(stream) as ReadableStream, { headers });
}
