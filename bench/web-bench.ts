/**
 * npm run bench:web — the web dashboard with a big ops database (issue 14): 200 stores, 50 backup
 * jobs and a year of runs (a sync a day per store with its nine stages, a backup a day per job
 * with its five) in a scratch ops database on this machine's PostgreSQL, dropped at the end.
 *  (a) In process: app.request on the real createWebApp over the real stores, wired as
 *      src/main/web-server.ts wires them (webDeps), signed in as an owner. Each URL of URLS is
 *      asked WARMUP times, then ROUNDS times; p50/p95 printed against its target (pages ≤ 50 ms,
 *      /api ≤ 20 ms). A URL this branch does not serve (404) is listed as skipped: add new pages
 *      and endpoints to URLS. The store-card URLs (REUSES) are measured twice: cold, a write
 *      committed before every request so no read may be reused, and warm. Last a one-line summary.
 *  (b) RSS of `tokobot start` on that database with the web server on (WEB_PORT) and off: idle
 *      after it polls the fake Telegram, and with the web server, again after BURST overview
 *      requests (target: within 60 MB of off). Needs `npm run build` for (b); without it (b) runs
 *      from source through tsx.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/log.ts';
import { createApp } from '../src/main/app.ts';
import { webDeps } from '../src/main/web-server.ts';
import { BackupRunner } from '../src/pipeline/backup/backup-runner.ts';
import { ChatState } from '../src/pipeline/chat-state.ts';
import { PriceSearch } from '../src/pipeline/search/price-search.ts';
import { SyncRunner } from '../src/pipeline/sync/sync-runner.ts';
import { WebSignIn } from '../src/pipeline/web-sign-in.ts';
import { createWebApp } from '../src/web/web-app.tsx';
import { FakeTelegram } from '../test/fakes/fake-telegram.ts';
import { freePort } from '../test/helpers/free-port.ts';
import { dropScratchDb, LOCAL_PG_URL } from '../test/helpers/local-pg.ts';

const STORES = Number(process.env.BENCH_STORES ?? 200);
const JOBS = Number(process.env.BENCH_JOBS ?? 50);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const WARMUP = 20;
const ROUNDS = Number(process.env.ROUNDS ?? 200);
const BURST = 200;
const IDLE_MS = Number(process.env.IDLE_MS ?? 5_000);
const START_LIMIT_MS = 120_000;
const OWNER = 1;
/** The targets of issue 14, in ms at p95. */
const PAGE_MS = 50;
const API_MS = 20;

/** What is measured: `{store}` and `{job}` stand for a store's and a job's id. */
const ALL_URLS = ['/', '/toko/{store}', '/api/status', '/api/live', '/api/stores', '/api/runs?store={store}&limit=20', '/api/running', '/api/jobs', '/api/alerts'];
/** What shows the store cards, whose reads are reused while nothing is written: measured cold and warm. */
const REUSES = new Set(['/', '/api/status', '/api/stores']);
/** BENCH_URLS=/api/stores,/ measures only those (e.g. under node --cpu-prof). */
const URLS = process.env.BENCH_URLS ? process.env.BENCH_URLS.split(',') : ALL_URLS;

const root = path.join(import.meta.dirname, '..');
const ops = `tokobot_bench_web_${process.pid}`;
const work = mkdtempSync(path.join(tmpdir(), 'tokobot-web-bench-'));
const storeId = (i: number) => `toko_${String(i).padStart(3, '0')}`;
const jobId = (i: number) => `db-${String(i).padStart(2, '0')}`;

function configFile(): string {
  mkdirSync(path.join(work, 'src'), { recursive: true });
  const file = path.join(work, 'tokobot.json');
  writeFileSync(file, JSON.stringify({
    stores: Array.from({ length: STORES }, (_, i) => ({ id: storeId(i), name: `Toko Cabang ${i}`, dir: path.join(work, 'src') })),
    jobs: Array.from({ length: JOBS }, (_, i) => ({ id: jobId(i), type: 'postgres', url: `postgres://127.0.0.1/db${i}`, schedule: '0 2 * * *',
      destinations: [{ type: 'local', dir: path.join(work, 'copies') }] })),
  }));
  return file;
}

