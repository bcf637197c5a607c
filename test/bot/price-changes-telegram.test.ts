import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/node';
import { startService, type Service } from '../../src/main/service.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram, type SentMessage, type TgUser } from '../fakes/fake-telegram.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { sync } from '../helpers/sync-checks.ts';

const skip = await requireLocalPg();
const STORE = `tgch${process.pid}`;
const owner: TgUser = { id: 2001, first_name: 'Bu Sri' };
const admin: TgUser = { id: 2002, first_name: 'Andi' };
const staff: TgUser = { id: 2003, first_name: 'Dewi' };
let tg: FakeTelegram;
let h: Harness;
let service: Service;

/** Rows whose price the list before had doubled, and items it did not have: what the second sync must find. */
const DOUBLED = 3;
const MISSING = 2;

before(async () => {
  if (skip) return;
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, {
    TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_OWNERS: String(owner.id), TELEGRAM_ADMINS: String(admin.id),
    TELEGRAM_STAFF: String(staff.id), TELEGRAM_RATE_LIMIT: '60', STORE_NAME: 'Toko Makmur',
  });
  await h.fake.addFile(`${h.folder}/backup.zip`, fixture.zipPath, new Date(Date.UTC(2026, 10, 22)));
  assert.equal((await sync(h)).status, 'success');
  // The list before, as if yesterday's prices had differed: the published file is what the next sync compares with.
  const { csvPath } = (await h.app.opsStores.priceLists.published(STORE))!;
  const parsed = Papa.parse<Record<string, string>>(readFileSync(csvPath!, 'utf8'), { header: true, skipEmptyLines: true });
  const codes = [...new Set(parsed.data.map((r) => r.kodeitem))];
  const gone = new Set(codes.slice(0, MISSING));
  const doubled = new Set(parsed.data.filter((r) => !gone.has(r.kodeitem) && Number(r.hargajual) > 0).slice(0, DOUBLED));
  const yesterday = parsed.data.filter((r) => !gone.has(r.kodeitem)).map((r) => (doubled.has(r) ? { ...r, hargajual: String(Number(r.hargajual) * 2) } : r));
  writeFileSync(csvPath!, Papa.unparse(yesterday, { columns: parsed.meta.fields }) + '\n');
  // A newer backup of the same shop: the real list again, published by a sync this service did not run.
  await h.fake.addFile(`${h.folder}/backup2.i5bu`, fixture.i5buPath, new Date(Date.UTC(2026, 10, 23)));
  assert.equal((await sync(h)).status, 'success');
  service = await startService(h.app, { changeNoticeMs: 100 });
  await tg.until(() => service.telegram.state().ready);
});
after(async () => {
  await service?.stop();
  await h?.close();
  await tg?.close();
});

const sheetRows = async (m: SentMessage) => (await readXlsxFile(Buffer.from(m.document?.bytes ?? [])))[0]!.data;

test('after a sync in another process, the owner gets the changes and every one of them in Excel, through the outbox; the admin and staff do not', { skip }, async () => {
  const doc = await tg.until(() => tg.messages(owner.id).find((m) => m.document));
  const text = tg.messages(owner.id).find((m) => m.text?.includes('Perubahan harga'))?.text ?? '';
  assert.match(text, new RegExp(`Perubahan: turun ${DOUBLED}, barang baru ${MISSING}\\.`));
  assert.match(text, /Semua 5 perubahan ada di file Excel/);
  assert.match(doc.document?.file_name ?? '', new RegExp(`^perubahan-harga-${STORE}-\\d{8}-1d\\.xlsx$`));
  // Through the alert outbox: delivered (and kept until Telegram takes it), once.
  const outboxRows = async () => (await h.app.ops.query('SELECT delivered_at FROM alert_outbox WHERE recipient = $1', [String(owner.id)])).rows;
  for (let i = 0; i < 100 && !(await outboxRows())[0]?.delivered_at; i++) await new Promise((r) => setTimeout(r, 100)); // marked once the send returned
  assert.ok((await outboxRows())[0]?.delivered_at);
  assert.equal((await outboxRows()).length, 1);
  const rows = await sheetRows(doc);
  assert.equal(rows.length, 1 + DOUBLED + MISSING);
  assert.ok(rows[0]!.includes('Harga pokok'));
  assert.ok(rows.slice(1).filter((r) => r[2] === 'turun').every((r) => r[12] === -0.5), 'each price halved: -50 %');
  assert.equal(tg.messages(admin.id).length, 0, 'an admin is told only after /changes on');
  assert.equal(tg.messages(staff.id).length, 0);
});

test('/perubahan in Telegram answers from the log: an admin gets the changes without cost', { skip }, async () => {
  const before = tg.messages(admin.id).length;
  tg.userSays(admin, '/perubahan 2', { id: admin.id, type: 'private' });
  const doc = await tg.until(() => tg.messages(admin.id).slice(before).find((m) => m.document));
  // Telegram sends a reply with a document as the document alone: its caption carries the counts.
  assert.match(doc.document?.caption ?? '', new RegExp(`^Perubahan harga Toko Makmur, 2 hari terakhir \\(5\\)\nPerubahan: turun ${DOUBLED}, barang baru ${MISSING}\\.(\n⚠️ Perlu dicek: .*)?$`));
  assert.doesNotMatch(doc.document?.caption ?? '', /harga pokok/, 'an admin is not told what is below cost');
  const rows = await sheetRows(doc);
  assert.equal(rows.length, 1 + DOUBLED + MISSING);
  assert.ok(!rows[0]!.includes('Harga pokok'));
  tg.userSays(staff, '/perubahan', { id: staff.id, type: 'private' });
  const refused = await tg.until(() => tg.messages(staff.id).at(-1));
  assert.match(refused.text ?? '', /hanya untuk/);
});

test('the owner\'s report of the day (the morning message, asked for now): the store\'s price changes and its low stock, the list attached in Excel', { skip }, async () => {
  const before = tg.messages(owner.id).length;
  tg.userSays(owner, '/laporan hari', { id: owner.id, type: 'private' });
  const sent = await tg.until(() => {
    const got = tg.messages(owner.id).slice(before);
    return got.filter((m) => m.document).length >= 2 && got;
  }, 60_000);
  const text = sent.find((m) => m.text?.startsWith('ℹ️') || m.text?.includes('Laporan harian'))?.text ?? '';
  assert.match(text, /Harga dan stok:/);
  assert.match(text, new RegExp(`🏷️ Toko Makmur: turun ${DOUBLED}, barang baru ${MISSING}`));
  const low = /🏷️ Toko Makmur: (\d+) barang di bawah stok minimum \((\d+) baris, (\d+) kantor\)/.exec(text);
  assert.ok(low, text);
  assert.ok(sent.some((m) => m.photo), 'the chart');
  const pdf = sent.find((m) => m.document?.file_name.endsWith('.pdf'));
  assert.equal(pdf?.document?.bytes.subarray(0, 5).toString(), '%PDF-');
  const xlsx = sent.find((m) => m.document?.file_name.startsWith(`stok-minimum-${STORE}-`));
  assert.ok(xlsx, sent.map((m) => m.document?.file_name ?? m.text?.slice(0, 30)).join(' | '));
  const sheets = await readXlsxFile(Buffer.from(xlsx.document?.bytes ?? []));
  assert.equal(sheets.length, Number(low[3]), 'a sheet per office');
  assert.equal(sheets.reduce((n, s) => n + s.data.length - 1, 0), Number(low[2]), 'every row under its minimum');
});
