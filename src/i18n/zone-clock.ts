/**
 * One formatter per zone, made once: an Intl.DateTimeFormat takes about as long to make as a
 * hundred dates take to format with it, and the dashboard shows hundreds of times per page.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `zone` at `date` (month 1–12, hour 0–23); throws a RangeError for an unknown zone, as Intl does. */
export function zoneClock(date: Date, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const parts = f.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}
