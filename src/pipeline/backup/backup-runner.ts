import type { Logger } from 'pino';
import type { JobConfig } from '../../config/load-config.ts';
import { Runner } from '../runs/runner.ts';
import { backupLifecycle, type BackupDeps, type BackupProgress } from './backup-job.ts';
import type { BackupRun } from '../../store/backup-log.ts';
import { pingRuns } from './ping-runs.ts';

export interface JobState {
  job: JobConfig;
  nextRun: Date | null;
  last?: BackupRun;
  lastGood?: BackupRun;
  /** What this process is doing for the job right now. */
  running: BackupProgress | null;
}

/**
 * The backup runs a long-running tokobot starts (schedule, chat, CLI), through the lifecycle every
 * kind of run shares (Runner): a stopped run ends as failed, saying which copies it had stored.
 * Whatever process makes it, its runs ping the jobs' monitors when the deps bring `pings`.
 */
export class BackupRunner extends Runner<JobConfig, BackupProgress, BackupRun> {
  private readonly pinging: { settled(): Promise<void> } | null;

  constructor(private readonly deps: BackupDeps, readonly jobs: JobConfig[], logger: Pick<Logger, 'info' | 'warn' | 'error'>) {
    super(backupLifecycle(deps), jobs, logger);
    this.pinging = deps.pings ? pingRuns(this, deps.pings) : null;
  }

  /** Resolves once the pings of the runs so far are out or given up (seconds at most): for a process about to exit. */
  async pingsSent(): Promise<void> {
    await this.pinging?.settled();
  }

  async states(nextRun: (jobId: string) => Date | null): Promise<JobState[]> {
    const latest = await this.deps.log.latest(this.jobs.map((j) => j.id));
    return this.jobs.map((job) => ({ job, nextRun: nextRun(job.id), ...latest.get(job.id), running: this.progress(job.id) }));
  }
}
