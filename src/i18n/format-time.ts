import type { Lang } from './lang.ts';
import { zoneClock } from './zone-clock.ts';

const MONTHS: Record<Lang, readonly string[]> = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/** Indonesia's zones as its people name them (Pontianak keeps WIB; Ujung_Pandang is Makassar's old name). */
const INDONESIAN_ZONES: Record<string, string> = {
  'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Ujung_Pandang': 'WITA', 'Asia/Jayapura': 'WIT',
};

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);


/** The zone's name for a reader: WIB, WITA, WIT; UTC; anything else as its offset then (UTC+8, UTC-3:30). */
function zoneLabel(zone: string, offsetMinutes: number): string {
  const known = INDONESIAN_ZONES[zone] ?? (UTC_NAMES.has(zone) ? 'UTC' : undefined);
  if (known) return known;
  if (offsetMinutes === 0) return 'UTC';
  const abs = Math.abs(offsetMinutes);
  return `UTC${offsetMinutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
}

/** The wall clock in `zone`; a zone this Node does not know (read back from storage, say) gives UTC's, named so, rather than failing. */
function clockIn(date: Date, zone: string) {
  try {
    return { c: zoneClock(date, zone), shownZone: zone };
  } catch {
    return { c: zoneClock(date, 'UTC'), shownZone: 'UTC' };
  }
}

/**
 * A moment as a person in `zone` reads it, to the minute, with the zone named:
 * "29 Nov 2026 18:04 WIB" (months in `lang`).
 */
export function formatTime(date: Date, zone: string, lang: Lang): string {
  const { c, shownZone } = clockIn(date, zone);
  const offsetMinutes = Math.round((Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute) - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${c.day} ${MONTHS[lang][c.month - 1]} ${c.year} ${two(c.hour)}:${two(c.minute)} ${zoneLabel(shownZone, offsetMinutes)}`;
}

/** The day of a moment in `zone`, short, for a chart's axis: "29 Nov". */
export function formatDay(date: Date, zone: string, lang: Lang): string {
  const { c } = clockIn(date, zone);
  return `${c.day} ${MONTHS[lang][c.month - 1]}`;
}

/** An instant written into a text as ISO (UTC, "2026-11-29T11:04:00.000Z"), as stored texts carry them. */
const INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z\b/g;

/** `text` with every ISO instant in it shown as a person in `zone` reads it (formatTime). */
export function localTimes(text: string, zone: string, lang: Lang): string {
  return text.replace(INSTANT, (iso) => formatTime(new Date(iso), zone, lang));
}
