import cron, { type ScheduledTask } from 'node-cron';
import type { BackupRun } from '../../store/backup-log.ts';
import type { AlertEngine } from './alert-engine.ts';
import type { AlertInput } from './alert-types.ts';

/** Raises or clears one alert by a condition. */
export async function setAlert(engine: Pick<AlertEngine, 'raise' | 'clear'>, on: boolean, alert: AlertInput): Promise<void> {
  if (on) await engine.raise(alert);
  else await engine.clear(alert.key);
}

/** The last time before `before` that a cron schedule fired (minute resolution, up to 35 days back). */
export function previousFire(task: Pick<ScheduledTask, 'match'>, before: Date): Date | null {
  const t = new Date(before);
  t.setSeconds(0, 0);
  for (let i = 0; i < 35 * 24 * 60; i++, t.setMinutes(t.getMinutes() - 1)) if (task.match(t)) return new Date(t);
  return null;
}

/** Runs must start within this of their schedule before they count as missed. */
const MISSED_GRACE_MS = 30 * 60_000;

/**
 * Whether a scheduled job's run that should have started (30 minutes' grace) did not: `due` is
 * the fire time looked at, null when the schedule never fired in the last 35 days. `zone`: the
 * zone the schedule is read in (undefined: the process's).
 */
export async function missedRun(schedule: string, zone: string | undefined, last: Pick<BackupRun, 'startedAt'> | undefined, now: Date): Promise<{ due: Date | null; missed: boolean }> {
  const task = cron.createTask(schedule, () => undefined, { timezone: zone });
  const due = previousFire(task, new Date(now.getTime() - MISSED_GRACE_MS));
  await task.destroy();
  return { due, missed: Boolean(due && (!last || last.startedAt.getTime() < due.getTime() - 60_000)) };
}

/** The alert of a scheduled run that did not start (`subject` the job as the head office names it). */
export function missedAlert(key: string, subject: string, due: Date | null, last: BackupRun | undefined, extra: Record<string, string | number> = {}): AlertInput {
  return { key, kind: 'backup-missed', severity: 'critical', subject,
    params: { expected: due ? due.toISOString() : '-', last: last ? last.startedAt.toISOString() : '-', ...extra } };
}

