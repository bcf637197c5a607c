import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { Logger as GraphileLogger, makeWorkerUtils, run, type Runner, type Task, type WorkerEvents, type WorkerUtils } from 'graphile-worker';
import type { Logger } from 'pino';
import type { JobQueue, JobRun } from '../../pipeline/ports.ts';
import { zoneCronItems, type ZoneCronItem } from './zone-cron.ts';

/** Tries of a job before it is given up (the engine waits e^attempt seconds between: about 85 s over five). */
export const SYNC_ATTEMPTS = 5;
/** The engine takes lower priorities first: a person's ask goes before the scheduled syncs waiting. */
const URGENT = -10;
export const BACKUP_ATTEMPTS = 3;

/**
 * Where a store's syncs and a backup job's runs queue: one queue each, so that the engine runs
 * them one at a time, and one job key each, so that asks made before a run starts are one run.
 * An ask made while the store syncs is a new job, run after that sync.
 */
export const syncPlace = (store: string) => ({ queueName: `store:${store}`, jobKey: `sync:${store}` });
export const backupPlace = (job: string) => ({ queueName: `job:${job}`, jobKey: `backup:${job}` });

/** graphile-worker's log lines through tokobot's logger (its own would go to the console). */
function engineLogger(logger: Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>): GraphileLogger {
  return new GraphileLogger(() => (level, message, meta) => {
    // Its info lines are one per job ("Completed task …" with the payload): tokobot's runs log their own ends.
    const at = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    logger[at]({ queue: meta }, `job queue: ${message}`);
  });
}

export interface QueueCounts {
  waiting: number;
  running: number;
  givenUp: number;
}

/** The job queue on the ops database (graphile-worker 0.17, schema graphile_worker), for every process that queues work. */
export class GraphileQueue implements JobQueue {
  private constructor(private readonly utils: WorkerUtils) {}

  /** Opens the queue on `pool`, creating or updating the engine's schema first (safe from several processes at once). */
  static async open(pool: pg.Pool, logger: Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>): Promise<GraphileQueue> {
    const utils = await makeWorkerUtils({ pgPool: pool, logger: engineLogger(logger) });
    await utils.migrate();
    return new GraphileQueue(utils);
  }

  async sync(store: string, trigger: string, options: { urgent?: boolean } = {}): Promise<void> {
    await this.utils.addJob('sync', { store, trigger }, { ...syncPlace(store), jobKeyMode: 'replace', maxAttempts: SYNC_ATTEMPTS, priority: options.urgent ? URGENT : 0 });
  }

  async backup(job: string, trigger: string): Promise<void> {
    await this.utils.addJob('backup', { job, trigger }, { ...backupPlace(job), jobKeyMode: 'replace', maxAttempts: BACKUP_ATTEMPTS });
  }

  /** How many jobs wait, run now, and were given up (tried max_attempts times: only a bug or a killed worker's job). */
  async counts(): Promise<QueueCounts> {
    const res = await this.utils.withPgClient((c) => c.query<QueueCounts>(`SELECT
        count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts)::int AS waiting,
        count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS running,
        count(*) FILTER (WHERE locked_at IS NULL AND attempts >= max_attempts)::int AS "givenUp"
      FROM graphile_worker.jobs`));
    return res.rows[0] ?? { waiting: 0, running: 0, givenUp: 0 };
  }

  /** Hands the locked jobs of dead workers back to the queue, for the others to take. */
  async unlockWorkers(ids: string[]): Promise<void> {
    if (ids.length) await this.utils.forceUnlockWorkers(ids);
  }

  async close(): Promise<void> {
    await this.utils.release();
  }
}

export interface QueueWorkerOptions {
  /** A pool on the ops database for the engine alone (it holds one connection to LISTEN, and one per busy slot at most). */
  pool: pg.Pool;
  concurrency: number;
  /** Each task resolves when its job is done for good, and throws to have it tried again later. */
  tasks: Record<string, (job: JobRun) => Promise<void>>;
  crons: ZoneCronItem[];
  logger: Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;
  /** How often the engine looks for jobs due later (retries); new jobs wake it at once (LISTEN/NOTIFY). */
  pollMs?: number;
  /** Graceful stop: running jobs get this long before their signal aborts. */
  stopGraceMs?: number;
}

export interface QueueWorker {
  /** The id the engine locks this process's jobs with, for the heartbeats. */
  id: string;
  /** Takes no new job, lets running ones finish (stopGraceMs), then returns. */
  stop(): Promise<void>;
}

/** Runs jobs from the queue with `concurrency` slots, and fires the cron items (once across every worker on the database). */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  const taskList: Record<string, Task> = {};
  for (const [name, task] of Object.entries(o.tasks)) {
    taskList[name] = (payload, helpers) => task({ payload, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
  }
  let id: string | undefined;
  const events = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => { id = workerPool.id; });
  events.on('pool:listen:error', ({ error }) => o.logger.warn({ err: error }, 'job queue: lost its ops database connection; reconnecting'));
  const runner: Runner = await run({
    pgPool: o.pool, concurrency: o.concurrency, noHandleSignals: true, pollInterval: o.pollMs ?? 500, taskList, events,
    parsedCronItems: zoneCronItems(o.crons), logger: engineLogger(o.logger), gracefulShutdownAbortTimeout: o.stopGraceMs ?? 35_000,
  });
  if (!id) {
    await runner.stop();
    throw new Error('graphile-worker did not say its worker pool id');
  }
  return {
    id,
    async stop() {
      await runner.stop();
    },
  };
}
