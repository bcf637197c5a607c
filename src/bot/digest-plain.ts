import { formatDay, formatTime } from '../i18n/format-time.ts';
import { size } from '../i18n/format-number.ts';
import type { Lang } from '../i18n/lang.ts';
import type { Message } from '../message.ts';
import type { Digest, DigestSubject } from '../pipeline/reports/digest.ts';

/** The words of the plain report, in both languages. */
const WORDS = {
  day: { id: 'Ringkasan harian', en: 'Daily digest' },
  week: { id: 'Laporan mingguan', en: 'Weekly report' },
  runs: { id: 'run', en: 'runs' },
  failed: { id: 'gagal', en: 'failed' },
  lastGood: { id: 'terakhir berhasil', en: 'last good' },
  never: { id: 'belum pernah berhasil', en: 'never succeeded' },
  alerts: { id: 'Peringatan terbuka', en: 'Open alerts' },
  disks: { id: 'Ruang disk', en: 'Disk space' },
  free: { id: 'bebas', en: 'free' },
  restore: { id: 'cek restore', en: 'restore checks' },
  differ: { id: 'berbeda', en: 'differ' },
  here: { id: 'kantor pusat', en: 'head office' },
} as const satisfies Record<string, Record<Lang, string>>;

function subjectLine(s: DigestSubject, d: Digest, lang: Lang): string {
  const w = (k: keyof typeof WORDS) => WORDS[k][lang];
  const good = s.lastGoodAt ? `${w('lastGood')} ${formatTime(s.lastGoodAt, d.timeZone, lang)}${s.lastBytes !== null ? ` (${size(s.lastBytes, lang)})` : ''}` : w('never');
  const check = s.restoreCheck ? `, ${w('restore')} ${s.restoreCheck.checked}, ${w('differ')} ${s.restoreCheck.mismatches}` : '';
  const where = s.kind === 'job' && s.store ? `${s.store}/` : '';
  return `${s.failures ? '✗' : '✓'} ${where}${s.name}: ${s.runs} ${w('runs')}, ${s.failures} ${w('failed')}${check}; ${good}`;
}

/**
 * A report as plain lines, without chart or PDF: what is sent until the report renderer with its
 * files is wired in (src/main/reports.ts), and a readable fallback of the same facts.
 */
export async function renderPlainDigest(d: Digest, lang: Lang): Promise<Message> {
  const w = (k: keyof typeof WORDS) => WORDS[k][lang];
  const last = new Date(d.to.getTime() - 1);
  const lines = [`${formatDay(d.from, d.timeZone, lang)} – ${formatDay(last, d.timeZone, lang)}`, ...d.subjects.map((s) => subjectLine(s, d, lang))];
  if (d.openAlerts.length) lines.push('', `${w('alerts')}: ${d.openAlerts.length}`, ...d.openAlerts.map((a) => `- ${a.subject} (${a.kind})`));
  if (d.disks.length) {
    lines.push('', `${w('disks')}:`, ...d.disks.map((x) => `- ${x.where === 'local' ? w('here') : x.where.store} ${x.path}: ${size(x.freeBytes, lang)} ${w('free')}`));
  }
  const failing = d.subjects.some((s) => s.failures) || d.openAlerts.length > 0;
  return { severity: failing ? 'warning' : 'info', title: w(d.period), lines };
}
