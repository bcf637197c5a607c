import type pg from 'pg';
import type { LastRunTime, OpsWatch, RunKind, RunningSync, RunTally } from '../ops-watch.ts';

/** Where each kind of run is recorded, and what it is recorded by. */
const runTables = { sync: { table: 'sync_runs', subject: 'store' }, backup: { table: 'backup_runs', subject: 'job' } } as const;

export class PostgresOpsWatch implements OpsWatch {
  constructor(private readonly pool: pg.Pool) {}

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async runningSyncs(): Promise<RunningSync[]> {
    const res = await this.pool.query("SELECT store, stage, started_at FROM sync_runs WHERE status = 'running'");
    return res.rows.map((r) => ({ store: r.store, stage: r.stage, startedAt: r.started_at }));
  }

  async tally(kind: RunKind): Promise<RunTally[]> {
    const { table, subject } = runTables[kind];
    const res = await this.pool.query(`SELECT ${subject} AS k, status, count(*)::int AS n FROM ${table} GROUP BY 1, 2`);
    return res.rows.map((r) => ({ subject: r.k, status: r.status, runs: r.n }));
  }

  async lastFinished(kind: RunKind): Promise<LastRunTime[]> {
    const { table, subject } = runTables[kind];
    const res = await this.pool.query(`SELECT DISTINCT ON (${subject}) ${subject} AS k, status, extract(epoch FROM finished_at - started_at) AS s
      FROM ${table} WHERE finished_at IS NOT NULL ORDER BY ${subject}, started_at DESC`);
    return res.rows.map((r) => ({ subject: r.k, status: r.status, seconds: Number(r.s) }));
  }
}
