/**
 * npm run bench: one run, one machine, so the figures compare with each other.
 *  (a) a bare pg_restore of a ~200 MB iPOS-shaped archive into this machine's PostgreSQL;
 *  (b) `tokobot sync` of the same archive from the fake Dropbox into the same server, stage by
 *      stage, with the tokobot process's peak RSS;
 *  (c) price search latency in-process over a 100,000-row price list;
 *  (d) Telegram message-in to reply-out with 50 users asking at once, through the fake Bot API.
 * Prints the figures and (b)/(a), and writes bench/results/sync-<time>.json.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getSharedFixture } from '../test/fixtures/shared-fixture.ts';
import { FakeDropbox } from '../test/fakes/fake-dropbox.ts';
import { adminQuery, createScratchDb, dropScratchDb, LOCAL_PG_URL, localConnection } from '../test/helpers/local-pg.ts';
import { benchPriceList } from './bench-price-list.ts';
import { searchBench } from './search-bench.ts';
import { telegramBench } from './telegram-bench.ts';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const JOBS = Number(process.env.RESTORE_JOBS ?? 2);
const seconds = (ms: number) => Math.round(ms) / 1000;

async function bareRestore(archive: string): Promise<number> {
  const db = `tokobot_bench_bare_${process.pid}`;
  await createScratchDb(db);
  const c = localConnection(db);
  await adminQuery('CHECKPOINT'); // so that the previous run's writes are not flushed during this one
  const t0 = performance.now();
  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '-j', String(JOBS), '-h', String(c.host), '-p', String(c.port),
    '-U', String(c.user), '-d', db, archive], { maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  await dropScratchDb(db);
  return ms;
}

async function tokobotSync(archive: string, work: string) {
  const fake = await FakeDropbox.start();
  await fake.addFile('/iPOS/bench/backup_bench.i5bu', archive);
  const store = `bench${process.pid}`;
  const rssFile = path.join(work, 'rss');
  const env = {
    PATH: process.env.PATH ?? '', HOME: work, SOURCE: 'dropbox', DROPBOX_APP_KEY: fake.appKey, DROPBOX_APP_SECRET: fake.appSecret,
    DROPBOX_REFRESH_TOKEN: fake.refreshToken, DROPBOX_FOLDER: '/iPOS/bench', DROPBOX_API_URL: fake.url, DROPBOX_CONTENT_URL: fake.url,
    RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, DATA_DIR: path.join(work, 'data'), STORE_ID: store, OPS_DATABASE: `tokobot_bench_ops_${process.pid}`,
    RESTORE_JOBS: String(JOBS), LOG_LEVEL: 'warn', TOKOBOT_RSS_FILE: rssFile,
  };
  await adminQuery('CHECKPOINT');
  const t0 = performance.now();
  try {
    const { stdout } = await run(process.execPath, ['--import', path.join(here, 'report-rss.mjs'), path.join(here, '..', 'bin', 'tokobot.js'), 'sync', '--json'],
      { env, cwd: work, maxBuffer: 1 << 24 });
    const ms = performance.now() - t0;
    const outcome = JSON.parse(stdout);
    if (outcome.status !== 'success') throw new Error(`sync did not succeed: ${outcome.error}`);
    return { ms, outcome, peakRssMb: Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024) };
  } finally {
    await fake.close();
    for (const db of [env.OPS_DATABASE, `ipos_${store}`, `ipos_${store}__previous`, `ipos_${store}__staging`]) {
      await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db]);
      await adminQuery(`DROP DATABASE IF EXISTS "${db}"`);
    }
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'tokobot-bench-'));
try {
  console.log('bench: preparing the ~200 MB archive (built once per machine, then cached)...');
  const fixture = await getSharedFixture('bench');
  const archiveBytes = statSync(fixture.i5buPath).size;
  console.log(`bench: archive ${(archiveBytes / 1048576).toFixed(1)} MB${fixture.built ? ` (built in ${seconds(fixture.buildMs)} s)` : ' (cached)'}`);

  // (a) is measured before and after (b) and averaged, so that drift on a shared machine does not favour either.
  const bareBefore = await bareRestore(fixture.i5buPath);
  const sync = await tokobotSync(fixture.i5buPath, work);
  const bareAfter = await bareRestore(fixture.i5buPath);
  const bareMs = (bareBefore + bareAfter) / 2;
  console.log(`(a) bare pg_restore -j ${JOBS}: ${seconds(bareMs)} s (${seconds(bareBefore)} s before, ${seconds(bareAfter)} s after)`);
  console.log(`(b) tokobot sync: ${seconds(sync.ms)} s, peak RSS ${sync.peakRssMb} MB, ${sync.outcome.rows} price rows`);
  for (const [stage, ms] of Object.entries(sync.outcome.durationsMs as Record<string, number>)) console.log(`      ${stage.padEnd(9)} ${seconds(ms)} s`);
  const ratio = Math.round((sync.ms / bareMs) * 100) / 100;
  console.log(`(b)/(a) = ${ratio}  (target <= 1.25)   peak RSS ${sync.peakRssMb} MB (target <= 300)`);

  const list = await benchPriceList(100_000, work);
  let search;
  let telegram;
  try {
    search = await searchBench(list);
    console.log(`(c) search over ${list.rows} rows, in-process: p50 ${search.p50} ms, p95 ${search.p95} ms, p99 ${search.p99} ms (target p95 <= 15)`);
    const own = await telegramBench(list, false);
    const limited = await telegramBench(list, true);
    telegram = { withoutThrottle: own, withTelegramLimits: limited };
    console.log(`(d) Telegram message in to reply out, 50 users at once, fake Bot API on loopback:`);
    console.log(`      the bot itself (throttle off): p50 ${own.p50} ms, p95 ${own.p95} ms, p99 ${own.p99} ms (target p95 <= 60)`);
    console.log(`      with Telegram's limits (30 msg/s): p50 ${limited.p50} ms, p95 ${limited.p95} ms, p99 ${limited.p99} ms`);
  } finally {
    await list.close();
  }

  const result = {
    at: new Date().toISOString(), restoreJobs: JOBS, archiveBytes,
    bareRestoreSeconds: seconds(bareMs), bareRestoreRunsSeconds: [seconds(bareBefore), seconds(bareAfter)], syncSeconds: seconds(sync.ms), ratio, peakRssMb: sync.peakRssMb,
    stagesSeconds: Object.fromEntries(Object.entries(sync.outcome.durationsMs as Record<string, number>).map(([k, v]) => [k, seconds(v)])),
    priceRows: sync.outcome.rows, searchRows: list.rows, searchMs: search, telegramMs: telegram,
  };
  mkdirSync(path.join(here, 'results'), { recursive: true });
  const out = path.join(here, 'results', `sync-${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`bench: results in ${path.relative(process.cwd(), out)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
