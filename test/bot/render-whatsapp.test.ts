import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderWhatsApp } from '../../src/bot/whatsapp/render-whatsapp.ts';
import { say, type Reply } from '../../src/bot/reply.ts';

test('title in bold, then the lines', () => {
  assert.equal(renderWhatsApp(say(['Gula 1kg: Rp 15.000', 'Beras 5kg: Rp 72.000'], 'info', 'Harga')), '*Harga*\nGula 1kg: Rp 15.000\nBeras 5kg: Rp 72.000');
});

test('severity icons as in Telegram, with or without a title', () => {
  assert.equal(renderWhatsApp(say(['Backup kemarin terlambat'], 'warning', 'Backup')), '⚠️ *Backup*\nBackup kemarin terlambat');
  assert.equal(renderWhatsApp(say(['Dropbox tidak bisa dihubungi'], 'error')), '❗ Dropbox tidak bisa dihubungi');
  assert.equal(renderWhatsApp(say(['ok'])), 'ok');
  assert.equal(renderWhatsApp(say([], 'info', 'Kosong')), '*Kosong*');
});

test('data with * _ ~ < & stays as it is', () => {
  const line = 'KOPI *SPESIAL* _ 2x~3 <b>&amp;';
  assert.equal(renderWhatsApp(say([line], 'info', 'Cari "kopi"')), `*Cari "kopi"*\n${line}`);
});

test('buttons become a last line with their texts', () => {
  const reply: Reply = {
    severity: 'info', title: 'Hasil', lines: ['3 barang'],
    buttons: [[{ text: '« Sebelumnya', data: 'p:1' }, { text: 'Berikutnya »', data: 'p:3' }], [{ text: 'Ekspor CSV', data: 'x' }]],
  };
  assert.equal(renderWhatsApp(reply), '*Hasil*\n3 barang\nPilihan: « Sebelumnya · Berikutnya » · Ekspor CSV');
  assert.equal(renderWhatsApp({ ...reply, buttons: [] }), '*Hasil*\n3 barang');
});

test('a document is shown by its caption', () => {
  const reply: Reply = { severity: 'info', lines: ['Daftar harga siap.'], document: { path: '/tmp/x.csv', filename: 'harga.csv', caption: 'harga.csv: 1.204 barang' } };
  assert.equal(renderWhatsApp(reply), 'Daftar harga siap.\nharga.csv: 1.204 barang');
});

test('long replies are cut at 4000 characters with …, keeping the choices', () => {
  const long = say(Array.from({ length: 300 }, (_, i) => `Barang nomor ${i} dengan nama panjang`), 'info', 'Semua');
  const text = renderWhatsApp(long);
  assert.equal(text.length, 4001);
  assert.ok(text.endsWith('…'));
  const withButtons = renderWhatsApp({ ...long, buttons: [[{ text: 'Lagi', data: 'm' }]] });
  assert.ok(withButtons.endsWith('…\nPilihan: Lagi'));
  assert.equal(withButtons.length, 4001);
});

test('a cut never splits an emoji', () => {
  const text = renderWhatsApp(say(['a'.repeat(3999) + '📦📦']));
  assert.equal(text, `${'a'.repeat(3999)}…`);
  assert.doesNotThrow(() => encodeURIComponent(text)); // a lone surrogate would throw
});
