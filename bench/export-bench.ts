/**
 * npm run bench:export — the price export of a freshly restored store, before and after ANALYZE,
 * in one run on this machine's PostgreSQL. For each size (EXPORT_BENCH_ITEMS, default
 * "10000,40000" items; 40,000 items give about 166,000 export rows from 218,000 tbl_itemhj rows):
 * generate the store with the fixture generator, dump it, restore it as a sync does (external
 * target, restore role), then time the export with no planner statistics, ANALYZE, and the export
 * again. A restore leaves no column statistics; autovacuum may gather some at any moment, so the
 * bench removes them (as the administrator) and turns autovacuum off on the restored tables
 * first, to measure the state a sync used to export in. Target: ≤ 15 s after ANALYZE at 40,000.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExternalPostgres } from '../src/adapters/postgres/external-postgres.ts';
import { withClient } from '../src/adapters/postgres/with-client.ts';
import { RESTORE_ROLE } from '../src/adapters/postgres/restore-role.ts';
import { exportPriceCsv } from '../src/pipeline/export-csv.ts';
import { generateStore } from '../test/fixtures/ipos-data.ts';
import { createIposDatabase, dropDatabase as dropSource, dumpI5bu } from '../test/fixtures/ipos-database.ts';
import { LOCAL_PG_URL } from '../test/helpers/local-pg.ts';

const sizes = (process.env.EXPORT_BENCH_ITEMS ?? '10000,40000').split(',').map(Number);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const timed = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

/** The state right after a restore: no column statistics, and no autovacuum to gather them mid-measurement. */
async function forgetStatistics(target: ExternalPostgres, db: string): Promise<void> {
  await withClient(target.adminConnection(db), async (c) => {
    const tables = (await c.query("SELECT oid::regclass::text AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'")).rows;
    for (const { t } of tables) await c.query(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
    await c.query("DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)");
  });
}

async function benchSize(items: number, work: string) {
  const target = new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: { name: RESTORE_ROLE, password: randomBytes(12).toString('hex') } });
  await target.ensure();
  const source = `tokobot_bench_export_src_${process.pid}`;
  const db = `tokobot_bench_export_${process.pid}`;
  const archive = path.join(work, `store-${items}.i5bu`);
  const csv = path.join(work, `prices-${items}.csv`);
  const t0 = performance.now();
  const data = generateStore({ items, salesLines: 20_000, seed: 20241120, offices: 3 });
  try {
    await createIposDatabase(source, data);
    await dumpI5bu(source, archive);
  } finally {
    await dropSource(source);
  }
  const madeMs = performance.now() - t0;
  try {
    await target.dropDatabase(db);
    await target.createDatabase(db);
    const restoreMs = await timed(() => target.restore(archive, db, { jobs: 2 }));
    await forgetStatistics(target, db);
    const beforeMs = await timed(() => exportPriceCsv(target, db, 'bench', csv));
    const analyzeMs = await timed(() => target.analyze(db));
    const afterMs = await timed(() => exportPriceCsv(target, db, 'bench', csv));
    const rows = (await withClient(target.adminConnection(db), (c) => c.query('SELECT count(*)::int AS n FROM tbl_itemhj'))).rows[0].n as number;
    const csvRows = readFileSync(csv, 'utf8').split('\n').filter(Boolean).length - 1;
    return { items, itemhjRows: rows, csvRows, archiveMb: statSync(archive).size / 1048576, csvMb: statSync(csv).size / 1048576, madeMs, restoreMs, beforeMs, analyzeMs, afterMs };
  } finally {
    await target.dropDatabase(db);
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'tokobot-export-bench-'));
try {
  for (const items of sizes) {
    console.log(`bench:export: ${items} items — generating, dumping and restoring...`);
    const r = await benchSize(items, work);
    console.log(`  store: ${r.items} items, ${r.itemhjRows} tbl_itemhj rows, archive ${r.archiveMb.toFixed(1)} MB (made in ${seconds(r.madeMs)} s), restored in ${seconds(r.restoreMs)} s`);
    console.log(`  export without statistics: ${seconds(r.beforeMs)} s`);
    console.log(`  ANALYZE:                   ${seconds(r.analyzeMs)} s`);
    console.log(`  export after ANALYZE:      ${seconds(r.afterMs)} s (${r.csvRows} rows, ${r.csvMb.toFixed(1)} MB CSV)`);
    console.log(`  ratio before/after:        ${(r.beforeMs / r.afterMs).toFixed(1)}×`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
