/**
 * Idle memory of the long-running service (issue 12): `tokobot start` run compiled (dist/) and
 * from source through tsx (as it ran before the compiled CLI), against this machine's PostgreSQL
 * with a published list of 100,000+ rows (the service keeps its prices in memory) and the fake
 * Telegram Bot API on the loopback; no WhatsApp, no Dropbox, no schedule due. VmRSS is read from
 * /proc/PID/status SAMPLES times a second apart, IDLE_MS after the service said it polls; the
 * median is printed. Then what the heavy adapters weigh when a bare node imports them, for what
 * the service would carry if it loaded them without using them. Needs `npm run build`.
 *   npm run bench:rss
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeTelegram } from '../test/fakes/fake-telegram.ts';
import { dropScratchDb, LOCAL_PG_URL } from '../test/helpers/local-pg.ts';
import { benchPriceList } from './bench-price-list.ts';

const IDLE_MS = Number(process.env.IDLE_MS ?? 10_000);
const SAMPLES = Number(process.env.SAMPLES ?? 5);
/** How long a service may take to start polling, or to stop after SIGTERM, before the bench gives up on it. */
const START_LIMIT_MS = 120_000;
const STOP_LIMIT_MS = 40_000;
/** The service's log line once it polls Telegram (src/main/telegram-connection.ts). */
const POLLING = /"msg":"telegram: connected as @\S+ \(long polling\)"/;
const root = path.join(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'dist', '.built'))) throw new Error('no build: run npm run build first');

const vmRssKb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

/** Starts the service, waits until it polls Telegram and then IDLE_MS, samples its RSS, stops it. */
async function idleRss(args: string[], env: NodeJS.ProcessEnv): Promise<{ readyMs: number; samples: number[] }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "connected as … (long polling)" within ${START_LIMIT_MS} ms:\n${log}`)), START_LIMIT_MS);
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (POLLING.test(log)) { clearTimeout(timer); resolve(); }
      });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the service exited (${code}) before polling:\n${log}`)); });
    });
    const readyMs = performance.now() - started;
    await sleep(IDLE_MS);
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      if (i) await sleep(1000);
      samples.push(vmRssKb(child.pid as number));
    }
    return { readyMs, samples };
  } finally {
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(STOP_LIMIT_MS).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** VmRSS of a bare node that imported `modules` (none: node alone). */
function importedRss(modules: string[]): number {
  const code = `for (const m of ${JSON.stringify(modules)}) await import(m);
    console.log(/VmRSS:\\s+(\\d+)/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]);`;
  const r = spawnSync(process.execPath, ['--input-type=commonjs', '-e', `(async () => { ${code} })()`], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`importing ${modules.join(', ')}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

const work = mkdtempSync(path.join(tmpdir(), 'tokobot-rss-bench-'));
const list = await benchPriceList(100_000, work);
const telegram = await FakeTelegram.start();
/** An ops database that the service creates and finds empty. */
const emptyOps = `tokobot_bench_rss_empty_${process.pid}`;
try {
  const env = {
    RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: `tokobot_bench_list_${process.pid}`, STORE_ID: list.store,
    SOURCE: 'folder', SOURCE_DIR: work, DATA_DIR: work, LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_OWNERS: '1', SYNC_CRON: '0 3 1 1 *', WHATSAPP_ENABLED: 'false', HTTP_PORT: '', TOKOBOT_CONFIG: '',
  };
  console.log(`tokobot start, idle: VmRSS ${IDLE_MS / 1000} s after it polls Telegram, median of ${SAMPLES} samples; price list of ${list.rows} rows in memory`);
  const runs: [string, string[], NodeJS.ProcessEnv][] = [
    ['compiled (dist/)', ['bin/tokobot.js', 'start'], env],
    ['from source through tsx', ['--import', 'tsx', 'src/cli.ts', 'start'], env],
    ['compiled, no list published', ['bin/tokobot.js', 'start'], { ...env, OPS_DATABASE: emptyOps }],
  ];
  for (const [what, args, runEnv] of runs) {
    const r = await idleRss(args, runEnv);
    console.log(`  ${what.padEnd(30)} ${mb(median(r.samples)).padStart(9)}  (samples ${r.samples.map((kb) => (kb / 1024).toFixed(1)).join(', ')} MB; polling after ${(r.readyMs / 1000).toFixed(1)} s)`);
  }
  const bare = importedRss([]);
  console.log(`what a bare node carries after importing a module (node alone: ${mb(bare)}):`);
  for (const m of ['whatsapp-web.js', 'dockerode', 'mysql2', 'dropbox', 'grammy', 'pg']) {
    console.log(`  ${m.padEnd(30)} +${mb(importedRss([m]) - bare)}`);
  }
} finally {
  await telegram.close();
  await list.close();
  await dropScratchDb(emptyOps);
  rmSync(work, { recursive: true, force: true });
}
