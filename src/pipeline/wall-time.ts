import { zoneClock } from '../i18n/zone-clock.ts';

/** The offset of `zone` from UTC at `at`, in ms (Asia/Jakarta: +7 h). */
function zoneOffset(at: number, zone: string): number {
  const c = zoneClock(new Date(at), zone);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time "YYYY-MM-DD HH:MM:SS" names in `zone`, or null when the text is
 * not one. pg_dump writes its start time this way, in the local time of the machine that made the
 * dump and without a zone: the shop's computer, so the store's zone.
 */
export function wallTimeIn(text: string, zone: string): Date | null {
  // The dashboard asks this of every store's dump time at every request: the same few hundred texts.
  const key = `${zone}|${text}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    ms = instantOf(text, zone);
    if (instants.size >= MAX_INSTANTS) instants.clear();
    instants.set(key, ms);
  }
  return ms === null ? null : new Date(ms);
}

const instants = new Map<string, number | null>();
/** A few days of dump times of a few hundred stores; past it the cache starts again (it only saves work). */
const MAX_INSTANTS = 5_000;

function instantOf(text: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(asUtc) || new Date(asUtc).getUTCDate() !== day) return null;
  const first = asUtc - zoneOffset(asUtc, zone);
  return asUtc - zoneOffset(first, zone);
}
