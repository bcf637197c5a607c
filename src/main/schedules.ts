import cron, { type ScheduledTask } from 'node-cron';
import type { App } from './app.ts';
import type { SyncRunner } from '../pipeline/sync/sync-runner.ts';
import type { BackupRunner } from '../pipeline/backup/backup-runner.ts';

export interface Schedules {
  /** Null until started (and after stop). */
  nextSync(): Date | null;
  nextBackup(jobId: string): Date | null;
  start(): void;
  stop(): Promise<void>;
}

/** Scheduled runs looked at to find a schedule's longest gap: a week of daily runs, or eight of a weekly one. */
const GAPS_SEEN = 8;

/**
 * The longest time between two runs of a cron schedule in `zone` (a weekdays-only job's is the
 * weekend's): how late its last run may be before one was missed.
 */
export function longestGapMs(schedule: string, zone: string): number {
  const task = cron.createTask(schedule, () => undefined, { timezone: zone });
  const runs = task.getNextRuns(GAPS_SEEN + 1);
  void task.destroy();
  return Math.max(0, ...runs.slice(1).map((d, i) => d.getTime() - runs[i]!.getTime()));
}

/**
 * The sync of every store (SYNC_CRON) and each backup job's own schedule, read in the shops' time
 * (STORE_TZ), not the server's clock: "0 2 * * *" is 02:00 at the shop on a UTC server too. Made
 * stopped, started by `start()`.
 */
export function createSchedules(app: Pick<App, 'config' | 'logger'>, syncRunner: SyncRunner, backupRunner: BackupRunner): Schedules {
  const timezone = app.config.locale.zone;
  const sync = cron.createTask(app.config.sync.cron, async () => { await syncRunner.runAll('schedule'); }, { noOverlap: true, name: 'sync', timezone });
  const jobTasks = new Map<string, ScheduledTask>();
  for (const job of app.config.jobs) {
    if (!job.schedule) continue;
    jobTasks.set(job.id, cron.createTask(job.schedule, async () => {
      await backupRunner.run(job, 'schedule').catch((err: Error) => app.logger.warn({ job: job.id, err }, 'scheduled backup did not start'));
    }, { noOverlap: true, name: `backup:${job.id}`, timezone }));
  }
  return {
    nextSync: () => sync.getNextRun(),
    nextBackup: (jobId) => jobTasks.get(jobId)?.getNextRun() ?? null,
    start() {
      sync.start();
      for (const t of jobTasks.values()) t.start();
    },
    async stop() {
      await sync.stop();
      for (const t of jobTasks.values()) await t.stop();
    },
  };
}
