import { number } from '../../i18n/format-number.ts';
import type { Lang, Locale } from '../../i18n/lang.ts';
import { reportText } from '../../i18n/report-text.ts';
import type { Message } from '../../message.ts';
import { alertTime, alertTitle } from '../../pipeline/alerts/alert-messages.ts';
import type { OpenAlert } from '../../pipeline/alerts/alert-types.ts';
import { shopsSection } from './digest-shops.ts';
import type { Digest, DigestSubject } from '../../pipeline/reports/digest.ts';
import { counts, diskWhere, isLow, oneLine, reportTitle, severity, space, subjectCells } from './digest-facts.ts';

/** A subject's mark: failed, did not run or differed on a restore check, or all well. */
function mark(s: DigestSubject): string {
  if (s.failures > 0) return '❌';
  return s.runs === 0 || (s.restoreCheck?.mismatches ?? 0) > 0 ? '⚠️' : '✅';
}

/** "✅ Toko Pusat (sync): 7 run, 0 gagal · terakhir baik 29 Nov 2026 18:04 WIB, 34,7 MB · rata-rata 2 m 05 s". */
export function subjectLine(s: DigestSubject, d: Digest, lang: Lang): string {
  const c = subjectCells(s, d, lang);
  const parts = [s.runs === 0 ? reportText(lang, 'noRunsInPeriod') : reportText(lang, s.runs === 1 ? 'oneRun' : 'runs', { runs: c.runs, failures: c.failures })];
  parts.push(s.lastGoodAt ? `${reportText(lang, 'lastGood', { time: c.lastGood })}${s.lastBytes === null ? '' : `, ${c.size}`}` : c.lastGood);
  if (c.duration !== '–') parts.push(reportText(lang, 'avgDuration', { duration: c.duration }));
  if (s.restoreCheck) parts.push(reportText(lang, 'restoreCheck', { checked: number(s.restoreCheck.checked, lang), mismatches: number(s.restoreCheck.mismatches, lang) }));
  return `${mark(s)} ${s.name} (${c.kind}): ${parts.join(' · ')}`;
}

/** "❗ Backup harian GAGAL (sejak 29 Nov 2026 02:00 WIB)", phrased as the alert itself is. */
export function alertLine(a: OpenAlert, d: Digest, lang: Lang): string {
  const reader: Locale = { lang, zone: d.timeZone };
  return `${a.severity === 'critical' ? '❗' : '⚠️'} ${alertTitle(a, reader)} (${reportText(lang, 'alertSince', { time: alertTime(a, a.openedAt, reader) })})`;
}

/** The digest as a chat message (text only; render-digest.ts adds the chart and the PDF). */
export function digestText(d: Digest, lang: Lang): Message {
  const lines: string[] = [];
  for (const s of d.subjects) {
    lines.push(subjectLine(s, d, lang));
    if (s.failures > 0 && s.lastError) lines.push(`   ${reportText(lang, 'lastError', { error: oneLine(s.lastError) })}`);
  }
  lines.push(d.openAlerts.length ? reportText(lang, 'alertsHeading', { n: number(d.openAlerts.length, lang) }) : reportText(lang, 'noAlerts'));
  for (const a of d.openAlerts) lines.push(alertLine(a, d, lang));
  if (d.disks.length) lines.push(reportText(lang, 'disksHeading'));
  for (const disk of d.disks) {
    const free = reportText(lang, 'diskFree', { free: space(disk.freeBytes, lang), min: space(disk.minFreeBytes, lang) });
    lines.push(`💾 ${diskWhere(disk, d, lang)} ${disk.path}: ${free}${isLow(disk) ? ` — ⚠️ ${reportText(lang, 'diskLow')}` : ''}`);
  }
  lines.push(...shopsSection(d, lang));
  return { severity: severity(d), title: `${reportTitle(d, lang)} — ${counts(d, lang)}`, lines };
}
