import cron from 'node-cron';
import type { App } from './app.ts';

/**
 * When the schedules come next, for status replies and the dashboard. The workers fire them
 * (the job queue's cron, once across every process: worker.ts); this only reads the same patterns.
 */
export interface Schedules {
  nextSync(store: { schedule: string; timeZone?: string }): Date | null;
  nextBackup(jobId: string): Date | null;
}

/** Scheduled runs looked at to find a schedule's longest gap: a week of daily runs, or eight of a weekly one. */
const GAPS_SEEN = 8;

function nextRuns(schedule: string, zone: string, count: number): Date[] {
  const task = cron.createTask(schedule, () => undefined, { timezone: zone });
  const runs = task.getNextRuns(count);
  void task.destroy();
  return runs;
}

/**
 * The longest time between two runs of a cron schedule in `zone` (a weekdays-only job's is the
 * weekend's): how late its last run may be before one was missed.
 */
export function longestGapMs(schedule: string, zone: string): number {
  const runs = nextRuns(schedule, zone, GAPS_SEEN + 1);
  return Math.max(0, ...runs.slice(1).map((d, i) => d.getTime() - runs[i]!.getTime()));
}

/** Each store's sync schedule (in its zone) and each backup job's (in STORE_TZ): "0 2 * * *" is 02:00 at the shop on a UTC server too. */
export function createSchedules(app: { config: Pick<App['config'], 'locale' | 'jobs'> }): Schedules {
  const zone = app.config.locale.zone;
  const schedules = new Map(app.config.jobs.flatMap((j) => (j.schedule ? [[j.id, j.schedule] as const] : [])));
  return {
    nextSync: (store) => nextRuns(store.schedule, store.timeZone ?? zone, 1)[0] ?? null,
    nextBackup: (jobId) => {
      const schedule = schedules.get(jobId);
      return schedule ? nextRuns(schedule, zone, 1)[0] ?? null : null;
    },
  };
}
