import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { OpsStores } from '../src/store/index.ts';
import { generateStore } from '../test/fixtures/ipos-data.ts';
import { expectedPriceRows, PRICE_COLUMNS, type PriceRow } from '../test/fixtures/expected-prices.ts';
import { Prng } from '../test/fixtures/prng.ts';
import { scratchOps } from '../test/helpers/scratch-ops.ts';

export interface BenchList {
  stores: OpsStores;
  store: string;
  rows: number;
  /** Questions as staff type them: shuffled words, a dropped letter, lower case, codes and barcodes. */
  questions(n: number): string[];
  close(): Promise<void>;
}

/** A published price list of at least `minRows` rows in a scratch ops database. */
export async function benchPriceList(minRows: number, workDir: string): Promise<BenchList> {
  const items = Math.ceil(minRows / 4);
  let rows: PriceRow[] = expectedPriceRows(generateStore({ items, salesLines: 0, seed: 11 }), 'bench');
  if (rows.length < minRows) rows = expectedPriceRows(generateStore({ items: Math.ceil((items * minRows) / rows.length) + 100, salesLines: 0, seed: 11 }), 'bench');
  const csvPath = path.join(workDir, 'bench-list.csv');
  writeFileSync(csvPath, Papa.unparse({ fields: [...PRICE_COLUMNS], data: rows.map((r) => PRICE_COLUMNS.map((c) => r[c])) }));
  const db = `tokobot_bench_list_${process.pid}`;
  const ops = await scratchOps(db);
  const runId = await ops.stores.runs.start('bench', 'bench');
  await ops.stores.priceLists.publish({ store: 'bench', runId, csvPath, tmpCsvPath: csvPath, contentHash: 'x', sourceFile: 'x', sourceModified: null, archive: {}, rowCount: rows.length, stages: [] });
  return {
    stores: ops.stores, store: 'bench', rows: rows.length,
    questions(n) {
      const rng = new Prng(7);
      return Array.from({ length: n }, (_, i) => {
        const r = rows[rng.int(0, rows.length - 1)] as PriceRow;
        if (i % 5 === 0) return r.barcode || r.kodeitem;
        if (i % 5 === 1) return r.kodeitem;
        const words = r.namaitem.toLowerCase().split(' ').slice(0, 3);
        if (i % 5 === 3) words.reverse();
        if (i % 5 === 4) words[0] = (words[0] ?? '').slice(0, -1);
        return words.join(' ');
      });
    },
    close: () => ops.close(),
  };
}
