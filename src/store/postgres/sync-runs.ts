import type pg from 'pg';
import type { StageRecord } from '../run-history.ts';
import { INTERRUPTED_ERROR, type RunDetails, type RunStatus, type StatusRuns, type SyncRun, type SyncRunLog, type Trigger } from '../sync-runs.ts';

const columns: Record<keyof RunDetails, string> = {
  stage: 'stage', stages: 'stages', sourceFile: 'source_file', sourceModified: 'source_modified',
  contentHash: 'content_hash', bytes: 'bytes', archive: 'archive', rowCount: 'row_count',
  validation: 'validation', error: 'error', note: 'note',
};

function toRun(r: Record<string, unknown>): SyncRun {
  return {
    id: Number(r.id), store: r.store as string, trigger: r.trigger as string, status: r.status as RunStatus,
    stage: r.stage as string | null, stages: (r.stages as StageRecord[]) ?? [], startedAt: r.started_at as Date,
    finishedAt: r.finished_at as Date | null, sourceFile: r.source_file as string | null,
    sourceModified: r.source_modified as Date | null, contentHash: r.content_hash as string | null,
    bytes: r.bytes === null ? null : Number(r.bytes), archive: r.archive, rowCount: r.row_count as number | null,
    validation: r.validation, error: r.error as string | null, note: (r.note as string | null) ?? null,
  };
}

/** SyncRunLog.update on any connection: the pool, or one in the middle of a transaction (a publication commits the run's success with the list). */
export async function updateRun(on: pg.Pool | pg.ClientBase, id: number, details: RunDetails, status?: RunStatus): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined) continue;
    values.push(key === 'stages' || key === 'archive' || key === 'validation' ? JSON.stringify(value) : value);
    sets.push(`${columns[key as keyof RunDetails]} = $${values.length}`);
  }
  if (status) {
    values.push(status);
    sets.push(`status = $${values.length}`);
    if (status !== 'running') sets.push('finished_at = now()');
  }
  // A run's outcome is given once: a late failure (an ambiguous commit) never overwrites a success.
  const still = status ? " AND status = 'running'" : '';
  if (sets.length) await on.query(`UPDATE sync_runs SET ${sets.join(', ')} WHERE id = $1${still}`, values);
}

/** Every column but the stages, for statusRuns. */
const STATUS_COLUMNS = `r.id, r.store, r.trigger, r.status, r.stage, '[]'::jsonb AS stages, r.started_at, r.finished_at, r.source_file, r.source_modified,
  r.content_hash, r.bytes, r.archive, r.row_count, r.validation, r.error, r.note`;

/** The sync run log in the ops database's sync_runs table. */
export class PgSyncRunLog implements SyncRunLog {
  constructor(private readonly pool: pg.Pool) {}

  async start(store: string, trigger: Trigger): Promise<number> {
    const res = await this.pool.query(
      "INSERT INTO sync_runs (store, trigger, status) VALUES ($1, $2, 'running') RETURNING id", [store, trigger]);
    return Number(res.rows[0].id);
  }

  update(id: number, details: RunDetails, status?: RunStatus): Promise<void> {
    return updateRun(this.pool, id, details, status);
  }

  async failInterrupted(store: string): Promise<number> {
    const res = await this.pool.query(
      `UPDATE sync_runs SET status = 'failed', finished_at = now(), error = replace($2, '%s', coalesce(stage, 'first'))
       WHERE store = $1 AND status = 'running'`, [store, INTERRUPTED_ERROR]);
    return res.rowCount ?? 0;
  }

  async recent(store: string | null, limit: number): Promise<SyncRun[]> {
    const res = await this.pool.query(
      'SELECT * FROM sync_runs WHERE ($1::text IS NULL OR store = $1) ORDER BY started_at DESC, id DESC LIMIT $2',
      [store, limit]);
    return res.rows.map(toRun);
  }

  async successesSince(store: string, since: Date): Promise<SyncRun[]> {
    const res = await this.pool.query(
      `SELECT * FROM sync_runs WHERE store = $1 AND status = 'success' AND started_at >= $2 ORDER BY started_at, id`, [store, since]);
    return res.rows.map(toRun);
  }

  async lastWith(store: string, statuses: RunStatus[]): Promise<SyncRun | null> {
    const res = await this.pool.query(
      'SELECT * FROM sync_runs WHERE store = $1 AND status = ANY($2) ORDER BY started_at DESC, id DESC LIMIT 1',
      [store, statuses]);
    return res.rows[0] ? toRun(res.rows[0]) : null;
  }

  async statusRuns(stores: string[]): Promise<Map<string, StatusRuns>> {
    // One index-only probe per store and question (migrations 11 and 12 index each in its order); the
    // newest run that is a success or a failure answers that question too (most stores: the last run is
    // the last success). Each run picked is then read once (it mostly is the newest seen too).
    // MATERIALIZED: inlined, the probes would run again for every run read (npm run bench:web, EXPLAIN).
    const newest = (where: string, order = 'started_at DESC, id DESC') => `(SELECT id FROM sync_runs WHERE store = s.store ${where} ORDER BY ${order} LIMIT 1)`;
    const lastOr = (status: RunStatus) => `CASE WHEN l.status = '${status}' THEN l.id ELSE ${newest(`AND status = '${status}'`)} END`;
    const res = await this.pool.query(`WITH picks AS MATERIALIZED (
        SELECT s.store, l.id AS last, ${lastOr('success')} AS success, ${lastOr('failed')} AS failure,
          ${newest('AND source_modified IS NOT NULL', 'source_modified DESC, id DESC')} AS newest
        FROM unnest($1::text[]) s(store) LEFT JOIN LATERAL (SELECT id, status FROM sync_runs WHERE store = s.store ORDER BY started_at DESC, id DESC LIMIT 1) l ON true)
      SELECT p.last = r.id AS is_last, p.success = r.id AS is_success, p.failure = r.id AS is_failure, p.newest = r.id AS is_newest, ${STATUS_COLUMNS}
      FROM picks p JOIN sync_runs r ON r.id = ANY (ARRAY[p.last, p.success, p.failure, p.newest])`, [stores]);
    const all = new Map(stores.map((s): [string, StatusRuns] => [s, { last: null, success: null, failure: null, newest: null }]));
    for (const r of res.rows) {
      const run = toRun(r);
      const of = all.get(run.store)!;
      if (r.is_last) of.last = run;
      if (r.is_success) of.success = run;
      if (r.is_failure) of.failure = run;
      if (r.is_newest) of.newest = run;
    }
    return all;
  }

  async newestSeen(store: string): Promise<SyncRun | null> {
    const res = await this.pool.query(
      `SELECT * FROM sync_runs WHERE store = $1 AND source_modified IS NOT NULL
       ORDER BY source_modified DESC, id DESC LIMIT 1`, [store]);
    return res.rows[0] ? toRun(res.rows[0]) : null;
  }

  async between(from: Date, to: Date): Promise<SyncRun[]> {
    const res = await this.pool.query(`SELECT ${STATUS_COLUMNS} FROM sync_runs r WHERE r.started_at >= $1 AND r.started_at < $2 ORDER BY r.started_at, r.id`, [from, to]);
    return res.rows.map(toRun);
  }
}
