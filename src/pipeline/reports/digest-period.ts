import { zoneClock } from '../../i18n/zone-clock.ts';
import type { DigestPeriod } from './digest.ts';

const DAY = 86_400_000;

/** The instant a wall-clock midnight (UTC fields of `wallMs`) happens in `zone`: its offset asked twice, so a zone that changes offset that day still lands right. */
function wallToInstant(wallMs: number, zone: string): number {
  const offsetAt = (ms: number) => {
    const w = zoneClock(new Date(ms), zone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
  };
  const guess = wallMs - offsetAt(wallMs);
  return wallMs - offsetAt(guess);
}

/**
 * What a report covers. Sent on schedule it covers whole days of the store's calendar: the
 * previous day ('day'), or the previous Monday to Sunday ('week', whatever day it is sent on). Asked
 * for (/report, tokobot report) it covers the last 24 hours or 7 days up to now: the owner asking
 * at noon wants this morning too.
 */
export function digestPeriod(period: DigestPeriod, now: Date, zone: string, onDemand: boolean): { from: Date; to: Date } {
  if (onDemand) return { from: new Date(now.getTime() - (period === 'day' ? DAY : 7 * DAY)), to: now };
  const wall = zoneClock(now, zone);
  const today = Date.UTC(wall.year, wall.month - 1, wall.day);
  if (period === 'day') return { from: new Date(wallToInstant(today - DAY, zone)), to: new Date(wallToInstant(today, zone)) };
  const sinceMonday = (new Date(today).getUTCDay() + 6) % 7;
  const monday = today - sinceMonday * DAY;
  return { from: new Date(wallToInstant(monday - 7 * DAY, zone)), to: new Date(wallToInstant(monday, zone)) };
}

/** The period's first day in the zone as YYYY-MM-DD: what names a scheduled report (its outbox key). */
export function periodDay(from: Date, zone: string): string {
  const w = zoneClock(from, zone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}
