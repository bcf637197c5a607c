import type { BackupLog } from '../../src/store/backup-log.ts';
import type { LastRunTime, OpsWatch, RunTally } from '../../src/store/ops-watch.ts';
import type { RunKind, RunRecord } from '../../src/store/run-history.ts';
import type { SyncRunLog } from '../../src/store/sync-runs.ts';
import { allRuns } from './memory-run-history.ts';

/** The ops views in memory, over the in-memory sync run log and backup log (as PostgreSQL's read their tables). */
export class MemoryOpsWatch implements OpsWatch {
  /** Set to make ping() fail, as an unreachable ops database does. */
  down: Error | null = null;

  constructor(private readonly syncRuns: Pick<SyncRunLog, 'recent'>, private readonly backupLog: Pick<BackupLog, 'recent'>) {}

  async ping(): Promise<void> {
    if (this.down) throw this.down;
  }

  private async runs(kind: RunKind): Promise<RunRecord[]> {
    return (await allRuns(this.syncRuns, this.backupLog)).filter((r) => r.kind === kind);
  }

  async tally(kind: RunKind): Promise<RunTally[]> {
    const counts = new Map<string, RunTally>();
    for (const r of await this.runs(kind)) {
      const k = `${r.subject}\n${r.status}`;
      const t = counts.get(k) ?? counts.set(k, { subject: r.subject, status: r.status, runs: 0 }).get(k) as RunTally;
      t.runs++;
    }
    return [...counts.values()];
  }

  async lastFinished(kind: RunKind): Promise<LastRunTime[]> {
    const last = new Map<string, RunRecord>();
    for (const r of await this.runs(kind)) {
      const seen = last.get(r.subject);
      if (r.finishedAt && (!seen || r.startedAt.getTime() > seen.startedAt.getTime())) last.set(r.subject, r);
    }
    return [...last.values()].map((r) => ({ subject: r.subject, status: r.status, seconds: ((r.finishedAt as Date).getTime() - r.startedAt.getTime()) / 1000 }));
  }
}
