import type pg from 'pg';
import { parseErrorFacts } from '../../errors.ts';
import type { BackupLog, BackupRun, BackupRunDetails, BackupStatus, DeliveredCopy, Verification } from '../backup-log.ts';
import type { StageRecord } from '../run-history.ts';

const columns: Record<keyof BackupRunDetails, string> = {
  stage: 'stage', stages: 'stages', fileName: 'file_name', bytes: 'bytes', sha256: 'sha256', destinations: 'destinations',
  verification: 'verification', error: 'error', failure: 'failure',
};
const JSON_COLUMNS = new Set(['stages', 'destinations', 'verification', 'failure']);

function toRun(r: Record<string, unknown>): BackupRun {
  return {
    id: Number(r.id), job: r.job as string, trigger: r.trigger as string, status: r.status as BackupStatus,
    stage: r.stage as string | null, stages: (r.stages as StageRecord[]) ?? [], startedAt: r.started_at as Date, finishedAt: r.finished_at as Date | null,
    fileName: r.file_name as string | null, bytes: r.bytes === null ? null : Number(r.bytes), sha256: r.sha256 as string | null,
    destinations: (r.destinations as DeliveredCopy[]) ?? [], verification: r.verification as Verification | null, error: r.error as string | null,
    failure: parseErrorFacts((r.failure as { kind?: unknown } | null)?.kind, (r.failure as { system?: unknown } | null)?.system) ?? null,
  };
}

/** The backup run log in the ops database's backup_runs table. */
export class PostgresBackupLog implements BackupLog {
  constructor(private readonly pool: pg.Pool) {}

  async start(job: string, trigger: string): Promise<number> {
    const res = await this.pool.query("INSERT INTO backup_runs (job, trigger, status) VALUES ($1, $2, 'pending') RETURNING id", [job, trigger]);
    return Number(res.rows[0].id);
  }

  async update(id: number, details: BackupRunDetails, status?: BackupStatus): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const [key, value] of Object.entries(details)) {
      if (value === undefined) continue;
      values.push(JSON_COLUMNS.has(key) ? JSON.stringify(value) : value);
      sets.push(`${columns[key as keyof BackupRunDetails]} = $${values.length}`);
    }
    if (status) {
      values.push(status);
      sets.push(`status = $${values.length}`);
      if (status === 'success' || status === 'failed') sets.push('finished_at = now()');
    }
    if (sets.length) await this.pool.query(`UPDATE backup_runs SET ${sets.join(', ')} WHERE id = $1`, values);
  }

  async interrupted(job: string): Promise<BackupRun[]> {
    const res = await this.pool.query("SELECT * FROM backup_runs WHERE job = $1 AND status IN ('pending', 'running') ORDER BY id", [job]);
    return res.rows.map(toRun);
  }

  async failInterrupted(id: number, error: string): Promise<void> {
    await this.pool.query("UPDATE backup_runs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1 AND status IN ('pending', 'running')", [id, error]);
  }

  async runsWithFiles(job: string): Promise<BackupRun[]> {
    const res = await this.pool.query(
      'SELECT * FROM backup_runs WHERE job = $1 AND file_name IS NOT NULL ORDER BY finished_at DESC NULLS FIRST, id DESC', [job]);
    return res.rows.map(toRun);
  }

  async get(id: number): Promise<BackupRun | null> {
    const res = await this.pool.query('SELECT * FROM backup_runs WHERE id = $1', [id]);
    return res.rows[0] ? toRun(res.rows[0]) : null;
  }

  async madeFile(name: string): Promise<BackupRun | null> {
    const res = await this.pool.query("SELECT * FROM backup_runs WHERE file_name = $1 AND status = 'success' ORDER BY id DESC LIMIT 1", [name]);
    return res.rows[0] ? toRun(res.rows[0]) : null;
  }

  async recent(job?: string, limit = 10): Promise<BackupRun[]> {
    const res = await this.pool.query(
      'SELECT * FROM backup_runs WHERE ($1::text IS NULL OR job = $1) ORDER BY started_at DESC, id DESC LIMIT $2', [job ?? null, limit]);
    return res.rows.map(toRun);
  }

  async latest(jobs?: string[]): Promise<Map<string, { last: BackupRun; lastGood?: BackupRun }>> {
    // Named jobs: one index probe each; all jobs: DISTINCT ON reads the whole log.
    const newest = (where: string) => (jobs
      ? this.pool.query(`SELECT r.* FROM unnest($1::text[]) j(job) CROSS JOIN LATERAL (
          SELECT * FROM backup_runs WHERE job = j.job ${where ? `AND ${where}` : ''} ORDER BY started_at DESC, id DESC LIMIT 1) r`, [jobs])
      : this.pool.query(`SELECT DISTINCT ON (job) * FROM backup_runs ${where ? `WHERE ${where}` : ''} ORDER BY job, started_at DESC, id DESC`));
    const [res, good] = await Promise.all([newest(''), newest("status = 'success'")]);
    const goodByJob = new Map(good.rows.map((r) => [r.job as string, toRun(r)]));
    return new Map(res.rows.map((r) => [r.job as string, { last: toRun(r), lastGood: goodByJob.get(r.job as string) }]));
  }

  async between(from: Date, to: Date): Promise<BackupRun[]> {
    const res = await this.pool.query('SELECT * FROM backup_runs WHERE started_at >= $1 AND started_at < $2 ORDER BY started_at, id', [from, to]);
    return res.rows.map(toRun);
  }
}
