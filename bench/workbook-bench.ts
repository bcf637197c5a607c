/**
 * npm run bench:workbook — the Excel price list (src/pipeline/price-workbook.ts) of a
 * 100,000-row list (WORKBOOK_BENCH_ROWS), in one run: the time to build it, the peak RSS of the
 * process building it against the same process's RSS before, and the file's size. The workbook is
 * streamed to disk, so its memory should not grow with the rows (the whole-workbook writer it
 * replaced held some 400 MB for 100,000 rows). Target: peak RSS growth ≤ 150 MB.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { PRICE_COLUMNS } from '../src/pipeline/price-rules.ts';
import { priceWorkbook } from '../src/pipeline/price-workbook.ts';

const ROWS = Number(process.env.WORKBOOK_BENCH_ROWS ?? 100_000);
const TARGET_MB = 150;
const MB = 1_048_576;
const SYSTEMS = ['J', 'J', 'J', 'L', 'O', 'S'];

function csvOf(rows: number, file: string): void {
  const data = Array.from({ length: rows }, (_, i) => ({
    store: 'bench', kodeitem: String(100000 + Math.floor(i / 3)).padStart(8, '0'), namaitem: `BARANG NOMOR ${i} 500G`, jenis: 'SEMBAKO',
    merek: 'MEREK', satuan: i % 3 ? 'PCS' : 'DUS', konversi: i % 3 ? '1' : '24', barcode: String(8990000000000 + i),
    sistemhargajual: SYSTEMS[i % SYSTEMS.length] as string, level: String((i % 3) + 1), jmlsampai: String(((i % 3) + 1) * 10),
    hargapokok: (1000 + (i % 5000) + 0.123456789).toFixed(9), hargajual: String(1500 + (i % 5000)), stok: String(i % 200),
  }));
  writeFileSync(file, Papa.unparse(data, { columns: [...PRICE_COLUMNS] }) + '\n');
}

/** Builds the workbook of `csv` in this process and prints its figures (run as a child, so the CSV's making is not in its memory). */
async function build(csv: string): Promise<void> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t0 = performance.now();
  const made = await priceWorkbook(csv, 'id');
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const growth = (peak - before) / MB;
  console.log(`workbook: ${ROWS} rows (${made.rows} in sheets) in ${(ms / 1000).toFixed(2)} s, ${(statSync(made.path).size / MB).toFixed(1)} MB file`);
  console.log(`workbook: RSS before ${(before / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB, growth ${growth.toFixed(0)} MB (target ≤ ${TARGET_MB} MB: ratio ${(growth / TARGET_MB).toFixed(2)})`);
}

if (process.argv[2] === '--build') await build(process.argv[3] as string);
else {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-workbook-bench-'));
  try {
    const csv = path.join(dir, `bench_${ROWS}.csv`);
    csvOf(ROWS, csv);
    execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--build', csv], { stdio: 'inherit' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
