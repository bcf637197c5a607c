import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphileQueue } from '../src/adapters/job-queue/graphile-queue.ts';
import { createLogger } from '../src/log.ts';
import { adminQuery, LOCAL_PG_URL } from '../test/helpers/local-pg.ts';
import { measureLoad, processCpuSeconds, trackCpu, type Load } from './machine-load.ts';
import { quietPool } from './fleet-engine.ts';
import { dropDatabasesStarting, type Processes } from './fleet-processes.ts';

export interface FleetStore { id: string; dir: string; big: boolean }

export interface Run { store: string; big: boolean; status: string; enqueuedMs: number; startMs: number; endMs: number }

export interface Round {
  workers: number;
  wallMs: number;
  runs: Run[];
  load: Load;
  /** CPU seconds of the worker processes and their pg_restore children. */
  workerCpuSeconds: number;
  /** CPU seconds of the PostgreSQL backends on the round's databases (sampled: short-lived ones are partly missed). */
  postgresCpuSeconds: number;
  /** Slot time spent idle while jobs waited, per job: the queue's own cost (see idleWhileWaiting). */
  idleWhileWaitingMsPerJob: number;
}

export interface RoundSetup {
  stores: FleetStore[];
  configFile: string;
  /** Store ids all start with it: the round's restored databases are ipos_<prefix>…. */
  prefix: string;
  work: string;
  processes: Processes;
  /** Give up on a round after this long. */
  timeoutMs: number;
}

/**
 * Slot time left idle while some job was enqueued and not yet started, summed over the round:
 * at each moment min(idle slots, waiting jobs). Slots idle because nothing waits (the tail of
 * the round) are not the queue's doing and are not counted.
 */
function idleWhileWaiting(runs: Run[], slots: number): number {
  const points = [...new Set(runs.flatMap((r) => [r.enqueuedMs, r.startMs, r.endMs]))].sort((a, b) => a - b);
  let idle = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const t = points[i]!;
    const running = runs.filter((r) => r.startMs <= t && t < r.endMs).length;
    const waiting = runs.filter((r) => r.enqueuedMs <= t && t < r.startMs).length;
    idle += Math.min(Math.max(0, slots - running), waiting) * (points[i + 1]! - t);
  }
  return idle;
}

async function untilTrue(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(everyMs);
  }
}

/**
 * One round: a fresh ops database, `workers` processes of `tokobot worker --concurrency 1`, every
 * store's sync enqueued with GraphileQueue, until every store has a finished run. The restored
 * databases and the ops database are dropped after it.
 */
export async function fleetRound(s: RoundSetup, workers: number): Promise<Round> {
  const opsDb = `tokobot_${s.prefix}_ops_w${workers}`;
  const dataDir = path.join(s.work, `data-w${workers}`);
  mkdirSync(dataDir, { recursive: true });
  await dropDatabasesStarting(`ipos_${s.prefix}`);
  await dropDatabasesStarting(opsDb);
  const env = {
    HOME: s.work, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: opsDb, DATA_DIR: dataDir, TOKOBOT_CONFIG: s.configFile,
    SYNC_CRON: '0 0 1 1 *', LOG_LEVEL: 'warn', TOKOBOT_LANG: 'en',
  };
  const children = Array.from({ length: workers }, (_, i) =>
    s.processes.start(['worker', '--concurrency', '1'], { ...env, WORKER_NAME: `bench-${i + 1}` }, path.join(s.work, `worker-w${workers}-${i + 1}.log`)));
  const pool = quietPool(opsDb);
  try {
    const beating = async () => {
      const dead = children.findIndex((c) => c.exitCode !== null || c.signalCode !== null);
      // The bench's folder goes at its end: what the worker said goes into the error.
      if (dead >= 0) throw new Error(`worker ${dead + 1} of ${workers} exited at start: ${readFileSync(path.join(s.work, `worker-w${workers}-${dead + 1}.log`), 'utf8').slice(-2000)}`);
      return Number((await pool.query('SELECT count(*) AS n FROM workers').catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n) === workers;
    };
    await untilTrue(`${workers} worker(s) beat`, beating, 120_000);
    const queue = await GraphileQueue.open(pool, createLogger('silent'));
    await adminQuery('CHECKPOINT'); // the previous round's writes are not flushed during this one
    const cpu0 = children.map((c) => processCpuSeconds(c.pid!));
    const loadEnd = measureLoad();
    const postgresCpu = trackCpu((cmdline) => cmdline.startsWith('postgres: ') && cmdline.includes(s.prefix));
    const t0 = Date.now();
    const enqueued = new Map<string, number>();
    for (const store of s.stores) {
      await queue.sync(store.id, 'bench');
      enqueued.set(store.id, Date.now());
    }
    await queue.close();
    const finishedAll = async () =>
      Number((await pool.query('SELECT count(DISTINCT store) AS n FROM sync_runs WHERE finished_at IS NOT NULL').catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n) === s.stores.length;
    await untilTrue(`every store has a finished sync (${workers} worker(s))`, finishedAll, s.timeoutMs);
    const load = loadEnd();
    const postgresCpuSeconds = postgresCpu();
    const workerCpuSeconds = children.reduce((sum, c, i) => sum + processCpuSeconds(c.pid!) - cpu0[i]!, 0);
    // The first finished run of each store (a failed one is retried later: that is counted too, as failed).
    const res = await pool.query(`SELECT DISTINCT ON (store) store, status, extract(epoch FROM started_at) * 1000 AS start_ms, extract(epoch FROM finished_at) * 1000 AS end_ms
      FROM sync_runs WHERE finished_at IS NOT NULL ORDER BY store, started_at`);
    const big = new Set(s.stores.filter((x) => x.big).map((x) => x.id));
    const runs: Run[] = res.rows.map((r) => ({
      store: r.store, big: big.has(r.store), status: r.status, enqueuedMs: enqueued.get(r.store)!, startMs: Number(r.start_ms), endMs: Number(r.end_ms),
    }));
    const wallMs = Math.max(...runs.map((r) => r.endMs)) - t0;
    return { workers, wallMs, runs, load, workerCpuSeconds, postgresCpuSeconds, idleWhileWaitingMsPerJob: idleWhileWaiting(runs, workers) / runs.length };
  } finally {
    await Promise.all(children.map((c) => s.processes.stop(c)));
    await pool.end();
    await dropDatabasesStarting(`ipos_${s.prefix}`);
    await dropDatabasesStarting(opsDb);
  }
}
