import { decimal, number, size } from '../../i18n/format-number.ts';
import { formatTime } from '../../i18n/format-time.ts';
import type { Lang } from '../../i18n/lang.ts';
import { reportText } from '../../i18n/report-text.ts';
import { zoneClock } from '../../i18n/zone-clock.ts';
import type { Message } from '../../message.ts';
import type { Digest, DigestDisk, DigestSubject } from '../../pipeline/reports/digest.ts';
import { duration } from '../../web/durations.ts';

/**
 * What every rendering of a digest (chat text, chart, PDF, HTML) says the same way: the period's
 * name, the counts, each subject's and disk's figures as the reader's language writes them.
 */

const MONTHS: Record<Lang, readonly string[]> = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/** The day a moment falls on in `zone` (a zone Node does not know falls back to UTC, as formatTime does). */
function dayIn(at: Date, zone: string) {
  try {
    return zoneClock(at, zone);
  } catch {
    return zoneClock(at, 'UTC');
  }
}

/** The last moment of the period (its end is exclusive): its day is the period's last day. */
const lastMoment = (d: Digest) => new Date(Math.max(d.from.getTime(), d.to.getTime() - 1));

/** "29 Nov 2026"; a week "23–29 Nov 2026", "30 Nov – 6 Des 2026", "29 Des 2026 – 4 Jan 2027". */
export function periodLabel(d: Digest, lang: Lang): string {
  const a = dayIn(d.from, d.timeZone);
  const b = dayIn(lastMoment(d), d.timeZone);
  const m = MONTHS[lang];
  const full = (c: typeof a) => `${c.day} ${m[c.month - 1]} ${c.year}`;
  if (d.period === 'day' || (a.year === b.year && a.month === b.month && a.day === b.day)) return full(a);
  if (a.year !== b.year) return `${full(a)} – ${full(b)}`;
  if (a.month !== b.month) return `${a.day} ${m[a.month - 1]} – ${full(b)}`;
  return `${a.day}–${full(b)}`;
}

/** The title without counts: "Laporan harian 29 Nov 2026". */
export const reportTitle = (d: Digest, lang: Lang): string => reportText(lang, d.period === 'day' ? 'title_day' : 'title_week', { period: periodLabel(d, lang) });

/** The files' name without extension: "laporan-harian-2026-11-29" (the period's first day, in its zone). */
export function fileStem(d: Digest, lang: Lang): string {
  const c = dayIn(d.from, d.timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${reportText(lang, d.period === 'day' ? 'file_day' : 'file_week')}-${c.year}-${two(c.month)}-${two(c.day)}`;
}

export const totals = (d: Digest) => ({
  runs: d.subjects.reduce((n, s) => n + s.runs, 0),
  failures: d.subjects.reduce((n, s) => n + s.failures, 0),
});

export const isLow = (disk: DigestDisk): boolean => disk.freeBytes < disk.minFreeBytes;

/** "3 gagal dari 42, 1 peringatan terbuka": what a subject line or the first line says first. */
export function counts(d: Digest, lang: Lang): string {
  const { runs, failures } = totals(d);
  const parts = [
    runs === 0 ? reportText(lang, 'countsNone')
      : failures > 0 ? reportText(lang, 'countsFailed', { failures: number(failures, lang), runs: number(runs, lang) })
        : reportText(lang, 'countsAllGood', { runs: number(runs, lang) }),
  ];
  if (d.openAlerts.length) parts.push(reportText(lang, 'countsAlerts', { n: number(d.openAlerts.length, lang) }));
  return parts.join(', ');
}

/** As severe as what it reports: a failure or a critical alert is an error; a warning, a low disk, a subject that did not run or whose restore check differed is a warning. */
export function severity(d: Digest): Message['severity'] {
  if (totals(d).failures > 0 || d.openAlerts.some((a) => a.severity === 'critical')) return 'error';
  const quiet = d.subjects.some((s) => s.runs === 0 || (s.restoreCheck?.mismatches ?? 0) > 0);
  return d.openAlerts.length || d.disks.some(isLow) || quiet ? 'warning' : 'info';
}

const GB = 1_073_741_824;

/** Disk space: "12,3 GB" from a gigabyte up, else as size() writes it. */
export const space = (bytes: number, lang: Lang): string => (bytes >= GB ? `${decimal(bytes / GB, lang)} GB` : size(bytes, lang));

/** The mean duration of the period's runs that recorded one, or null. */
export function meanDurationMs(s: DigestSubject): number | null {
  const ms = s.points.map((p) => p.durationMs).filter((v): v is number => v !== null);
  return ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : null;
}

/** A subject's figures as table cells; '–' where there is nothing to show. */
export function subjectCells(s: DigestSubject, d: Digest, lang: Lang) {
  const mean = meanDurationMs(s);
  return {
    name: s.name,
    kind: reportText(lang, s.kind === 'job' ? 'kind_job' : 'kind_store'),
    runs: number(s.runs, lang),
    failures: number(s.failures, lang),
    lastGood: s.lastGoodAt ? formatTime(s.lastGoodAt, d.timeZone, lang) : reportText(lang, 'neverGood'),
    size: s.lastBytes === null ? '–' : size(s.lastBytes, lang),
    duration: mean === null ? '–' : duration(mean, lang),
    restore: s.restoreCheck ? reportText(lang, 'restoreCell', { checked: number(s.restoreCheck.checked, lang), mismatches: number(s.restoreCheck.mismatches, lang) }) : '–',
  };
}

/** Where a disk is, for a reader: the tokobot server, or the store by its name when a subject gives it. */
export function diskWhere(disk: DigestDisk, d: Digest, lang: Lang): string {
  if (disk.where === 'local') return reportText(lang, 'diskLocal');
  const id = disk.where.store;
  const name = d.subjects.find((s) => s.kind === 'store' && s.id === id)?.name ?? id;
  return reportText(lang, 'diskStore', { store: name });
}

/** The zone as people read it: "Asia/Jakarta (WIB)". */
export function zoneLabel(d: Digest, lang: Lang): string {
  const shown = formatTime(d.generatedAt, d.timeZone, lang).split(' ').at(-1);
  return shown && shown !== d.timeZone ? `${d.timeZone} (${shown})` : d.timeZone;
}

/** An error as one line of chat: no line breaks, at most `max` characters. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
