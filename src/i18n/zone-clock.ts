/**
 * The wall clock of a zone, fast: the dashboard shows hundreds of times per page, and asking Intl
 * for each (formatToParts) was most of a 200-store overview's CPU (npm run bench:web). A zone's
 * offset from UTC is asked of Intl once per zone and quarter of an hour (zones change offset only
 * at quarter-hour instants), then the wall clock is plain arithmetic.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const QUARTER_HOUR = 900_000;
/** Enough quarters for a year of times in a few zones; past it the cache starts again (it only saves work). */
const MAX_OFFSETS = 50_000;

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The offset of `zone` from UTC at `ms`, in ms (Asia/Jakarta: +7 h). */
function offsetAt(ms: number, zone: string): number {
  const key = `${zone}|${Math.floor(ms / QUARTER_HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = Math.floor(ms / 1000) * 1000;
    const parts = formatter(zone).formatToParts(new Date(at));
    const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    offset = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - at;
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The wall clock of `zone` at `date` (month 1–12, hour 0–23); throws a RangeError for an unknown zone, as Intl does. */
export function zoneClock(date: Date, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const wall = new Date(date.getTime() + offsetAt(date.getTime(), zone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() };
}
