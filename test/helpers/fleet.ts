import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { GraphileQueue } from '../../src/adapters/job-queue/graphile-queue.ts';
import { createOpsStores, migrate } from '../../src/store/index.ts';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import { dropScratchDb, LOCAL_PG_URL } from './local-pg.ts';
import { scratchOps, type ScratchOps } from './scratch-ops.ts';
import { TOKOBOT_BIN } from './tokobot-cli.ts';

/** The ops stores on an existing database at `url`, migrated; closing ends the pool (the server is the test's). */
async function opsAt(url: string): Promise<ScratchOps> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => undefined);
  await migrate(pool);
  return { pool, stores: createOpsStores(pool, { swapDatabases: async () => undefined }), close: () => pool.end() };
}

/** The demo's real iPOS backup (266 KB): a sync of it takes a few seconds here. */
const DEMO_BACKUP = path.resolve('demo', 'toko-contoh', 'backup_toko_contoh.i5bu');

/** A `tokobot worker` process of the fleet, with its output kept for the checks. */
export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StoreSpec {
  id: string;
  /** 'garbage': the folder's newest .i5bu is random bytes (a poison backup). */
  backup: 'demo' | 'garbage';
}

/**
 * Several `tokobot worker` processes on this machine sharing one ops database (named after the
 * test's process) and the local PostgreSQL as their restore server, each store a folder of its
 * own. close() kills every worker still running and removes the databases and files, pass or fail.
 */
export class Fleet {
  readonly workers: WorkerProcess[] = [];
  private constructor(readonly dir: string, readonly opsName: string, readonly ops: ScratchOps, readonly queue: GraphileQueue,
    private readonly env: Record<string, string>, private readonly storeIds: string[]) {}

  /** `opsUrl`: a database the test made on a server of its own (OPS_DATABASE_URL), else a scratch one on the local server. */
  static async open(tag: string, stores: StoreSpec[], env: Record<string, string>, opsUrl?: string): Promise<Fleet> {
    const dir = mkdtempSync(path.join(tmpdir(), `tokobot-fleet-${tag}-`));
    const opsName = `tokobot_t_ops_${tag}${process.pid}`;
    for (const s of stores) {
      const folder = path.join(dir, 'stores', s.id);
      mkdirSync(folder, { recursive: true });
      if (s.backup === 'demo') copyFileSync(DEMO_BACKUP, path.join(folder, 'backup.i5bu'));
      else writeFileSync(path.join(folder, 'backup.i5bu'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    }
    const configFile = path.join(dir, 'tokobot.json');
    writeFileSync(configFile, JSON.stringify({ stores: stores.map((s) => ({ id: s.id, dir: path.join(dir, 'stores', s.id) })) }));
    const ops = opsUrl ? await opsAt(opsUrl) : await scratchOps(opsName);
    // The engine wants an error handler on each checked-out client too (https://err.red/wpeh).
    ops.pool.on('connect', (c) => c.on('error', () => undefined));
    let queue: GraphileQueue;
    try {
      queue = await GraphileQueue.open(ops.pool, pino({ level: 'silent' }));
    } catch (err) {
      await ops.close();
      throw err;
    }
    const full = {
      PATH: process.env.PATH ?? '', HOME: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: opsName,
      DATA_DIR: path.join(dir, 'data'), TOKOBOT_CONFIG: configFile, LOG_LEVEL: 'info', TOKOBOT_LANG: 'en',
      ...(opsUrl ? { OPS_DATABASE_URL: opsUrl } : {}), ...env,
      ...(process.env.PGPASSWORD ? { PGPASSWORD: process.env.PGPASSWORD } : {}),
    };
    return new Fleet(dir, opsName, ops, queue, full, stores.map((s) => s.id));
  }

  /** Starts `tokobot worker --concurrency N` named `name` (WORKER_NAME), each with a data folder of its own as on its own machine. */
  spawnWorker(name: string, concurrency: number, env: Record<string, string> = {}): WorkerProcess {
    return this.spawnTokobot(name, ['worker', '--concurrency', String(concurrency)], env);
  }

  /** Starts `tokobot ARGS` (`start`, say) as a process of the fleet named `name`, with the fleet's settings and its own data folder. */
  spawnTokobot(name: string, args: string[], env: Record<string, string> = {}): WorkerProcess {
    const child = spawn(process.execPath, [TOKOBOT_BIN, ...args], {
      env: { ...this.env, DATA_DIR: path.join(this.dir, 'data', name), WORKER_NAME: name, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const w = { name, child, output: () => out, exited };
    this.workers.push(w);
    return w;
  }

  /** The workers whose data folder has an export folder for `store`: those that ran a sync of it. */
  ranBy(store: string): string[] {
    return this.workers.filter((w) => existsSync(path.join(this.dir, 'data', w.name, 'exports', store))).map((w) => w.name);
  }

  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return (await this.ops.pool.query(sql, params)).rows;
  }

  /** Runs of a store, oldest first. */
  async runs(store: string): Promise<{ id: number; trigger: string; status: string; error: string | null; started_at: Date; finished_at: Date | null }[]> {
    const res = await this.ops.pool.query('SELECT id, trigger, status, error, started_at, finished_at FROM sync_runs WHERE store = $1 ORDER BY started_at, id', [store]);
    return res.rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** Queued or running jobs of the engine for a store (its queue, or its job key). */
  async jobsOf(store: string): Promise<Record<string, unknown>[]> {
    return this.query('SELECT id, key, queue_name, locked_by, attempts, last_error FROM graphile_worker.jobs WHERE queue_name = $1 OR key = $2', [`store:${store}`, `sync:${store}`]);
  }

  /** Pairs of runs of one store whose times overlap (a run still running counts up to now): there must be none. */
  async overlaps(): Promise<Record<string, unknown>[]> {
    return this.query(`SELECT a.store, a.id AS a, b.id AS b FROM sync_runs a JOIN sync_runs b ON a.store = b.store AND a.id < b.id
      AND tstzrange(a.started_at, coalesce(a.finished_at, now())) && tstzrange(b.started_at, coalesce(b.finished_at, now()))`);
  }

  /** SIGTERM, then SIGKILL for a worker still running after `ms`. */
  async stop(w: WorkerProcess, ms = 40_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    const timer = setTimeout(() => w.child.kill('SIGKILL'), ms);
    try {
      return await w.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.stop(w, 5_000)));
    await this.queue.close().catch(() => undefined);
    await this.ops.close().catch(async () => dropScratchDb(this.opsName));
    for (const id of this.storeIds) {
      for (const db of Object.values(storeDatabases(id))) await dropScratchDb(db);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
