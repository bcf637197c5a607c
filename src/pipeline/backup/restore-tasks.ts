import { randomBytes } from 'node:crypto';
import type { JobConfig } from '../../config/load-config.ts';
import { describeError, indonesianDetail } from '../../errors.ts';
import type { BackupConsole } from './backup-console.ts';
import type { Contents, RestoreStage } from './restore-backup.ts';

export type RestoreTaskStage = 'fetch' | RestoreStage | 'done' | 'failed';

/** A restore started from the dashboard, as its progress page shows it. */
export interface RestoreTask {
  /** Unguessable: the progress page is only for the owner who has the link (and owners only). */
  id: string;
  job: string;
  file: string;
  database: string;
  stage: RestoreTaskStage;
  startedAt: Date;
  finishedAt: Date | null;
  result: Contents | null;
  error: string | null;
  /** The error in Indonesian, when it says it. */
  errorId?: string;
}

/** Finished restores are remembered for their pages up to this many; older ones are forgotten. */
const KEPT = 50;

/** The restores this process runs in the background for the backup console, by id. */
export class RestoreTasks {
  private readonly tasks = new Map<string, RestoreTask>();

  constructor(private readonly backups: Pick<BackupConsole, 'restore'>, private readonly now: () => Date = () => new Date()) {}

  get(id: string): RestoreTask | null {
    return this.tasks.get(id) ?? null;
  }

  /** A restore into `database` that has not finished yet: a second one into it would race the first. */
  running(database: string): RestoreTask | null {
    return [...this.tasks.values()].find((t) => t.database === database && !t.finishedAt) ?? null;
  }

  /** Starts the restore and returns at once; `onEnd` hears how it ended (for the audit trail). */
  start(job: JobConfig, destination: number, file: string, database: string, onEnd: (task: RestoreTask) => void): RestoreTask {
    const task: RestoreTask = { id: randomBytes(12).toString('base64url'), job: job.id, file, database, stage: 'fetch', startedAt: this.now(), finishedAt: null, result: null, error: null };
    this.tasks.set(task.id, task);
    for (const old of [...this.tasks.values()].filter((t) => t.finishedAt).slice(0, Math.max(0, this.tasks.size - KEPT))) this.tasks.delete(old.id);
    this.backups.restore(job, destination, file, database, (stage) => { task.stage = stage; })
      .then((result) => Object.assign(task, { stage: 'done', result }), (err) => Object.assign(task, { stage: 'failed', error: describeError(err), errorId: indonesianDetail(err) }))
      .finally(() => { task.finishedAt = this.now(); onEnd(task); })
      .catch(() => undefined); // onEnd's own failure (the audit store) must not end the process
    return task;
  }
}
