/**
 * npm run bench:fleet [-- --small 200 --big 20 --workers 1,2,4 --watch-stores 5 --watch-landings 20]
 * Issue 15's bench, in one run on one machine:
 *  (a) the queue engine alone: 500 no-op sync jobs through GraphileQueue and startQueueWorker, 1 and 4 slots;
 *  (b) `small` stores with the demo's 266 KB archive and `big` stores with a ~100 MB iPOS-shaped one,
 *      synced by 1, 2, 4 `tokobot worker --concurrency 1` processes (a fresh ops database each round):
 *      wall, stores/min, queue overhead per job, and wall against Σ bare syncs / effective parallelism;
 *  (c) event-driven sync: `tokobot start` (front end) and one worker, backups landing in the fake
 *      Dropbox one after another, landing → list published.
 * Prints the figures, writes bench/results/fleet-<time>.json, and drops everything it made.
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_ARCHIVE, getSharedFixture } from '../test/fixtures/shared-fixture.ts';
import { engineOverhead, type EngineFigure } from './fleet-engine.ts';
import { dropDatabasesStarting, Processes } from './fleet-processes.ts';
import { fleetRound, type FleetStore, type Round } from './fleet-round.ts';
import { watchLatency, type WatchFigure } from './fleet-watch.ts';
import { CORES, measureLoad } from './machine-load.ts';
import { printFleet } from './fleet-report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    small: { type: 'string', default: '200' }, big: { type: 'string', default: '20' }, workers: { type: 'string', default: '1,2,4' },
    'big-mb': { type: 'string', default: '100' }, 'engine-jobs': { type: 'string', default: '500' },
    'watch-stores': { type: 'string', default: '5' }, 'watch-landings': { type: 'string', default: '20' }, 'watch-gap-ms': { type: 'string', default: '3000' },
  },
});
const small = Number(args.small);
const big = Number(args.big);
const workerCounts = args.workers.split(',').map(Number);
if (![small, big, ...workerCounts].every((n) => Number.isInteger(n) && n >= 0) || small + big === 0 || workerCounts.some((n) => n < 1)) {
  throw new Error('usage: --small N --big N --workers 1,2,4 (whole numbers; at least one store and one worker)');
}

const prefix = `fb${(process.pid % 46_656).toString(36)}`;
const work = mkdtempSync(path.join(tmpdir(), 'tokobot-fleet-'));
const processes = new Processes();
let cleaned = false;
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  await processes.stopAll(5_000);
  await dropDatabasesStarting(`ipos_${prefix}`);
  await dropDatabasesStarting(`tokobot_${prefix}`);
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { void cleanUp().finally(() => process.exit(130)); });
}

/** Cores busy on this shared machine while the bench runs nothing. */
async function background(): Promise<number> {
  const end = measureLoad();
  await sleep(3_000);
  return end().coresBusy;
}

try {
  console.log(`fleet: ${small} small stores (${(statSync(DEMO_ARCHIVE).size / 1024).toFixed(0)} KB archive), ${big} big stores (~${args['big-mb']} MB archive), `
    + `workers ${workerCounts.join(', ')}; machine ${CORES} cores; store ids ${prefix}…; pg_restore -j 2 (RESTORE_JOBS default)`);
  const engine: EngineFigure[] = [];
  for (const slots of [1, 4]) engine.push(await engineOverhead(`tokobot_${prefix}_engine`, Number(args['engine-jobs']), slots));

  let bigArchive = DEMO_ARCHIVE;
  if (big > 0) {
    console.log(`fleet: preparing the ~${args['big-mb']} MB archive (built once per machine, then cached)...`);
    const fixture = await getSharedFixture('bench', { targetBytes: Number(args['big-mb']) * 1_000_000 });
    bigArchive = fixture.i5buPath;
  }
  const bigBytes = statSync(bigArchive).size;
  // Big stores spread evenly among the small ones (each block of `every` stores starts with one), as in a fleet where a few shops
  // are large; they are enqueued in this order, as the schedule enqueues every store at once in config order.
  const stores: FleetStore[] = [];
  const every = big ? Math.max(1, Math.floor((small + big) / big)) : Infinity;
  let s = 0;
  let b = 0;
  for (let i = 0; i < small + big; i++) {
    const isBig = b < big && (i % every === 0 || small - s === 0);
    const id = isBig ? `${prefix}b${String(++b).padStart(3, '0')}` : `${prefix}s${String(++s).padStart(3, '0')}`;
    const dir = path.join(work, 'stores', id);
    mkdirSync(dir, { recursive: true });
    linkSync(isBig ? bigArchive : DEMO_ARCHIVE, path.join(dir, `backup_${id}.i5bu`)); // a hard link: 20 × 100 MB would not fit in the page cache
    stores.push({ id, dir, big: isBig });
  }
  const configFile = path.join(work, 'stores.json');
  writeFileSync(configFile, JSON.stringify({ stores: stores.map(({ id, dir }) => ({ id, dir })) }));

  const rounds: { round: Round; backgroundCores: number }[] = [];
  for (const n of workerCounts) {
    const backgroundCores = await background();
    console.log(`fleet: round with ${n} worker(s) (background load ${backgroundCores.toFixed(2)} cores)...`);
    const round = await fleetRound({ stores, configFile, prefix, work, processes, timeoutMs: 3_600_000 }, n);
    console.log(`fleet:   ${n} worker(s): ${(round.wallMs / 1000).toFixed(1)} s`);
    rounds.push({ round, backgroundCores });
  }

  let watch: WatchFigure | undefined;
  const watchStores = Number(args['watch-stores']);
  if (watchStores > 0) {
    console.log('fleet: event-driven sync (tokobot start + 1 worker, fake Dropbox)...');
    watch = await watchLatency({
      archive: DEMO_ARCHIVE, stores: watchStores, landings: Number(args['watch-landings']), gapMs: Number(args['watch-gap-ms']), prefix, work, processes,
    });
  }

  const result = printFleet({ small, big, bigBytes, engine, rounds, watch });
  mkdirSync(path.join(here, 'results'), { recursive: true });
  const out = path.join(here, 'results', `fleet-${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`fleet: results in ${path.relative(process.cwd(), out)}`);
} finally {
  await cleanUp();
}
