import type pg from 'pg';
import type { RunCount, RunDuration, RunFigures } from '../run-figures.ts';

/** The figures of a run log table: sync_runs per store, backup_runs per job. */
export class PgRunFigures implements RunFigures {
  constructor(private readonly db: pg.Pool, private readonly table: 'sync_runs' | 'backup_runs', private readonly key: 'store' | 'job') {}

  async countsByStatus(): Promise<RunCount[]> {
    const res = await this.db.query(`SELECT ${this.key} AS key, status, count(*)::int AS runs FROM ${this.table} GROUP BY 1, 2`);
    return res.rows;
  }

  async lastDurations(): Promise<RunDuration[]> {
    const res = await this.db.query(`SELECT DISTINCT ON (${this.key}) ${this.key} AS key, status, extract(epoch FROM finished_at - started_at) AS seconds
      FROM ${this.table} WHERE finished_at IS NOT NULL ORDER BY ${this.key}, started_at DESC`);
    return res.rows.map((r) => ({ key: r.key, status: r.status, seconds: Number(r.seconds) }));
  }
}
