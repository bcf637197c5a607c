import type pg from 'pg';
import type { RunHistory, RunKind, RunRecord, StageRecord } from '../run-history.ts';

function toRecord(r: Record<string, unknown>): RunRecord {
  return {
    kind: r.kind as RunKind, id: Number(r.id), subject: r.subject as string, trigger: r.trigger as string, status: r.status as RunRecord['status'],
    stage: r.stage as string | null, stages: (r.stages as StageRecord[]) ?? [], startedAt: r.started_at as Date,
    finishedAt: r.finished_at as Date | null, error: r.error as string | null,
  };
}

/** The runs of every kind, read from the ops database's view `runs` (migration 7). */
export class PgRunHistory implements RunHistory {
  constructor(private readonly pool: pg.Pool) {}

  async running(kind?: RunKind): Promise<RunRecord[]> {
    const res = await this.pool.query(`SELECT * FROM runs WHERE status IN ('running', 'pending') AND ($1::text IS NULL OR kind = $1)
      ORDER BY started_at, id, kind`, [kind ?? null]);
    return res.rows.map(toRecord);
  }

  async recent(options: { kind?: RunKind; subject?: string; limit: number }): Promise<RunRecord[]> {
    const res = await this.pool.query(`SELECT * FROM runs WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR subject = $2)
      ORDER BY started_at DESC, id DESC, kind LIMIT $3`, [options.kind ?? null, options.subject ?? null, options.limit]);
    return res.rows.map(toRecord);
  }
}
