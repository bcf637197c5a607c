import type pg from 'pg';
import { GraphileQueue, startQueueWorker } from '../src/adapters/job-queue/graphile-queue.ts';
import { createLogger } from '../src/log.ts';
import { createScratchDb, dropScratchDb, scratchPool } from '../test/helpers/local-pg.ts';

/** A pool on a scratch database with both error handlers graphile-worker asks for (https://err.red/wpeh). */
export function quietPool(db: string): pg.Pool {
  const pool = scratchPool(db);
  pool.on('connect', (client) => { client.on('error', () => undefined); });
  return pool;
}

export interface EngineFigure {
  slots: number;
  jobs: number;
  /** Enqueueing, per job, one addJob after another. */
  enqueueMs: number;
  /** The worker's wall from start to the last job done, divided by jobs. */
  wallPerJobMs: number;
  /** wall × slots / jobs: what each job costs a slot, the job itself doing nothing. */
  slotMsPerJob: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * The queue engine alone: `jobs` no-op sync jobs, each on its own store queue and job key as
 * real syncs are, enqueued with GraphileQueue first, then run by startQueueWorker with `slots`.
 */
export async function engineOverhead(db: string, jobs: number, slots: number): Promise<EngineFigure> {
  await createScratchDb(db);
  const pool = quietPool(db);
  const logger = createLogger('silent');
  try {
    const queue = await GraphileQueue.open(pool, logger);
    const e0 = performance.now();
    for (let i = 0; i < jobs; i++) await queue.sync(`noop${i}`, 'bench');
    const enqueueMs = (performance.now() - e0) / jobs;
    await queue.close();
    let done = 0;
    let allDone!: () => void;
    const finished = new Promise<void>((resolve) => { allDone = resolve; });
    const t0 = performance.now();
    const worker = await startQueueWorker({
      pool, concurrency: slots, crons: [], logger,
      tasks: { sync: async () => { if (++done === jobs) allDone(); } },
    });
    await finished;
    // The last job counts once the engine has marked it complete: the stop waits for that.
    await worker.stop();
    const wall = performance.now() - t0;
    return { slots, jobs, enqueueMs: round(enqueueMs), wallPerJobMs: round(wall / jobs), slotMsPerJob: round((wall * slots) / jobs) };
  } finally {
    await pool.end();
    await dropScratchDb(db);
  }
}
