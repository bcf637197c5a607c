/**
 * node --import tsx bench/mysql-dump-bench.ts — tokobot's MySQL dump against mariadb-dump, in one
 * run on one machine. Builds `tokobot_bench` (~500 MB over three tables, made server-side, kept
 * for the next run), then dumps it with `mariadb-dump --single-transaction --skip-lock-tables`
 * to a file and with MysqlDatabase.dump() to a file, plain and through gzip, each in a child
 * process that reports its peak RSS; and, as the backup job does it, `tokobot backup run` (dump,
 * gzip, SHA-256, store; verification off) against `mariadb-dump | gzip` at the same level.
 * Targets: plain dump ≥ 0.8× mariadb-dump's rows/s, ≤ 200 MB RSS.
 * Each side runs twice, alternating, and the faster run counts (the machine is shared).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGzip } from 'node:zlib';
import mysql from 'mysql2/promise';
import { MysqlDatabase } from '../src/adapters/mysql/mysql-database.ts';
import { GZIP_LEVEL } from '../src/pipeline/backup/backup-job.ts';
import { LOCAL_PG_URL } from '../test/helpers/local-pg.ts';

const DB = 'tokobot_bench';
const URL = process.env.BENCH_MYSQL_URL ?? `mysql://root@127.0.0.1:3306/${DB}`;
const SALES = Number(process.env.BENCH_MYSQL_ROWS ?? 3_000_000);
const here = fileURLToPath(import.meta.url);

async function child(mode: string, file: string): Promise<void> {
  const db = new MysqlDatabase({ url: URL });
  const t0 = performance.now();
  const file$ = createWriteStream(file);
  let counts;
  if (mode === 'gzip') {
    const sql = new PassThrough({ highWaterMark: 1 << 20 });
    const done = pipeline(sql, createGzip({ level: GZIP_LEVEL }), file$);
    counts = await db.dump(sql);
    sql.end();
    await done;
  } else {
    counts = await db.dump(file$);
    file$.end();
    await new Promise<void>((resolve) => file$.on('close', () => resolve()));
  }
  const ms = performance.now() - t0;
  await db.close();
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(JSON.stringify({ ms, rows, maxRssKb: process.resourceUsage().maxRSS }));
}

function runProgram(cmd: string, args: string[], stdoutFile?: string): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', stdoutFile ? 'pipe' : 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    if (stdoutFile) p.stdout.pipe(createWriteStream(stdoutFile));
    else p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, out }) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

async function ensureDatabase(): Promise<number> {
  const u = new globalThis.URL(URL);
  const c = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password), multipleStatements: true });
  try {
    await c.query(`CREATE DATABASE IF NOT EXISTS \`${DB}\` CHARACTER SET utf8mb4; USE \`${DB}\``);
    const [done] = await c.query('SELECT n FROM bench_done').catch(() => [[]]) as unknown as [{ n: number }[]];
    if (Number(done[0]?.n) !== SALES) {
      process.stderr.write(`making ${DB} (${SALES} sales rows)…\n`);
      await c.query(`SET SESSION unique_checks = 0, foreign_key_checks = 0;
        DROP TABLE IF EXISTS sales, items, customers, bench_done;
        CREATE TABLE items (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, name VARCHAR(80) NOT NULL, price DECIMAL(14,2), stock INT,
          updated_at DATETIME, description TEXT);
        CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(60), phone VARCHAR(20), city VARCHAR(40), points BIGINT UNSIGNED, joined DATE);
        CREATE TABLE sales (id BIGINT PRIMARY KEY, store_id INT NOT NULL, item_id INT NOT NULL, customer_id INT, item_name VARCHAR(80),
          qty DECIMAL(12,3), price DECIMAL(14,2), total DECIMAL(16,2), sold_at DATETIME(3), cashier VARCHAR(40), note TEXT);
        INSERT INTO items SELECT seq, CONCAT('BRG-', LPAD(seq, 8, '0')), CONCAT('BARANG ', seq, ' ISI ', seq % 24, ' PCS'), (seq % 997) * 250.5,
          seq % 500, '2024-01-01' + INTERVAL seq MINUTE, IF(seq % 4 = 0, NULL, REPEAT(CONCAT('Keterangan barang ', seq, '. '), 1 + seq % 5))
          FROM seq_1_to_500000;
        INSERT INTO customers SELECT seq, CONCAT('Pelanggan ', seq), CONCAT('08', LPAD(seq * 7919 % 1000000000, 10, '0')),
          ELT(1 + seq % 5, 'Jakarta', 'Bandung', 'Surabaya', 'Medan', 'Makassar'), seq * 13, '2015-01-01' + INTERVAL (seq % 3000) DAY
          FROM seq_1_to_200000;
        INSERT INTO sales SELECT seq, 1 + seq % 12, 1 + seq % 500000, IF(seq % 5 = 0, NULL, 1 + seq % 200000), CONCAT('BARANG ', seq % 500000),
          (seq % 40) / 4, (seq % 997) * 250.5, (seq % 40) / 4 * (seq % 997) * 250.5, '2023-01-01' + INTERVAL seq * 10 SECOND,
          CONCAT('Kasir ', seq % 30), IF(seq % 7 = 0, CONCAT('retur: ', MD5(seq), ' ', MD5(seq + 1)), NULL)
          FROM seq_1_to_${SALES};
        CREATE TABLE bench_done (n INT); INSERT INTO bench_done VALUES (${SALES});`);
    }
    const [[size]] = await c.query(`SELECT SUM(DATA_LENGTH + INDEX_LENGTH) AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`, [DB]) as unknown as [[{ bytes: number }]];
    return Number(size.bytes);
  } finally {
    await c.end();
  }
}

/** `tokobot backup run` of the bench database, as a separate process with its peak RSS. */
async function backupJob(work: string): Promise<{ ms: number; rssMb: number; fileMb: number }> {
  const config = path.join(work, 'tokobot.json');
  const { writeFileSync, readFileSync } = await import('node:fs');
  writeFileSync(config, JSON.stringify({ jobs: [{ id: 'bench', type: 'mysql', url: URL, verify: false,
    destinations: [{ type: 'local', dir: path.join(work, 'out') }], retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 } }] }));
  const rss = path.join(work, 'rss');
  const env = { ...process.env, SOURCE: 'folder', SOURCE_DIR: work, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, DATA_DIR: path.join(work, 'data'),
    OPS_DATABASE: 'tokobot_bench_backup_ops', TOKOBOT_CONFIG: config, LOG_LEVEL: 'warn', TOKOBOT_RSS_FILE: rss };
  const bin = path.join(path.dirname(here), '..', 'bin', 'tokobot.js');
  const t0 = performance.now();
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', path.join(path.dirname(here), 'report-rss.mjs'), bin, 'backup', 'run', 'bench', '--json'], { env });
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.on('error', reject);
    p.on('close', () => resolve(text));
  });
  const ms = performance.now() - t0;
  const run = JSON.parse(out);
  if (run.status !== 'success') throw new Error(`backup job failed: ${run.error}`);
  rmSync(path.join(work, 'out'), { recursive: true, force: true });
  return { ms, rssMb: Number(readFileSync(rss, 'utf8')) / 1024, fileMb: run.bytes / 1e6 };
}

