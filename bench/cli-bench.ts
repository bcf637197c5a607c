/**
 * CLI start-up (issue 12): wall time of `node -e ''`, `tokobot --help` compiled and from source,
 * and `tokobot ask` on a published list of 100,000+ rows, measured in this one run; medians of
 * RUNS each, with their ratio to `node -e ''`. Targets on a quiet 2-core machine: --help ≤ 0.15 s,
 * ask ≤ 0.6 s. ask is timed with its search index in DATA_DIR's cache (as every ask after the
 * first for a publication) and without (the first), then split into its steps from the marks it
 * leaves (src/cli/ask.ts). Needs `npm run build` (dist/) and this machine's PostgreSQL.
 *   npm run bench:cli
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_PG_URL } from '../test/helpers/local-pg.ts';
import { benchPriceList } from './bench-price-list.ts';

const RUNS = Number(process.env.RUNS ?? 7);
const root = path.join(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'dist', '.built'))) throw new Error('no build: run npm run build first');

const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * CPU seconds (user + system) of this process's children that have ended: fields 16 and 17 of
 * /proc/self/stat, in clock ticks of 1/100 s (Linux's USER_HZ). On a machine shared with other
 * work the wall time wanders; what a command costs in CPU much less.
 */
function childCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Median wall and CPU time of RUNS runs of node with `args`; `before` runs ahead of each (not timed). */
function median(args: string[], env: NodeJS.ProcessEnv = {}, before = () => {}): { wall: number; cpu: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before();
    const cpu = childCpu();
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - started) / 1e9);
    cpus.push(childCpu() - cpu);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return { wall: middle(walls), cpu: middle(cpus) };
}

/** The steps of ask between its marks (ask:*, then the exit), in ms: medians of RUNS runs. */
function askSteps(args: string[], env: NodeJS.ProcessEnv, before: () => void, marksFile: string): [string, number][] {
  const steps: [string, string, string][] = [
    ['node start-up, bin/, cli and ask imports', '', 'ask:start'], ['config (.env, env, validation)', 'ask:start', 'ask:config'],
    ['ops database opened', 'ask:config', 'ask:connected'], ['answer (published, index, rank, rows)', 'ask:connected', 'ask:answered'],
    ['connection closed', 'ask:answered', 'ask:closed'], ['exit', 'ask:closed', 'exit'],
  ];
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < RUNS; i++) {
    before();
    const r = spawnSync(process.execPath, ['--import', './bench/report-marks.mjs', ...args], {
      cwd: root, env: { ...process.env, ...env, TOKOBOT_MARKS_FILE: marksFile }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    runs.push(JSON.parse(readFileSync(marksFile, 'utf8')));
  }
  return steps.map(([what, from, to]) => [what, middle(runs.map((m) => (m[to] as number) - (from ? m[from] as number : 0)))]);
}

const work = mkdtempSync(path.join(tmpdir(), 'tokobot-cli-bench-'));
const list = await benchPriceList(100_000, work);
try {
  const question = list.questions(3)[2] as string;
  const env = { RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: `tokobot_bench_list_${process.pid}`, STORE_ID: list.store,
    SOURCE: 'folder', SOURCE_DIR: work, DATA_DIR: work, LOG_LEVEL: 'warn' };
  const ask = ['bin/tokobot.js', 'ask', question];
  const noCache = () => rmSync(path.join(work, 'search'), { recursive: true, force: true });
  const node = median(['-e', '']);
  const help = median(['bin/tokobot.js', '--help']);
  const helpSource = median(['--import', 'tsx', 'src/cli.ts', '--help']);
  const askCold = median(ask, env, noCache);
  const askWarm = median(ask, env); // the last cold run left the cache
  const line = (what: string, t: { wall: number; cpu: number }, target?: number) =>
    console.log(`${what.padEnd(52)} ${t.wall.toFixed(3)} s  ${(t.wall / node.wall).toFixed(1).padStart(4)}x node -e ''  cpu ${t.cpu.toFixed(2)} s` +
      `${target ? `  (target ≤ ${target} s: ${t.wall <= target ? 'met' : 'NOT met'})` : ''}`);
  console.log(`median of ${RUNS} runs each (wall, ratio of walls, CPU user+system); price list of ${list.rows} rows; question "${question}"`);
  line("node -e ''", node);
  line('tokobot --help (compiled, dist/)', help, 0.15);
  line('tokobot --help (from source through tsx)', helpSource);
  line(`tokobot ask (compiled, ${list.rows} rows, index cached)`, askWarm, 0.6);
  line('tokobot ask (compiled, first after a publication)', askCold);
  const marksFile = path.join(work, 'marks.json');
  const warmSteps = askSteps(ask, env, () => {}, marksFile);
  const coldSteps = askSteps(ask, env, noCache, marksFile);
  console.log(`ask, step by step (ms, medians; inside the process):${' '.repeat(10)}index cached   first`);
  warmSteps.forEach(([what, ms], i) => console.log(`  ${what.padEnd(58)} ${ms.toFixed(0).padStart(6)} ${(coldSteps[i]?.[1] ?? NaN).toFixed(0).padStart(8)}`));
} finally {
  await list.close();
  rmSync(work, { recursive: true, force: true });
}
