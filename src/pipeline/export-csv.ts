import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { priceExportSql } from './price-rules.ts';
import { AppError } from '../errors.ts';

/**
 * Streams the price list of a restored iPOS database into a CSV file (header + one row per
 * item, unit and price entry). COPY does the quoting, so memory stays flat whatever the size.
 */
export async function exportPriceCsv(connection: pg.ClientConfig, storeId: string, destPath: string): Promise<{ bytes: number }> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const stream = client.query(copyTo(`COPY (${priceExportSql(storeId)}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
    const file = createWriteStream(destPath, { mode: 0o640 });
    await pipeline(stream, file);
    return { bytes: file.bytesWritten };
  } catch (err) {
    const pgErr = err as { code?: string; message?: string };
    if (pgErr.code === '42P01' || pgErr.code === '42703') {
      throw new AppError('export-failed',
        `The backup does not look like an iPOS 5 database (${pgErr.message}). Check that the folder holds iPOS backups.`, { cause: err });
    }
    throw new AppError('export-failed', `Exporting the price list failed: ${pgErr.message ?? String(err)}`, { cause: err });
  } finally {
    await client.end();
  }
}
