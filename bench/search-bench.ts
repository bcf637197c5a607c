import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import pg from 'pg';
import { migrate } from '../src/pipeline/ops/ops-database.ts';
import { publishPriceList } from '../src/pipeline/publish.ts';
import { RunHistory } from '../src/pipeline/run-history.ts';
import { PriceSearch } from '../src/pipeline/search/price-search.ts';
import { generateStore } from '../test/fixtures/ipos-data.ts';
import { expectedPriceRows, PRICE_COLUMNS, type PriceRow } from '../test/fixtures/expected-prices.ts';
import { createScratchDb, dropScratchDb, localConnection } from '../test/helpers/local-pg.ts';
import { Prng } from '../test/fixtures/prng.ts';

export interface LatencyFigures { count: number; p50: number; p95: number; p99: number; max: number }

export function percentiles(samples: number[]): LatencyFigures {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  const r = (n: number) => Math.round(n * 100) / 100;
  return { count: s.length, p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(s.at(-1) ?? 0) };
}

/** Questions as staff type them: shuffled words, a dropped letter, lower case, codes and barcodes. */
function questions(rows: PriceRow[], n: number): string[] {
  const rng = new Prng(7);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rows[rng.int(0, rows.length - 1)] as PriceRow;
    const kind = i % 5;
    if (kind === 0) out.push(r.barcode || r.kodeitem);
    else if (kind === 1) out.push(r.kodeitem);
    else {
      const words = r.namaitem.toLowerCase().split(' ').slice(0, 3);
      if (kind === 3) words.reverse();
      if (kind === 4) words[0] = (words[0] ?? '').slice(0, -1);
      out.push(words.join(' '));
    }
  }
  return out;
}

/** Search latency over a published price list of at least `minRows` rows, in this process. */
export async function searchBench(minRows: number, workDir: string): Promise<{ rows: number; latencyMs: LatencyFigures }> {
  const items = Math.ceil(minRows / 4);
  const data = generateStore({ items, salesLines: 0, seed: 11 });
  let rows = expectedPriceRows(data, 'bench');
  if (rows.length < minRows) rows = expectedPriceRows(generateStore({ items: Math.ceil((items * minRows) / rows.length) + 100, salesLines: 0, seed: 11 }), 'bench');
  const csvPath = path.join(workDir, 'search-bench.csv');
  writeFileSync(csvPath, Papa.unparse({ fields: [...PRICE_COLUMNS], data: rows.map((r) => PRICE_COLUMNS.map((c) => r[c])) }));

  const db = `tokobot_bench_search_${process.pid}`;
  await createScratchDb(db);
  const pool = new pg.Pool({ ...localConnection(db), max: 4 });
  try {
    await migrate(pool);
    const runId = await new RunHistory(pool).start('bench', 'bench');
    await publishPriceList(pool, { store: 'bench', runId, csvPath, contentHash: 'x', sourceFile: 'x', sourceModified: null, archive: {}, rowCount: rows.length });
    const search = new PriceSearch(pool);
    const qs = questions(rows, 1200);
    for (const q of qs.slice(0, 200)) await search.search('bench', q); // warm-up
    const samples: number[] = [];
    for (const q of qs.slice(200)) {
      const t0 = performance.now();
      await search.search('bench', q);
      samples.push(performance.now() - t0);
    }
    return { rows: rows.length, latencyMs: percentiles(samples) };
  } finally {
    await pool.end();
    await dropScratchDb(db);
  }
}
