import type { BackupLog } from '../../src/store/backup-log.ts';
import type { RunHistory, RunKind, RunRecord } from '../../src/store/run-history.ts';
import type { SyncRunLog } from '../../src/store/sync-runs.ts';

const EVERY = Number.MAX_SAFE_INTEGER;

/** Every run the two logs hold, as the view `runs` shows them (migration 7): read through the logs' own contracts. */
export async function allRuns(syncRuns: Pick<SyncRunLog, 'recent'>, backupLog: Pick<BackupLog, 'recent'>): Promise<RunRecord[]> {
  const syncs = (await syncRuns.recent(null, EVERY)).map((r): RunRecord => ({ kind: 'sync', id: r.id, subject: r.store, trigger: r.trigger, status: r.status,
    stage: r.stage, stages: r.stages, startedAt: r.startedAt, finishedAt: r.finishedAt, error: r.error }));
  const backups = (await backupLog.recent(undefined, EVERY)).map((r): RunRecord => ({ kind: 'backup', id: r.id, subject: r.job, trigger: r.trigger,
    status: r.status, stage: r.stage, stages: r.stages, startedAt: r.startedAt, finishedAt: r.finishedAt, error: r.error }));
  return [...syncs, ...backups];
}

const oldestFirst = (a: RunRecord, b: RunRecord) => a.startedAt.getTime() - b.startedAt.getTime() || a.id - b.id || a.kind.localeCompare(b.kind);

/** RunHistory over the in-memory sync run log and backup log, so that it sees what they record. */
export class MemoryRunHistory implements RunHistory {
  constructor(private readonly syncRuns: Pick<SyncRunLog, 'recent'>, private readonly backupLog: Pick<BackupLog, 'recent'>) {}

  async running(kind?: RunKind): Promise<RunRecord[]> {
    const runs = await allRuns(this.syncRuns, this.backupLog);
    return runs.filter((r) => (r.status === 'running' || r.status === 'pending') && (!kind || r.kind === kind)).sort(oldestFirst);
  }

  async recent(options: { kind?: RunKind; subject?: string; limit: number }): Promise<RunRecord[]> {
    const runs = await allRuns(this.syncRuns, this.backupLog);
    const newestFirst = (a: RunRecord, b: RunRecord) => b.startedAt.getTime() - a.startedAt.getTime() || b.id - a.id || a.kind.localeCompare(b.kind);
    return runs.filter((r) => (!options.kind || r.kind === options.kind) && (options.subject === undefined || r.subject === options.subject))
      .sort(newestFirst).slice(0, options.limit);
  }
}
