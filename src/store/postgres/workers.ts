import type pg from 'pg';
import type { WorkerBeat, WorkerRecord, Workers } from '../workers.ts';

const toRecord = (r: Record<string, unknown>): WorkerRecord => ({
  id: r.id as string, machine: r.machine as string, pid: r.pid as number, concurrency: r.concurrency as number,
  startedAt: r.started_at as Date, beatAt: r.beat_at as Date,
});

/** Worker heartbeats in the ops database (table workers), timed by the database's clock. */
export class PgWorkers implements Workers {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async beat(w: WorkerBeat): Promise<void> {
    await this.pool.query(`INSERT INTO workers (id, machine, pid, concurrency) VALUES ($1, $2, $3, $4)
      ON CONFLICT (id) DO UPDATE SET beat_at = now()`, [w.id, w.machine, w.pid, w.concurrency]);
  }

  async silent(silentMs: number): Promise<WorkerRecord[]> {
    const res = await this.pool.query(`SELECT * FROM workers WHERE beat_at < now() - make_interval(secs => $1::float8 / 1000) ORDER BY beat_at`, [silentMs]);
    return res.rows.map(toRecord);
  }

  async forget(ids: string[]): Promise<void> {
    await this.pool.query('DELETE FROM workers WHERE id = ANY($1)', [ids]);
  }

  async list(): Promise<WorkerRecord[]> {
    return (await this.pool.query('SELECT * FROM workers ORDER BY started_at, id')).rows.map(toRecord);
  }
}
