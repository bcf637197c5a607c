import type { Logger } from 'pino';
import type { JobConfig } from '../../config/load-config.ts';
import { AppError } from '../../errors.ts';
import { runBackup, type BackupDeps, type BackupProgress, type BackupProgressFn } from './backup-job.ts';
import type { BackupRun } from '../../store/backup-log.ts';
import { NOTHING_KEPT, recoverJob } from './recover.ts';

export interface JobState {
  job: JobConfig;
  nextRun: Date | null;
  last?: BackupRun;
  lastGood?: BackupRun;
  /** What this process is doing for the job right now. */
  running: BackupProgress | null;
}

/**
 * The backup runs a long-running tokobot starts (schedule, chat, CLI): what each is doing now,
 * a report of every finished run (alerts listen here), crash recovery at start, and a clean
 * stop on shutdown.
 */
export class BackupRunner {
  private readonly progressOf = new Map<string, BackupProgress>();
  private readonly active = new Set<Promise<BackupRun>>();
  private readonly stopping = new AbortController();
  private readonly listeners: ((run: BackupRun) => Promise<void> | void)[] = [];

  constructor(private readonly deps: BackupDeps, readonly jobs: JobConfig[], private readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>) {}

  /** Called with every finished run, good or failed. */
  onFinished(listener: (run: BackupRun) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  progress(jobId: string): BackupProgress | null {
    return this.progressOf.get(jobId) ?? null;
  }

  run(job: JobConfig, trigger: string, onProgress?: BackupProgressFn): Promise<BackupRun> {
    if (this.stopping.signal.aborted) {
      return Promise.reject(new AppError('interrupted', 'tokobot', 'tokobot is shutting down; try again when it is back.', { retryable: true }));
    }
    if (this.progressOf.has(job.id)) return Promise.reject(new AppError('busy', 'tokobot', `The backup ${job.id} is already running; wait for it to finish.`, { retryable: true }));
    this.progressOf.set(job.id, { stage: 'dump' });
    const running = runBackup(this.deps, job, trigger, (p) => { this.progressOf.set(job.id, p); onProgress?.(p); }, this.stopping.signal)
      .then(async (run) => {
        this.logger[run.status === 'success' ? 'info' : 'error']({ job: job.id, run: run.id, status: run.status, error: run.error }, 'backup finished');
        for (const l of this.listeners) await Promise.resolve(l(run)).catch((err) => this.logger.warn({ err }, 'a listener of finished backups failed'));
        return run;
      })
      .finally(() => { this.progressOf.delete(job.id); this.active.delete(running); });
    this.active.add(running);
    return running;
  }

  /**
   * At start: runs a crash left "running" are marked failed, the files they left at destinations
   * and their work files removed (recoverJob), for every job not running in another process now.
   */
  async recover(): Promise<void> {
    for (const job of this.jobs) {
      const release = await this.deps.lock(`backup:${job.id}`);
      if (!release) continue;
      try {
        await recoverJob(this.deps, job, { sweep: false });
      } finally {
        await release();
      }
    }
  }

  async states(nextRun: (jobId: string) => Date | null): Promise<JobState[]> {
    const latest = await this.deps.log.latest();
    return this.jobs.map((job) => ({ job, nextRun: nextRun(job.id), ...latest.get(job.id), running: this.progress(job.id) }));
  }

  /** Waits up to `graceMs` for running backups, then stops them (their runs end as failed, with no file kept). */
  async shutdown(graceMs: number): Promise<void> {
    const all = () => Promise.allSettled([...this.active]);
    const timer = new Promise<'late'>((resolve) => { const t = setTimeout(() => resolve('late'), graceMs); t.unref(); });
    if ((await Promise.race([all().then(() => 'done' as const), timer])) === 'late') {
      this.logger.warn({ running: this.active.size }, 'stopping running backups for shutdown');
    }
    this.stopping.abort(new AppError('interrupted', 'tokobot', `tokobot was shut down during this backup; ${NOTHING_KEPT}. It runs again at its next time.`));
    await all();
  }
}
