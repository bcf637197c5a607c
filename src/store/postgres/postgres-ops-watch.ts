import type pg from 'pg';
import type { LastRunTime, OpsWatch, RunTally } from '../ops-watch.ts';
import type { RunKind } from '../run-history.ts';

/** Counts over the view `runs`, which holds every kind of run alike (migration 7). */
export class PostgresOpsWatch implements OpsWatch {
  constructor(private readonly pool: pg.Pool) {}

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async tally(kind: RunKind): Promise<RunTally[]> {
    const res = await this.pool.query('SELECT subject, status, count(*)::int AS n FROM runs WHERE kind = $1 GROUP BY 1, 2', [kind]);
    return res.rows.map((r) => ({ subject: r.subject, status: r.status, runs: r.n }));
  }

  async lastFinished(kind: RunKind): Promise<LastRunTime[]> {
    const res = await this.pool.query(`SELECT DISTINCT ON (subject) subject, status, extract(epoch FROM finished_at - started_at) AS s
      FROM runs WHERE kind = $1 AND finished_at IS NOT NULL ORDER BY subject, started_at DESC`, [kind]);
    return res.rows.map((r) => ({ subject: r.subject, status: r.status, seconds: Number(r.s) }));
  }
}
