import { parseCronItems, type ParsedCronItem, type TimestampDigest } from 'graphile-worker';
import { zoneClock } from '../../i18n/zone-clock.ts';
import { numericCron } from '../../config/cron-text.ts';

/**
 * graphile-worker reads cron patterns in UTC; tokobot's are the shops' wall clock (STORE_TZ or a
 * store's own zone): "0 2 * * *" is 02:00 WIB. The digest it hands the matcher (UTC fields, no
 * year) is turned back into its instant, and the pattern is matched against that instant's wall clock in `zone`.
 */
function wallDigest(digest: TimestampDigest, zone: string, now = new Date()): TimestampDigest {
  let year = now.getUTCFullYear();
  // Backfill near New Year: a December digest seen in January is last year's.
  if (digest.month === 12 && now.getUTCMonth() === 0) year -= 1;
  const wall = zoneClock(new Date(Date.UTC(year, digest.month - 1, digest.date, digest.hour, digest.min)), zone);
  const dow = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
  return { min: wall.minute, hour: wall.hour, date: wall.day, month: wall.month, dow };
}

export interface ZoneCronItem {
  /** Unique and stable across restarts: the engine remembers when it last fired under it. */
  identifier: string;
  task: string;
  /** Five fields, read in `zone`. */
  schedule: string;
  zone: string;
  payload: Record<string, unknown>;
  queueName: string;
  jobKey: string;
  maxAttempts: number;
}

/** The engine's cron items for tokobot's schedules; a tick missed while no worker ran is not backfilled (the next one comes). */
export function zoneCronItems(items: ZoneCronItem[]): ParsedCronItem[] {
  const parsed = parseCronItems(items.map((i) => ({
    task: i.task, match: numericCron(i.schedule), identifier: i.identifier, payload: i.payload,
    options: { backfillPeriod: 0, queueName: i.queueName, jobKey: i.jobKey, jobKeyMode: 'replace' as const, maxAttempts: i.maxAttempts },
  })));
  return parsed.map((p, n) => {
    const utcMatch = p.match;
    const zone = items[n]!.zone;
    return { ...p, match: (digest: TimestampDigest) => utcMatch(wallDigest(digest, zone)) };
  });
}
