/**
 * npm run bench:backup — backup jobs against the bare tools, in one run on one machine:
 *  (a) PostgreSQL: `pg_dump -Fc` of a ~BENCH_PG_ROWS-row database to a file, against
 *      `tokobot backup run` of the same database (dump, SHA-256, store in a local folder;
 *      verification off, since pg_dump does not verify either); target job/bare ≤ 1.1.
 *  (b) MySQL/MariaDB: see bench/mysql-dump-bench.ts (rows/s against mysqldump, peak RSS).
 * Each side runs twice, alternating, and the faster of each counts (the machine is shared).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { adminQuery, LOCAL_PG_URL, localConnection } from '../test/helpers/local-pg.ts';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const DB = 'tokobot_bench_backup';
const ROWS = Number(process.env.BENCH_PG_ROWS ?? 4_000_000);
const seconds = (ms: number) => Math.round(ms) / 1000;

async function ensureDatabase(): Promise<void> {
  const exists = await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
  if (!exists.rowCount) await adminQuery(`CREATE DATABASE ${DB}`);
  const c = new pg.Client(localConnection(DB));
  await c.connect();
  try {
    const ready = await c.query("SELECT to_regclass('public.bench_done') IS NOT NULL AS ok");
    if (ready.rows[0].ok && (await c.query('SELECT n FROM bench_done')).rows[0]?.n === ROWS) return;
    process.stderr.write(`making ${DB} with ${ROWS} rows…\n`);
    await c.query(`DROP TABLE IF EXISTS sales, bench_done;
      CREATE TABLE sales (id bigint PRIMARY KEY, item text NOT NULL, qty int, price numeric(14, 2), sold_at timestamptz, note text);
      INSERT INTO sales SELECT i, 'BARANG ' || (i % 5000), i % 17, (i % 1000) * 1.5, now() - i * interval '1 second',
        CASE WHEN i % 3 = 0 THEN NULL ELSE md5(i::text) END FROM generate_series(1, ${ROWS}) i;
      CREATE TABLE bench_done (n int); INSERT INTO bench_done VALUES (${ROWS});`);
  } finally {
    await c.end();
  }
}

async function bare(out: string): Promise<number> {
  const c = localConnection(DB);
  const t0 = performance.now();
  await run('pg_dump', ['-Fc', '-h', String(c.host), '-p', String(c.port), '-U', String(c.user), '-f', out, DB]);
  return performance.now() - t0;
}

async function job(work: string): Promise<{ ms: number; rssMb: number; bytes: number }> {
  const rssFile = path.join(work, 'rss');
  const env = {
    PATH: process.env.PATH ?? '', SOURCE: 'folder', SOURCE_DIR: work, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL,
    DATA_DIR: path.join(work, 'data'), OPS_DATABASE: 'tokobot_bench_backup_ops', TOKOBOT_CONFIG: path.join(work, 'tokobot.json'),
    LOG_LEVEL: 'warn', TOKOBOT_RSS_FILE: rssFile,
  };
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, ['--import', path.join(here, 'report-rss.mjs'), path.join(here, '..', 'bin', 'tokobot.js'),
    'backup', 'run', 'bench', '--json'], { env, cwd: work, maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  const result = JSON.parse(stdout);
  if (result.status !== 'success') throw new Error(`backup failed: ${result.error}`);
  return { ms, rssMb: Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024), bytes: result.bytes };
}

async function main(): Promise<void> {
  await ensureDatabase();
  const work = mkdtempSync(path.join(tmpdir(), 'tokobot-backup-bench-'));
  try {
    const url = LOCAL_PG_URL.replace(/\/[^/]*$/, `/${DB}`);
    writeFileSync(path.join(work, 'tokobot.json'), JSON.stringify({ jobs: [{ id: 'bench', type: 'postgres', url, verify: false,
      destinations: [{ type: 'local', dir: path.join(work, 'out') }], retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 } }] }));
    const bareMs: number[] = [];
    const jobs: { ms: number; rssMb: number; bytes: number }[] = [];
    for (let i = 0; i < 2; i++) {
      bareMs.push(await bare(path.join(work, `bare-${i}.dump`)));
      jobs.push(await job(work));
    }
    const bestBare = Math.min(...bareMs);
    const bestJob = jobs.reduce((a, b) => (a.ms <= b.ms ? a : b));
    const size = statSync(path.join(work, 'bare-0.dump')).size;
    const figures = {
      rows: ROWS, archiveMb: Math.round(size / 1048576), bareSeconds: bareMs.map(seconds), jobSeconds: jobs.map((j) => seconds(j.ms)),
      ratio: Math.round((bestJob.ms / bestBare) * 100) / 100, jobPeakRssMb: Math.max(...jobs.map((j) => j.rssMb)),
    };
    process.stdout.write(`PostgreSQL backup job vs bare pg_dump -Fc (${ROWS} rows, ${figures.archiveMb} MB archive)\n` +
      `  bare pg_dump:        ${figures.bareSeconds.join(' s, ')} s\n` +
      `  tokobot backup run:  ${figures.jobSeconds.join(' s, ')} s (process start, ops database, SHA-256, store, retention)\n` +
      `  ratio (best/best):   ${figures.ratio} (target ≤ 1.1)\n  job peak RSS:        ${figures.jobPeakRssMb} MB\n`);
    writeFileSync(path.join(here, 'results', `backup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(figures, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
