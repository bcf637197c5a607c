import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEmail } from '../../src/bot/email/render-email.ts';
import { renderDigest } from '../../src/bot/report/render-digest.ts';
import { weekDigest } from './report/digest-fixture.ts';
import { digestMessage, openMessage } from '../../src/pipeline/alerts/alert-messages.ts';
import type { OpenAlert } from '../../src/pipeline/alerts/alert-types.ts';

const alert = (key: string, subject: string): OpenAlert => ({
  key, kind: 'sync-failed', severity: 'critical', subject, params: { stage: 'restore', error: 'disk <full>' },
  openedAt: new Date('2026-11-30T01:00:00Z'), lastSentAt: null, mutedUntil: null,
});

test('an alert: the severity and title in the subject, in each language; HTML escaped, the text part as written', () => {
  const id = renderEmail(openMessage(alert('sync:pusat', 'Toko <Pusat> & Co'), { lang: 'id', zone: 'Asia/Jakarta' }), 'id');
  assert.equal(id.subject, '[PENTING] tokobot: Sync Toko <Pusat> & Co gagal');
  assert.match(id.text, /^❗ Sync Toko <Pusat> & Co gagal\nTahap restore: disk <full>\n/);
  assert.match(id.html, /<h2[^>]*>❗ Sync Toko &lt;Pusat&gt; &amp; Co gagal<\/h2>/);
  assert.match(id.html, /<p[^>]*>Tahap restore: disk &lt;full&gt;<\/p>/);
  assert.match(id.html, /<html lang="id">/);
  const en = renderEmail(openMessage(alert('sync:pusat', 'Pusat'), { lang: 'en', zone: 'Asia/Jakarta' }), 'en');
  assert.equal(en.subject, '[CRITICAL] tokobot: Sync of Pusat failed');
});

test('a digest: its count in the subject; a title over several lines stays one subject line; no title: the first line', () => {
  const items = ['a', 'b', 'c'].map((s) => ({ alert: alert(`sync:${s}`, s), event: 'open' as const }));
  assert.equal(renderEmail(digestMessage(items, { lang: 'id', zone: 'Asia/Jakarta' }), 'id').subject, '[PENTING] tokobot: 3 kabar peringatan');
  assert.equal(renderEmail(digestMessage(items, { lang: 'en', zone: 'Asia/Jakarta' }), 'en').subject, '[CRITICAL] tokobot: 3 alert updates');
  assert.equal(renderEmail({ severity: 'warning', title: 'Dua\nbaris', lines: [] }, 'id').subject, '[Peringatan] tokobot: Dua baris');
  const plain = renderEmail({ severity: 'info', lines: ['Saluran ini berfungsi.'] }, 'en');
  assert.deepEqual([plain.subject, plain.text], ['[Info] tokobot: Saluran ini berfungsi.', 'Saluran ini berfungsi.']);
});

test('a weekly report by e-mail: the report\'s tables as the HTML, its chart shown inline by content id, the PDF attached, the text part as in chat', async () => {
  const message = await renderDigest(weekDigest(), 'id');
  const mail = renderEmail(message, 'id');
  assert.match(mail.subject, /^\[PENTING\] tokobot: Laporan mingguan 23–29 Nov 2026 — 3 gagal dari 35/);
  const chart = mail.attachments.find((a) => a.contentType === 'image/png');
  assert.equal(chart?.cid, 'laporan-mingguan-2026-11-23.png');
  assert.ok(mail.html.includes(`<img src="cid:${chart?.cid}"`), 'the chart is shown where the report puts it');
  assert.match(mail.html, /<table[^>]*>/);
  assert.ok(mail.html.includes('Cabang &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co') && !mail.html.includes('<script>'));
  assert.deepEqual(mail.attachments.map((a) => [a.filename, a.cid ?? null]), [['laporan-mingguan-2026-11-23.png', 'laporan-mingguan-2026-11-23.png'], ['laporan-mingguan-2026-11-23.pdf', null]]);
  assert.equal(mail.text, [`❗ ${message.title}`, ...message.lines].join('\n'));
});