const env = {
  RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: ops, SOURCE: 'folder', DATA_DIR: path.join(work, 'data'),
  TOKOBOT_CONFIG: configFile(), LOG_LEVEL: 'silent', TELEGRAM_OWNERS: String(OWNER), SYNC_CRON: '0 3 1 1 *', WHATSAPP_ENABLED: 'false', HTTP_PORT: '',
};

const SYNC_STAGES = ['check', 'download', 'extract', 'inspect', 'restore', 'analyze', 'export', 'validate', 'publish'];
const BACKUP_STAGES = ['dump', 'verify', 'encrypt', 'upload', 'prune'];
/** A run's stages as the stage tracker records them, `sec` seconds each from its start. */
const stagesSql = (names: string[], start: string) => `(SELECT jsonb_agg(jsonb_build_object('name', n, 'startedAt', ${start} + (k - 1) * interval '40 seconds',
  'endedAt', ${start} + k * interval '40 seconds') ORDER BY k) FROM unnest(ARRAY[${names.map((n) => `'${n}'`).join(',')}]) WITH ORDINALITY AS s(n, k))`;

/** A year of runs: a sync a day per store (1 in 40 failed, 1 in 5 unchanged), a backup a day per job (1 in 30 failed). */
async function fill(query: (sql: string) => Promise<unknown>): Promise<void> {
  await query(`INSERT INTO sync_runs (store, trigger, status, stage, stages, started_at, finished_at, source_file, source_modified, content_hash, bytes, archive, row_count, error)
    SELECT 'toko_' || lpad(s::text, 3, '0'), 'schedule',
      CASE WHEN (s + d) % 40 = 0 THEN 'failed' WHEN (s + d) % 5 = 0 THEN 'no-change' ELSE 'success' END,
      CASE WHEN (s + d) % 40 = 0 THEN 'restore' ELSE 'publish' END, ${stagesSql(SYNC_STAGES, 't')}, t, t + interval '6 minutes',
      'TOKO' || s || '_' || to_char(t, 'YYYYMMDD') || '.i5bu', t - interval '1 hour', md5(s || '-' || d), 52428800 + s * 1000,
      jsonb_build_object('dumpTime', to_char((t - interval '1 hour') AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI:SS'), 'database', 'i5_toko' || s, 'pgDumpVersion', '9.6.5'),
      CASE WHEN (s + d) % 40 = 0 THEN NULL ELSE 12000 + s END,
      CASE WHEN (s + d) % 40 = 0 THEN 'pg_restore: error: could not execute query: out of memory' END
    FROM generate_series(0, ${STORES - 1}) s, generate_series(1, ${DAYS}) d, LATERAL (SELECT now() - d * interval '1 day' + s * interval '7 seconds' AS t) x`);
  await query(`INSERT INTO published (store, run_id, content_hash, source_file, source_modified, archive, row_count, published_at)
    SELECT DISTINCT ON (store) store, id, content_hash, source_file, source_modified, archive, row_count, finished_at FROM sync_runs WHERE status = 'success' ORDER BY store, started_at DESC`);
  await query(`INSERT INTO backup_runs (job, trigger, status, stage, stages, started_at, finished_at, file_name, bytes, sha256, destinations, verification, error)
    SELECT 'db-' || lpad(j::text, 2, '0'), 'schedule', CASE WHEN (j + d) % 30 = 0 THEN 'failed' ELSE 'success' END,
      CASE WHEN (j + d) % 30 = 0 THEN 'upload' ELSE 'prune' END, ${stagesSql(BACKUP_STAGES, 't')}, t, t + interval '4 minutes',
      'db' || j || '-' || to_char(t, 'YYYYMMDD-HH24MISS') || '.dump', 300000000 + j, md5(j || '/' || d),
      jsonb_build_array(jsonb_build_object('destination', 'local', 'location', '/copies/db' || j || '.dump', 'ok', true)),
      jsonb_build_object('ok', true, 'detail', 'restored into a scratch database: 42 tables, row counts match'),
      CASE WHEN (j + d) % 30 = 0 THEN 'dropbox: 503 Service Unavailable' END
    FROM generate_series(0, ${JOBS - 1}) j, generate_series(1, ${DAYS}) d, LATERAL (SELECT now() - d * interval '1 day' + j * interval '11 seconds' AS t) x`);
  await query('ANALYZE');
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;

async function inProcess(): Promise<{ url: string; p50: number; p95: number; cpu: number; target: number }[]> {
  const config = loadConfig(env);
  const app = await createApp(config, createLogger('silent'));
  try {
    process.stderr.write(`filling ${ops}: ${STORES} stores × ${DAYS} syncs, ${JOBS} jobs × ${DAYS} backups…\n`);
    await fill((sql) => app.ops.query(sql));
    const signIn = new WebSignIn(app.opsStores.web);
    const backups = new BackupRunner(app.backups, config.jobs, app.logger);
    const web = createWebApp(webDeps(app, { backups, syncs: new SyncRunner(app.sync, app.logger), nextBackup: () => null, chat: new ChatState(app.opsStores.chats),
      alerting: () => undefined, search: new PriceSearch(app.opsStores.priceLists, { prices: 'per-question' }) }, signIn));
    const signedIn = await web.request(`/masuk/${await signIn.issueLink({ userId: OWNER, role: 'owner' })}`);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const results = [];
    for (const pattern of URLS) {
      const url = pattern.replaceAll('{store}', storeId(STORES - 1)).replaceAll('{job}', jobId(0));
      const first = await web.request(url, { headers: { cookie } });
      await first.arrayBuffer();
      if (first.status === 404) { console.log(`  ${url.padEnd(40)} not served on this branch: skipped`); continue; }
      if (first.status !== 200) throw new Error(`${url}: HTTP ${first.status}`);
      // Cold: a write commits before every request, so nothing read before may be reused (the store
      // cards' reads are reused while the ops database's version stays). Warm: nothing written here
      // between requests (the server's other users may still write).
      for (const cold of REUSES.has(pattern) ? [true, false] : [true]) {
        const times: number[] = [];
        let cpuMs = 0;
        for (let i = 0; i < WARMUP + ROUNDS; i++) {
          if (cold) await app.ops.query('SELECT txid_current()');
          const cpu = process.cpuUsage();
          const t0 = performance.now();
          await (await web.request(url, { headers: { cookie } })).arrayBuffer();
          if (i < WARMUP) continue;
          times.push(performance.now() - t0);
          const used = process.cpuUsage(cpu);
          cpuMs += (used.user + used.system) / 1000;
        }
        results.push({ url: REUSES.has(pattern) ? `${url} (${cold ? 'cold' : 'warm'})` : url, p50: pct(times, 0.5), p95: pct(times, 0.95),
          cpu: cpuMs / ROUNDS, target: url.startsWith('/api/') ? API_MS : PAGE_MS });
      }
    }
    return results;
  } finally {
    await app.close();
  }
}

const vmRssKb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

/** `tokobot start` on the filled database: its RSS idle and, with the web server, after BURST overviews. */
async function serviceRss(telegram: FakeTelegram, webPort: number | null): Promise<{ idle: number; loaded?: number }> {
  const compiled = existsSync(path.join(root, 'dist', '.built'));
  const args = compiled ? ['bin/tokobot.js', 'start'] : ['--import', 'tsx', 'src/cli.ts', 'start'];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env, LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url, WEB_PORT: webPort === null ? '' : String(webPort) } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not polling within ${START_LIMIT_MS} ms:\n${log}`)), START_LIMIT_MS);
      child.stderr.on('data', (chunk: Buffer) => { log += chunk.toString(); if (/long polling/.test(log)) { clearTimeout(timer); resolve(); } });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited (${code}):\n${log}`)); });
    });
    await sleep(IDLE_MS);
    const idle = vmRssKb(child.pid as number);
    if (webPort === null) return { idle };
    // Signed in as the bench's owner through a link the service's own store issues is not reachable
    // from here; a request without a session still renders nothing, so ask as the API would: /api/live is
    // cheap, the overview is what weighs: sign in through the ops database the service shares.
    const app = await createApp(loadConfig(env), createLogger('silent'));
    const link = await new WebSignIn(app.opsStores.web).issueLink({ userId: OWNER, role: 'owner' });
    await app.close();
    const base = `http://127.0.0.1:${webPort}`;
    const cookie = ((await fetch(`${base}/masuk/${link}`, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(';')[0]!;
    for (let i = 0; i < BURST; i++) await (await fetch(`${base}/`, { headers: { cookie } })).arrayBuffer();
    await sleep(1000);
    return { idle, loaded: vmRssKb(child.pid as number) };
  } finally {
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(40_000).then(() => false)]);
    if (!stopped) { child.kill('SIGKILL'); await exited; }
  }
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

