import type { LastRunTime, OpsWatch, RunKind, RunningSync, RunTally } from '../../src/store/ops-watch.ts';
import type { MemoryBackupLog } from './memory-backup-log.ts';

/** A sync run as MemoryOpsWatch sees it (the sync side's store keeps more). */
export interface MemorySyncRun {
  store: string;
  status: string;
  stage: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

interface Run { subject: string; status: string; startedAt: Date; finishedAt: Date | null }

/** The ops views in memory: backup runs from a MemoryBackupLog, syncs as the test puts them in `syncs`. */
export class MemoryOpsWatch implements OpsWatch {
  readonly syncs: MemorySyncRun[] = [];
  /** Set to make ping() fail, as an unreachable ops database does. */
  down: Error | null = null;

  constructor(private readonly backupLog: MemoryBackupLog) {}

  async ping(): Promise<void> {
    if (this.down) throw this.down;
  }

  async runningSyncs(): Promise<RunningSync[]> {
    return this.syncs.filter((s) => s.status === 'running').map((s) => ({ store: s.store, stage: s.stage, startedAt: new Date(s.startedAt) }));
  }

  private runs(kind: RunKind): Run[] {
    return kind === 'sync' ? this.syncs.map((s) => ({ ...s, subject: s.store })) : this.backupLog.runs.map((r) => ({ ...r, subject: r.job }));
  }

  async tally(kind: RunKind): Promise<RunTally[]> {
    const counts = new Map<string, RunTally>();
    for (const r of this.runs(kind)) {
      const k = `${r.subject}\n${r.status}`;
      const t = counts.get(k) ?? counts.set(k, { subject: r.subject, status: r.status, runs: 0 }).get(k) as RunTally;
      t.runs++;
    }
    return [...counts.values()];
  }

  async lastFinished(kind: RunKind): Promise<LastRunTime[]> {
    const last = new Map<string, Run>();
    for (const r of this.runs(kind)) {
      const seen = last.get(r.subject);
      if (r.finishedAt && (!seen || r.startedAt.getTime() > seen.startedAt.getTime())) last.set(r.subject, r);
    }
    return [...last.values()].map((r) => ({ subject: r.subject, status: r.status, seconds: ((r.finishedAt as Date).getTime() - r.startedAt.getTime()) / 1000 }));
  }
}
