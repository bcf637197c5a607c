import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PRICE_COLUMNS } from '../../src/pipeline/price-rules.ts';
import type { OpsStores } from '../../src/store/index.ts';

/** A price row as the export writes it; what is not given is a plain single-price item. */
export interface ListRow {
  kodeitem: string;
  namaitem: string;
  hargajual: string;
  hargapokok?: string;
  satuan?: string;
  barcode?: string;
  stok?: string;
}

const quoted = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * Publishes `rows` as `store`'s price list in `stores` (through a run of its own, as a sync
 * does), with the CSV written under `dir`: a list to ask about without restoring a backup.
 */
export async function publishList(stores: Pick<OpsStores, 'runs' | 'priceLists'>, store: string, rows: ListRow[], dir: string): Promise<void> {
  const values = (r: ListRow): Record<(typeof PRICE_COLUMNS)[number], string> => ({
    store, kodeitem: r.kodeitem, namaitem: r.namaitem, jenis: 'UMUM', merek: '', satuan: r.satuan ?? 'PCS', konversi: '1', barcode: r.barcode ?? '',
    sistemhargajual: 'O', level: '', jmlsampai: '', hargapokok: r.hargapokok ?? '', hargajual: r.hargajual, stok: r.stok ?? '1',
  });
  const csv = [PRICE_COLUMNS.join(','), ...rows.map((r) => PRICE_COLUMNS.map((c) => quoted(values(r)[c])).join(','))].join('\n');
  const runId = await stores.runs.start(store, 'cli');
  const csvPath = path.join(dir, `${store}-${runId}.csv`);
  writeFileSync(`${csvPath}.tmp`, `${csv}\n`);
  await stores.priceLists.publish({ store, runId, tmpCsvPath: `${csvPath}.tmp`, csvPath, contentHash: `test-${store}-${runId}`, sourceFile: `${store}.i5bu`,
    sourceModified: null, archive: {}, rowCount: rows.length, stages: [] });
  renameSync(`${csvPath}.tmp`, csvPath); // as the sync does once the publication committed
}