async function main(): Promise<void> {
  const bytes = await ensureDatabase();
  const work = mkdtempSync(path.join(tmpdir(), 'tokobot-mysql-bench-'));
  const u = new globalThis.URL(URL);
  const dumpArgs = ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username),
    ...(u.password ? [`-p${decodeURIComponent(u.password)}`] : []), '--single-transaction', '--skip-lock-tables', DB];
  const best: Record<string, { ms: number; rows?: number; rssMb?: number; fileMb: number }> = {};
  const keep = (name: string, r: { ms: number; rows?: number; rssMb?: number; fileMb: number }) => {
    if (!best[name] || r.ms < (best[name]?.ms ?? Infinity)) best[name] = r;
  };
  try {
    for (let round = 0; round < 2; round++) {
      const bare = path.join(work, 'bare.sql');
      const r = await runProgram('mariadb-dump', dumpArgs, bare);
      keep('mariadb-dump', { ms: r.ms, fileMb: statSync(bare).size / 1e6 });
      rmSync(bare);
      const zipped = path.join(work, 'bare.sql.gz');
      const z = await runProgram('sh', ['-c', `mariadb-dump ${dumpArgs.join(' ')} | gzip -${GZIP_LEVEL} > ${zipped}`]);
      keep('mariadb-dump|gzip', { ms: z.ms, fileMb: statSync(zipped).size / 1e6 });
      rmSync(zipped);
      keep('tokobot job', await backupJob(work));
      for (const mode of ['plain', 'gzip']) {
        const file = path.join(work, `tokobot.${mode}`);
        const c = await runProgram(process.execPath, ['--import', 'tsx', here, '--child', mode, file]);
        const res = JSON.parse(c.out) as { ms: number; rows: number; maxRssKb: number };
        keep(`tokobot ${mode}`, { ms: res.ms, rows: res.rows, rssMb: res.maxRssKb / 1024, fileMb: statSync(file).size / 1e6 });
        rmSync(file);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rows = best['tokobot plain']?.rows ?? 0;
  const bareRate = rows / ((best['mariadb-dump']?.ms ?? 1) / 1000);
  console.log(`\n${DB}: ${(bytes / 1e6).toFixed(0)} MB on disk, ${rows} rows (best of 2 runs each)\n`);
  console.log('what               seconds    rows/s     vs mariadb-dump  file MB  peak RSS MB');
  for (const [name, r] of Object.entries(best)) {
    const rate = rows / (r.ms / 1000);
    console.log(`${name.padEnd(18)} ${(r.ms / 1000).toFixed(2).padStart(7)} ${Math.round(rate).toString().padStart(10)} ${(rate / bareRate).toFixed(2).padStart(12)}x`
      + ` ${r.fileMb.toFixed(0).padStart(10)} ${r.rssMb ? r.rssMb.toFixed(0).padStart(12) : '           -'}`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as string, process.argv[4] as string);
else await main();
