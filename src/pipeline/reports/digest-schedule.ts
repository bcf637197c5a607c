import type { DigestPeriod } from './digest.ts';

/** When a recipient gets their reports, in the store's zone: each daily at a time, each weekly on a day at a time; null: not at all. */
export interface DigestSchedule {
  daily: { hour: number; minute: number } | null;
  weekly: { day: Weekday; hour: number; minute: number } | null;
}

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Everyone's default: the day's digest at 07:00, before the shop opens, and the week's report on Monday at 07:00. */
export const DEFAULT_DIGEST: DigestSchedule = { daily: { hour: 7, minute: 0 }, weekly: { day: 'mon', hour: 7, minute: 0 } };

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "07:00" as hour and minute, or null when it is not a time of day. */
export function parseDailyTime(text: string): { hour: number; minute: number } | null {
  const m = TIME.exec(text.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** "mon 07:00" as weekday, hour and minute, or null. */
export function parseWeeklyTime(text: string): { day: Weekday; hour: number; minute: number } | null {
  const [day, time, ...rest] = text.trim().toLowerCase().split(/\s+/);
  const at = time !== undefined && !rest.length ? parseDailyTime(time) : null;
  return at && WEEKDAYS.includes(day as Weekday) ? { day: day as Weekday, ...at } : null;
}

/** One firing of the digest task: a cron pattern (read in the store zone) and the period its recipients get. */
export interface DigestFiring {
  period: DigestPeriod;
  /** Five cron fields, e.g. "0 7 * * 1". */
  cron: string;
}

/** The cron pattern a recipient's daily or weekly report fires at. */
export function firingOf(period: DigestPeriod, s: DigestSchedule): DigestFiring | null {
  if (period === 'day') return s.daily && { period, cron: `${s.daily.minute} ${s.daily.hour} * * *` };
  return s.weekly && { period, cron: `${s.weekly.minute} ${s.weekly.hour} * * ${WEEKDAYS.indexOf(s.weekly.day)}` };
}

/** Each distinct firing among the recipients' schedules, once (two owners at 07:00 share one). */
export function distinctFirings(schedules: DigestSchedule[]): DigestFiring[] {
  const all = new Map<string, DigestFiring>();
  for (const s of schedules) {
    for (const period of ['day', 'week'] as const) {
      const f = firingOf(period, s);
      if (f) all.set(`${f.period} ${f.cron}`, f);
    }
  }
  return [...all.values()];
}
