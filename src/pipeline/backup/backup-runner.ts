import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { JobConfig } from '../../config/load-config.ts';
import { Runner } from '../runs/runner.ts';
import { backupLifecycle, type BackupDeps, type BackupProgress } from './backup-job.ts';
import type { BackupRun } from '../../store/backup-log.ts';
import { pingRuns } from './ping-runs.ts';

/**
 * How long a stopping process waits for pings still out (a run stopped for the shutdown is a
 * failed run its monitor should hear of): with the runs' own 30 s grace it stays inside the 45 s
 * Docker gives tokobot to stop (docker/compose.yaml stop_grace_period).
 */
const PINGS_AT_SHUTDOWN_MS = 10_000;

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

  /** Stops as every Runner does, then waits a little for the pings still out (PINGS_AT_SHUTDOWN_MS). */
  override async shutdown(graceMs: number): Promise<void> {
    await super.shutdown(graceMs);
    await Promise.race([this.pingsSent(), sleep(PINGS_AT_SHUTDOWN_MS, undefined, { ref: false })]);
  }

  async states(nextRun: (jobId: string) => Date | null): Promise<JobState[]> {
    const latest = await this.deps.log.latest(this.jobs.map((j) => j.id));
    return this.jobs.map((job) => ({ job, nextRun: nextRun(job.id), ...latest.get(job.id), running: this.progress(job.id) }));
  }
}
