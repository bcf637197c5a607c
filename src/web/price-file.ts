import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Lang } from '../i18n/lang.ts';
import { priceFileName, priceWorkbook, type PriceFileKind } from '../pipeline/price-workbook.ts';
import type { PublishedList } from '../store/price-lists.ts';

const TYPES: Record<PriceFileKind, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The published price list as a download: the CSV is the very file that was published, streamed
 * from disk; the XLSX is its Excel workbook in the reader's language (price-workbook.ts: built
 * once, streamed to disk, kept next to the CSV), streamed likewise. Null when the store has no
 * published file on disk.
 */
export async function priceFile(published: PublishedList | null, kind: PriceFileKind, lang: Lang): Promise<Response | null> {
  const file = published?.csvPath;
  if (!published || !file || !(await access(file).then(() => true, () => false))) return null;
  const headers = {
    'Content-Type': TYPES[kind],
    'Content-Disposition': `attachment; filename="${priceFileName(published.store, published.publishedAt, kind)}"`,
    'Cache-Control': 'no-store',
  };
  const served = kind === 'csv' ? file : (await priceWorkbook(file, lang)).path;
  return new Response(Readable.toWeb(createReadStream(served)) as ReadableStream, { headers });
}
