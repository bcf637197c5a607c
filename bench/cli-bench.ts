/**
 * CLI start-up (issue 12): wall time of `node -e ''`, `tokobot --help` compiled and from source,
 * and `tokobot ask` on a published list of 100,000+ rows, measured in this one run; medians of
 * RUNS each, with their ratio to `node -e ''`. Targets on a quiet 2-core machine: --help ≤ 0.15 s,
 * ask ≤ 0.6 s. Needs `npm run build` (dist/) and this machine's PostgreSQL.
 *   npm run bench:cli
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_PG_URL } from '../test/helpers/local-pg.ts';
import { benchPriceList } from './bench-price-list.ts';

const RUNS = Number(process.env.RUNS ?? 7);
const root = path.join(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'dist', '.built'))) throw new Error('no build: run npm run build first');

function median(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

const work = mkdtempSync(path.join(tmpdir(), 'tokobot-cli-bench-'));
const list = await benchPriceList(100_000, work);
try {
  const question = list.questions(3)[2] as string;
  const env = { RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: `tokobot_bench_list_${process.pid}`, STORE_ID: list.store,
    SOURCE: 'folder', SOURCE_DIR: work, DATA_DIR: work, LOG_LEVEL: 'warn' };
  const node = median(['-e', '']);
  const help = median(['bin/tokobot.js', '--help']);
  const helpSource = median(['--import', 'tsx', 'src/cli.ts', '--help']);
  const ask = median(['bin/tokobot.js', 'ask', question], env);
  const line = (what: string, s: number, target?: number) =>
    console.log(`${what.padEnd(42)} ${s.toFixed(3)} s  ${(s / node).toFixed(1)}x node -e ''${target ? `  (target ≤ ${target} s: ${s <= target ? 'met' : 'NOT met'})` : ''}`);
  console.log(`median of ${RUNS} runs each; price list of ${list.rows} rows; question "${question}"`);
  line("node -e ''", node);
  line('tokobot --help (compiled, dist/)', help, 0.15);
  line('tokobot --help (from source through tsx)', helpSource);
  line(`tokobot ask (compiled, ${list.rows} rows)`, ask, 0.6);
} finally {
  await list.close();
  rmSync(work, { recursive: true, force: true });
}
