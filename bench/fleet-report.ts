import type { EngineFigure } from './fleet-engine.ts';
import type { Round } from './fleet-round.ts';
import type { WatchFigure } from './fleet-watch.ts';
import { CORES } from './machine-load.ts';

export interface FleetFigures {
  small: number;
  big: number;
  bigBytes: number;
  engine: EngineFigure[];
  rounds: { round: Round; backgroundCores: number }[];
  watch?: WatchFigure;
}

const s1 = (ms: number) => Math.round(ms / 100) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => (xs.length ? sum(xs) / xs.length : 0);
const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
};

/** Prints the figures and ratios of one run, and returns them for the results file. */
export function printFleet(f: FleetFigures) {
  console.log('');
  console.log(`(a) queue engine alone, ${f.engine[0]?.jobs} no-op sync jobs (own store queue and job key each), enqueued first, then run:`);
  for (const e of f.engine) {
    console.log(`      ${e.slots} slot(s): ${e.wallPerJobMs} ms wall per job, ${e.slotMsPerJob} ms of a slot per job (wall × slots / jobs); enqueue ${e.enqueueMs} ms per job`);
  }

  // Σ bare: each store's sync alone, one at a time: the runs of the fewest workers' round (1 worker when it ran).
  const base = [...f.rounds].sort((a, b) => a.round.workers - b.round.workers)[0]!;
  const bareMs = sum(base.round.runs.map((r) => r.endMs - r.startMs));
  // The cores the bench's own processes kept busy (workers, pg_restore, their PostgreSQL backends); the rest of the machine's load is others'.
  const ours = (r: Round) => (r.workerCpuSeconds + r.postgresCpuSeconds) / r.load.seconds;
  const oneSyncCores = Math.max(0.01, ours(base.round));
  const diskBound = base.round.load.diskBusy > 0 ? 1 / base.round.load.diskBusy : Infinity;
  console.log(`(b) ${f.small} small stores (266 KB) + ${f.big} big stores (${(f.bigBytes / 1048576).toFixed(1)} MB), \`tokobot worker --concurrency 1\` × N, fresh ops DB per round:`);
  console.log(`      Σ bare syncs (the ${base.round.workers}-worker round's run durations): ${s1(bareMs)} s; one sync at a time kept ${r2(oneSyncCores)} cores busy `
    + `and ${base.round.load.disk} ${Math.round(base.round.load.diskBusy * 100)}% busy`);
  const rounds = f.rounds.map(({ round: r, backgroundCores }) => {
    const jobs = r.runs.length;
    const runMs = sum(r.runs.map((x) => x.endMs - x.startMs));
    // What others left of the machine during this round, over what one sync at a time needs.
    const othersCores = Math.max(0, r.load.coresBusy - ours(r));
    const cpuBound = Math.max(0.1, CORES - othersCores) / oneSyncCores;
    const parallelism = Math.min(r.workers, cpuBound, diskBound);
    const limit = parallelism === r.workers ? 'workers' : parallelism === cpuBound ? 'CPU' : 'disk';
    const idealMs = bareMs / parallelism;
    const figures = {
      workers: r.workers, stores: jobs, failed: r.runs.filter((x) => x.status === 'failed').length,
      wallSeconds: s1(r.wallMs), storesPerMinute: r2(jobs / (r.wallMs / 60_000)),
      meanSmallSyncSeconds: r2(mean(r.runs.filter((x) => !x.big).map((x) => x.endMs - x.startMs)) / 1000),
      meanBigSyncSeconds: r2(mean(r.runs.filter((x) => x.big).map((x) => x.endMs - x.startMs)) / 1000),
      sumRunSeconds: s1(runMs),
      overheadSlotMsPerJob: Math.round((r.wallMs * r.workers - runMs) / jobs),
      idleWhileWaitingMsPerJob: Math.round(r.idleWhileWaitingMsPerJob),
      backgroundCores: r2(backgroundCores), coresBusy: r2(r.load.coresBusy), ourCores: r2(ours(r)), othersCores: r2(othersCores), iowaitShare: r2(r.load.iowaitShare), diskBusy: r2(r.load.diskBusy),
      workerCpuSeconds: s1(r.workerCpuSeconds * 1000), postgresCpuSeconds: s1(r.postgresCpuSeconds * 1000),
      parallelism: { effective: r2(parallelism), cpuBound: r2(cpuBound), diskBound: r2(diskBound), limit },
      idealSeconds: s1(idealMs), wallOverIdeal: r2(r.wallMs / idealMs),
    };
    console.log(`      ${r.workers} worker(s): wall ${figures.wallSeconds} s, ${figures.storesPerMinute} stores/min, speed-up ×${r2(f.rounds[0]!.round.wallMs / r.wallMs)} over the first round`
      + `${figures.failed ? `, ${figures.failed} FAILED` : ''}`);
    console.log(`        mean sync: small ${figures.meanSmallSyncSeconds} s, big ${figures.meanBigSyncSeconds} s; Σ run ${figures.sumRunSeconds} s`);
    console.log(`        queue overhead per job: ${figures.idleWhileWaitingMsPerJob} ms (slot idle while a job waited) | ${figures.overheadSlotMsPerJob} ms ((wall × slots − Σ run) / jobs, tail included)  (target ≤ 50 ms)`);
    console.log(`        machine: ${figures.coresBusy} of ${CORES} cores busy: the bench's ${figures.ourCores} (workers + pg_restore ${figures.workerCpuSeconds} CPU s, `
      + `their PostgreSQL backends ${figures.postgresCpuSeconds} CPU s), others' ${figures.othersCores} (${figures.backgroundCores} just before the round); `
      + `iowait ${Math.round(figures.iowaitShare * 100)}%, ${r.load.disk} ${Math.round(figures.diskBusy * 100)}% busy`);
    console.log(`        effective parallelism ${figures.parallelism.effective} = min(${r.workers} workers, CPU (${CORES} − others') / one sync's = ${figures.parallelism.cpuBound}, disk 1 / one sync's busy = ${figures.parallelism.diskBound === Infinity ? '∞' : figures.parallelism.diskBound}) → limited by ${limit}`);
    console.log(`        wall / (Σ bare / parallelism) = ${figures.wallSeconds} / ${figures.idealSeconds} = ${figures.wallOverIdeal}  (target ≤ 1.15)`);
    return figures;
  });

  let watch;
  if (f.watch) {
    const w = f.watch;
    watch = { stores: w.stores, landings: w.landings, gapMs: w.gapMs, missed: w.missed, p50Ms: quantile(w.latenciesMs, 0.5), p95Ms: quantile(w.latenciesMs, 0.95), maxMs: Math.max(...w.latenciesMs) };
    console.log(`(c) event-driven sync, ${w.landings} backups landing ${w.gapMs / 1000} s apart over ${w.stores} stores (tokobot start + 1 worker, fake Dropbox longpoll, settle 5 s):`);
    console.log(`      landing → list published: p50 ${s1(watch.p50Ms)} s, p95 ${s1(watch.p95Ms)} s, max ${s1(watch.maxMs)} s${w.missed ? `, ${w.missed} never published` : ''}  (target p95 ≤ 60 s)`);
    console.log(`      the cron alone (SYNC_CRON default */30 * * * *): up to 30 min + the sync, 15 min on average`);
  }
  return { at: new Date().toISOString(), cores: CORES, small: f.small, big: f.big, bigArchiveBytes: f.bigBytes, bareSyncsSeconds: s1(bareMs), oneSyncCores: r2(oneSyncCores), engine: f.engine, rounds, watch };
}
