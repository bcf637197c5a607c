import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPlainDigest } from '../../src/bot/digest-plain.ts';
import type { Digest } from '../../src/pipeline/reports/digest.ts';

/** The plain report (text only, until the renderer with chart and PDF is wired): every fact in both languages. */
const digest: Digest = {
  period: 'week', from: new Date('2026-11-22T17:00:00Z'), to: new Date('2026-11-29T17:00:00Z'), timeZone: 'Asia/Jakarta', stores: null,
  subjects: [
    { kind: 'store', id: 'pusat', name: 'Toko Pusat', store: 'pusat', runs: 28, failures: 4, lastError: 'x', lastGoodAt: new Date('2026-11-29T10:00:00Z'), lastBytes: 2 * 1048576, points: [], restoreCheck: null },
    { kind: 'job', id: 'cabang1/ipos', name: 'ipos', store: 'cabang1', runs: 7, failures: 0, lastError: null, lastGoodAt: null, lastBytes: null, points: [], restoreCheck: { checked: 6, mismatches: 1 } },
  ],
  openAlerts: [{ key: 'disk', kind: 'disk-low', severity: 'critical', subject: '/srv/tokobot', params: {}, openedAt: new Date(), lastSentAt: null, mutedUntil: null }],
  disks: [{ where: 'local', path: '/srv/tokobot', freeBytes: 3 * 1048576, minFreeBytes: 1 }, { where: { store: 'cabang1' }, path: 'D:\\backup', freeBytes: 512, minFreeBytes: 1 }],
  generatedAt: new Date(),
};

test('the plain report: period, each subject\'s counts, restore checks, open alerts and disks, in Indonesian and English', async () => {
  const id = await renderPlainDigest(digest, 'id');
  assert.deepEqual([id.severity, id.title, id.files], ['warning', 'Laporan mingguan', undefined]);
  assert.deepEqual(id.lines, [
    '23 Nov – 29 Nov',
    '✗ Toko Pusat: 28 run, 4 gagal; terakhir berhasil 29 Nov 2026 17:00 WIB (2,0 MB)',
    '✓ cabang1/ipos: 7 run, 0 gagal, cek restore 6, berbeda 1; belum pernah berhasil',
    '', 'Peringatan terbuka: 1', '- /srv/tokobot (disk-low)',
    '', 'Ruang disk:', '- kantor pusat /srv/tokobot: 3,0 MB bebas', '- cabang1 D:\\backup: 512 B bebas',
  ]);
  const en = await renderPlainDigest({ ...digest, period: 'day', openAlerts: [], subjects: digest.subjects.slice(1) }, 'en');
  assert.deepEqual([en.severity, en.title, en.lines[1]], ['info', 'Daily digest', '✓ cabang1/ipos: 7 runs, 0 failed, restore checks 6, differ 1; never succeeded']);
});
