import pg from 'pg';
import type { App } from './app.ts';
import { opsConnection, opsDatabaseName } from './ops-connection.ts';
import { reportRuns } from './alerting.ts';
import { BACKUP_ATTEMPTS, backupPlace, GraphileQueue, startQueueWorker, SYNC_ATTEMPTS, syncPlace, type QueueWorker } from '../adapters/job-queue/graphile-queue.ts';
import type { ZoneCronItem } from '../adapters/job-queue/zone-cron.ts';
import { runTask } from '../pipeline/jobs/job-tasks.ts';
import { digestTask } from '../pipeline/reports/digest-task.ts';
import { digestCronItems, digestDeps } from './reports.ts';
import { RestoreGuard, type RestoreGuardDeps } from '../pipeline/jobs/restore-guard.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import type { BackupRunner } from '../pipeline/backup/backup-runner.ts';

/** The job queue of a process, on a pool of its own on the ops database (the engine keeps one connection listening). */
export interface Jobs {
  queue: GraphileQueue;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** What a connection gets from a server restarting or out of reach for a moment. */
const OUTAGE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P03']);

/**
 * graphile-worker 0.17 neither waits for a connection nor handles the rejection when it records a
 * job's end (completeJob, failJob): an ops database restarting at that moment ended the whole
 * process (found by test/fleet/fleet-ops-restart.test.ts). Its pool's connect (the promise form it
 * uses for queries) waits out an outage instead, up to `ms`, so that the end is recorded once the
 * database is back. The callback form (its LISTEN connection, which retries on its own) is left as it is.
 * Upstream: the disconnect rejections of graphile/worker#178 (https://github.com/graphile/worker/issues/178),
 * still unhandled in 0.17.3's completeJob/failJob; drop this once they are.
 */
function waitOutOutages(pool: pg.Pool, ms: number, onWait: (err: Error) => void): void {
  const connect = pool.connect.bind(pool) as (cb?: (...args: unknown[]) => void) => Promise<pg.PoolClient> | void;
  (pool as { connect: unknown }).connect = async (cb?: (...args: unknown[]) => void) => {
    if (cb) return connect(cb);
    const end = Date.now() + ms;
    for (let wait = 250; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        return await (connect() as Promise<pg.PoolClient>);
      } catch (err) {
        if (!OUTAGE.has(String((err as { code?: string }).code)) || Date.now() + wait > end) throw err;
        if (wait === 250) onWait(err as Error);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  };
}

export async function openJobs(app: Pick<App, 'config' | 'target' | 'logger'>, slots: number): Promise<Jobs> {
  const pool = new pg.Pool({ ...opsConnection(app.config, app.target)(opsDatabaseName(app.config)), max: slots + 3 });
  const dropped = (err: Error) => app.logger.warn({ reason: err.message }, 'job queue connection dropped; it will reconnect');
  waitOutOutages(pool, app.config.worker.deadAfterMs, dropped);
  // Both handlers, as graphile-worker asks: an idle client's error and a checked-out client's (https://err.red/wpeh).
  pool.on('error', dropped);
  pool.on('connect', (client) => { client.on('error', dropped); });
  const queue = await GraphileQueue.open(pool, app.logger).catch(async (err) => { await pool.end(); throw err; });
  return {
    queue, pool,
    async close() {
      await queue.close();
      await pool.end();
    },
  };
}

/** Every store's sync schedule, every scheduled backup job and the recipients' report times, as the engine's cron items. */
function cronItems(config: App['config']): ZoneCronItem[] {
  const zone = config.locale.zone;
  return [
    ...config.stores.map((s): ZoneCronItem => ({
      identifier: `sync:${s.id}`, task: 'sync', schedule: s.schedule, zone: s.timeZone ?? zone,
      payload: { store: s.id, trigger: 'schedule' }, ...syncPlace(s.id), maxAttempts: SYNC_ATTEMPTS,
    })),
    ...config.jobs.flatMap((j): ZoneCronItem[] => (j.schedule ? [{
      identifier: `backup:${j.id}`, task: 'backup', schedule: j.schedule, zone,
      payload: { job: j.id, trigger: 'schedule' }, ...backupPlace(j.id), maxAttempts: BACKUP_ATTEMPTS,
    }] : [])),
    ...digestCronItems(config),
  ];
}

export interface WorkerOptions {
  concurrency: number;
  /** Between heartbeats (tests shorten it); a quarter of WORKER_DEAD_AFTER_S by default, at most 10 s. */
  beatMs?: number;
  pollMs?: number;
  /** Between looks at this machine's restore server (tests shorten it). */
  guardMs?: number;
}

export interface Worker {
  id: string;
  stop(): Promise<void>;
}

/**
 * The worker of a process: takes sync and backup jobs from the queue with `concurrency` slots,
 * runs them through the runners (their locks, crash recovery, run log, alerts), fires the
 * schedules (once across every worker), beats, and takes up the jobs of workers that stopped beating.
 */
export async function startWorker(app: App, jobs: Jobs, runners: { syncs: SyncRunner; backups: BackupRunner }, o: WorkerOptions): Promise<Worker> {
  const { config, logger } = app;
  let stopping = false;
  const tasks = {
    sync: runTask({ kind: 'sync', find: (id) => config.stores.find((s) => s.id === id), run: (s, t) => runners.syncs.run(s, t), stopping: () => stopping, logger }, 'store'),
    backup: runTask({ kind: 'backup', find: (id) => config.jobs.find((j) => j.id === id), run: (j, t) => runners.backups.run(j, t), stopping: () => stopping, logger }, 'job'),
    digest: digestTask(digestDeps(app), logger),
  };
  const startEngine = () => startQueueWorker({ pool: jobs.pool, concurrency: o.concurrency, tasks, crons: cronItems(config), logger, pollMs: o.pollMs });
  let engine: QueueWorker | null = await startEngine();
  const me = { id: engine.id, machine: config.worker.name, pid: process.pid, concurrency: o.concurrency };
  const workers = app.opsStores.workers;
  const guard = restoreGuard(app, {
    async pause() {
      const stopped = engine;
      engine = null;
      await stopped?.stop();
    },
    async resume() {
      engine = await startEngine();
      const before = me.id;
      me.id = engine.id;
      await workers.forget([before]);
    },
  });
  const deadAfterMs = config.worker.deadAfterMs;
  const beatMs = o.beatMs ?? Math.min(10_000, deadAfterMs / 4);
  // Since when this worker's beats have gone through without a break. It judges others only after
  // a whole WORKER_DEAD_AFTER_S of that: after an ops database outage every worker looks silent,
  // and the first one back must give the others that long to beat again before taking their jobs.
  let steadySince: number | null = null;
  const beat = async () => {
    await workers.beat(me);
    steadySince ??= Date.now();
    if (Date.now() - steadySince < deadAfterMs) return;
    const dead = (await workers.silent(deadAfterMs)).filter((w) => w.id !== me.id);
    if (!dead.length) return;
    await jobs.queue.unlockWorkers(dead.map((w) => w.id));
    await workers.forget(dead.map((w) => w.id));
    for (const w of dead) {
      logger.warn({ worker: w.id, machine: w.machine, pid: w.pid, silentSince: w.beatAt }, `the worker on ${w.machine} (pid ${w.pid}) stopped beating; its jobs were handed to the others`);
      await app.alerts.raise({ key: `worker:${w.machine}`, kind: 'worker-down', severity: 'warning', subject: w.machine, params: { pid: w.pid, silentSince: w.beatAt.toISOString() } });
    }
  };
  await beat();
  // A worker beating again on a machine whose worker stopped: that machine is back.
  await app.alerts.clear(`worker:${me.machine}`);
  const timer = setInterval(() => {
    void beat().catch((err) => {
      steadySince = null;
      logger.warn({ err }, 'worker heartbeat failed; tried again');
    });
  }, beatMs);
  // On one machine the queue is on the restore server too: with it down there is nothing to pause for.
  const guarding = config.ops.url ? setInterval(() => { void guard.check().catch((err) => logger.warn({ err }, 'worker: checking the restore server failed')); }, o.guardMs ?? 15_000) : undefined;
  logger.info({ worker: me.id, machine: me.machine, concurrency: o.concurrency }, `worker: ${o.concurrency} job slot(s) on ${me.machine}`);
  return {
    id: me.id,
    async stop() {
      stopping = true;
      clearInterval(timer);
      clearInterval(guarding);
      await Promise.all([engine?.stop(), runners.syncs.shutdown(30_000), runners.backups.shutdown(30_000)]);
      await workers.forget([me.id]).catch(() => undefined);
    },
  };
}

/**
 * In a fleet (OPS_DATABASE_URL), while this machine's restore server does not answer its worker
 * takes no job (RestoreGuard): the jobs wait for the other workers. The alert names the machine.
 * On one machine the queue is on that same server, and the monitors of tokobot start tell of it.
 */
function restoreGuard(app: App, engine: Pick<RestoreGuardDeps, 'pause' | 'resume'>): RestoreGuard {
  const machine = app.config.worker.name;
  const key = `restore-server:${machine}`;
  return new RestoreGuard({
    ...engine, logger: app.logger,
    ping: async () => { await app.target.databaseExists('postgres'); },
    down: async (error) => { await app.alerts.raise({ key, kind: 'restore-server-down', severity: 'critical', subject: machine, params: { error, machine } }); },
    up: async () => { await app.alerts.clear(key); },
  });
}

/** `tokobot worker`: the runners and the worker alone, with alerts recorded for the front end to deliver. */
export async function startWorkerProcess(app: App, runners: { syncs: SyncRunner; backups: BackupRunner }, o: WorkerOptions): Promise<Worker> {
  reportRuns(app, runners.syncs, runners.backups);
  await runners.syncs.recover();
  await runners.backups.recover();
  const jobs = await openJobs(app, o.concurrency);
  const worker = await startWorker(app, jobs, runners, o).catch(async (err) => { await jobs.close(); throw err; });
  return {
    id: worker.id,
    async stop() {
      await worker.stop();
      await jobs.close();
    },
  };
}