async function rss(): Promise<void> {
  const telegram = await FakeTelegram.start();
  try {
    const off = await serviceRss(telegram, null);
    const on = await serviceRss(telegram, await freePort());
    const loaded = on.loaded ?? 0;
    console.log(`tokobot start on that database, VmRSS ${IDLE_MS / 1000} s after it polls Telegram:`);
    console.log(`  web server off              ${mb(off.idle).padStart(9)}`);
    console.log(`  web server on               ${mb(on.idle).padStart(9)}  (${mb(on.idle - off.idle)} more)`);
    console.log(`  on, after ${BURST} overviews      ${mb(loaded).padStart(9)}  (${mb(loaded - off.idle)} more; target ≤ 60 MB more, ratio ${((loaded - off.idle) / 1024 / 60).toFixed(2)})`);
  } finally {
    await telegram.close();
  }
}

try {
  const results = await inProcess();
  const [load] = (await import('node:os')).loadavg();
  console.log(`web dashboard in process (app.request), ${STORES} stores, ${JOBS} jobs, ${DAYS} days of runs; ${ROUNDS} requests each after ${WARMUP} warm-up`
    + ` (load average ${load?.toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs: times are wall clock, PostgreSQL's included; CPU is this process's own):`);
  for (const r of results) {
    console.log(`  ${r.url.padEnd(42)} p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  (CPU here ${r.cpu.toFixed(1)} ms)  target ≤ ${r.target} ms  ratio ${(r.p95 / r.target).toFixed(2)}${r.p95 <= r.target ? '' : '  MISSED'}`);
  }
  const missed = results.filter((r) => r.p95 > r.target);
  console.log(`summary: ${results.length - missed.length}/${results.length} within target at p95, load ${load?.toFixed(1)}; `
    + results.map((r) => `${r.url.split('?')[0]} ${r.p95.toFixed(1)}${r.p95 > r.target ? '!' : ''}`).join(', ') + ` ms${missed.length ? ` (! missed: ${missed.map((r) => r.url).join(', ')})` : ''}`);
  if (!process.env.BENCH_SKIP_RSS) await rss();
} finally {
  if (process.env.BENCH_KEEP) {
    console.log(`kept for a look (BENCH_KEEP): ops database ${ops}, BENCH_ENV='${JSON.stringify(env)}'`);
  } else {
    await dropScratchDb(ops);
    rmSync(work, { recursive: true, force: true });
  }
}
