import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestText } from '../../../src/bot/report/digest-text.ts';
import { fileStem, periodLabel, severity } from '../../../src/bot/report/digest-facts.ts';
import type { Digest } from '../../../src/pipeline/reports/digest.ts';
import { UNSAFE_NAME, weekDigest } from './digest-fixture.ts';

const line = (lines: string[], start: string) => {
  const found = lines.find((l) => l.includes(start));
  assert.ok(found, `no line with ${start} in:\n${lines.join('\n')}`);
  return found;
};

test('Indonesian: the counts in the title, each subject\'s runs, failures, last good backup, size and duration in Indonesian numbers', () => {
  const m = digestText(weekDigest(), 'id');
  assert.equal(m.title, 'Laporan mingguan 23–29 Nov 2026 — 3 gagal dari 35, 1 peringatan terbuka');
  assert.equal(m.severity, 'error');
  assert.equal(line(m.lines, 'Toko Pusat'), '✅ Toko Pusat (sync): 7 run, 0 gagal · terakhir baik 29 Nov 2026 09:00 WIB, 40,0 MB · rata-rata 2 m 08 s');
  assert.equal(line(m.lines, 'harian (backup)'), '❌ harian (backup): 14 run, 2 gagal · terakhir baik 29 Nov 2026 07:00 WIB, 1.200,0 MB · rata-rata 10 m 03 s · cek restore 12×, 0 beda');
  assert.match(line(m.lines, 'kasir'), /^⚠️ kasir \(backup\): 7 run, 0 gagal .* 800,0 kB .* cek restore 7×, 1 beda$/);
  // The newest error, on one line under its subject.
  const i = m.lines.findIndex((l) => l.startsWith(`❌ ${UNSAFE_NAME}`));
  assert.equal(m.lines[i + 1], '   Kesalahan terakhir: The backup file is truncated (gzip: unexpected end)');
});

test('Indonesian: open alerts as the alerts phrase them, in the store\'s zone; disks with free space, the one under its minimum marked', () => {
  const m = digestText(weekDigest(), 'id');
  assert.ok(m.lines.includes('Peringatan terbuka (1):'));
  assert.ok(m.lines.includes('❗ Backup harian GAGAL (sejak 28 Nov 2026 19:00 WIB)'));
  assert.equal(line(m.lines, '/var/lib/tokobot'), '💾 server tokobot /var/lib/tokobot: sisa 12,5 GB (minimal 5,0 GB)');
  assert.equal(line(m.lines, 'D:\\Backup'), `💾 toko ${UNSAFE_NAME} D:\\Backup: sisa 800,0 MB (minimal 2,0 GB) — ⚠️ DI BAWAH MINIMUM`);
});

test('English: the same figures in English numbers', () => {
  const m = digestText(weekDigest(), 'en');
  assert.equal(m.title, 'Weekly report 23–29 Nov 2026 — 3 failed of 35, alerts open: 1');
  assert.match(line(m.lines, 'harian (backup)'), /14 runs, 2 failed · last good 29 Nov 2026 07:00 WIB, 1,200\.0 MB · average 10 m 03 s · restore check 12×, 0 differing$/);
  assert.ok(m.lines.includes('❗ Backup harian FAILED (since 28 Nov 2026 19:00 WIB)'));
  assert.match(line(m.lines, 'D:\\Backup'), /800\.0 MB free \(minimum 2\.0 GB\) — ⚠️ BELOW THE MINIMUM$/);
});

test('a name from config stays plain text (each channel escapes it), never cut or changed', () => {
  const m = digestText(weekDigest(), 'id');
  assert.ok(m.lines.some((l) => l.startsWith(`❌ ${UNSAFE_NAME} (sync): 7 run, 1 gagal`)));
});

const dayDigest = (over: Partial<Digest> = {}): Digest => {
  const w = weekDigest();
  const from = new Date('2026-11-28T17:00:00Z');
  const subjects = w.subjects.map((s) => {
    const points = s.points.filter((p) => p.at >= from);
    return { ...s, points, runs: points.length, failures: points.filter((p) => !p.ok).length };
  });
  return { ...w, period: 'day', from, to: new Date('2026-11-29T17:00:00Z'), subjects, ...over };
};

test('a daily digest: its day in the title, counts of that day only', () => {
  const m = digestText(dayDigest(), 'id');
  assert.equal(m.title, 'Laporan harian 29 Nov 2026 — 1 gagal dari 5, 1 peringatan terbuka');
  assert.equal(fileStem(dayDigest(), 'id'), 'laporan-harian-2026-11-29');
  assert.equal(fileStem(weekDigest(), 'en'), 'report-weekly-2026-11-23');
});

test('periods across a month or a year name both ends; the days are the store\'s', () => {
  const week = (fromIso: string, timeZone = 'Asia/Jakarta'): Digest => ({ ...weekDigest(), from: new Date(fromIso), to: new Date(Date.parse(fromIso) + 7 * 86_400_000), timeZone });
  assert.equal(periodLabel(week('2026-11-29T17:00:00Z'), 'id'), '30 Nov – 6 Des 2026');
  assert.equal(periodLabel(week('2026-12-27T17:00:00Z'), 'en'), '28 Dec 2026 – 3 Jan 2027');
  // The same instants: in Jayapura (UTC+9) Monday 00:00 to Sunday; in UTC Sunday 15:00 to Sunday 14:59.
  assert.equal(periodLabel(week('2026-11-22T15:00:00Z', 'Asia/Jayapura'), 'id'), '23–29 Nov 2026');
  assert.equal(periodLabel(week('2026-11-22T15:00:00Z', 'UTC'), 'id'), '22–29 Nov 2026');
});

test('severity: error for failures or a critical alert, warning for a warning, a low disk or a subject that did not run, else info', () => {
  const calm = (): Digest => {
    const d = dayDigest();
    return { ...d, subjects: d.subjects.map((s) => ({ ...s, failures: 0, points: s.points.map((p) => ({ ...p, ok: true })), restoreCheck: null })), openAlerts: [], disks: [d.disks[0]!] };
  };
  assert.equal(severity(calm()), 'info');
  assert.equal(digestText(calm(), 'id').title, 'Laporan harian 29 Nov 2026 — semua 5 berhasil');
  assert.equal(severity({ ...calm(), disks: weekDigest().disks }), 'warning');
  assert.equal(severity({ ...calm(), openAlerts: [{ ...weekDigest().openAlerts[0]!, severity: 'warning' }] }), 'warning');
  assert.equal(severity({ ...calm(), openAlerts: weekDigest().openAlerts }), 'error');
  const idle = { ...calm(), subjects: calm().subjects.map((s, i) => (i === 0 ? { ...s, runs: 0, points: [] } : s)) };
  assert.equal(severity(idle), 'warning');
  assert.match(line(digestText(idle, 'id').lines, 'Toko Pusat'), /^⚠️ Toko Pusat \(sync\): tidak ada run dalam periode ini · terakhir baik/);
  const none = { ...calm(), subjects: [] };
  assert.equal(digestText(none, 'en').title, 'Daily report 29 Nov 2026 — no runs');
});
