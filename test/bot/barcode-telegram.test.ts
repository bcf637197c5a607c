import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Bot } from 'grammy';
import sharp from 'sharp';
import { ZxingBarcodeReader } from '../../src/adapters/barcode/barcode-reader.ts';
import { createTelegramBot } from '../../src/bot/telegram/telegram-bot.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { FakeTelegram, readTelegramHtml, type SentMessage, type TgUser } from '../fakes/fake-telegram.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';
import { expectedPriceRows, type PriceRow } from '../fixtures/expected-prices.ts';
import { generateStore } from '../fixtures/ipos-data.ts';
import { barcodePhoto, codeOf, photoWithoutBarcode, type Label } from '../helpers/barcode-photos.ts';
import { STAFF, STRANGER, testCore } from '../helpers/bot-core.ts';
import { publishList } from '../helpers/published-list.ts';

/**
 * A cashier photographs a pack and gets its price: photos and picture files sent to the real
 * grammY bot through the fake Bot API (getFile, then the file address), read by the real barcode
 * reader, answered from the fixture shop's published price list.
 */
const staff: TgUser = { id: STAFF, first_name: 'Dewi' };
const stranger: TgUser = { id: STRANGER, first_name: 'Orang' };
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-E-barcode-tg-${process.pid}-`));
let tg: FakeTelegram;
let bot: Bot;
let polling: Promise<void>;
/** Items of the fixture shop with an EAN-13 barcode: one row each. */
let items: PriceRow[];

before(async () => {
  const rows = expectedPriceRows(generateStore({ items: 80, seed: 18 }), 'main');
  const seen = new Set<string>();
  const listed = rows.filter((r) => !seen.has(`${r.kodeitem}/${r.satuan}`) && seen.add(`${r.kodeitem}/${r.satuan}`));
  const stores = createMemoryStores();
  await publishList(stores, 'main', listed.map((r) => ({ kodeitem: r.kodeitem, namaitem: r.namaitem, hargajual: r.hargajual, hargapokok: r.hargapokok,
    satuan: r.satuan, barcode: r.barcode, stok: r.stok })), dir);
  items = listed.filter((r) => /^\d{13}$/.test(r.barcode));
  const { core } = testCore({ search: new PriceSearch(stores.priceLists), barcodes: new ZxingBarcodeReader(), rateLimitPerMinute: 100 });
  tg = await FakeTelegram.start();
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  bot = createTelegramBot({ token: tg.token, apiRoot: tg.url, core, roles: new Map(), publicMode: false, ownerGroups: new Set(), logger: silent,
    onMigrate: async () => undefined, throttle: false });
  polling = bot.start();
  await tg.until(() => bot.isRunning());
});

after(async () => {
  await bot?.stop();
  await polling?.catch(() => undefined);
  await tg?.close();
  rmSync(dir, { recursive: true, force: true });
});

const label = (row: PriceRow): Label => ({ symbology: 'ean13', data: row.barcode.slice(0, 12) });
const plain = (m: SentMessage | undefined) => {
  const read = readTelegramHtml(m?.text ?? '');
  return 'text' in read ? read.text : read.error;
};

/** The next message the bot sends to `user`, after `act`. */
async function answer(user: TgUser, act: () => void): Promise<SentMessage> {
  const count = tg.messages(user.id).length;
  act();
  return tg.until(() => tg.messages(user.id).length > count && tg.messages(user.id)[count], 30_000);
}

/** A photo as Telegram sends it: a 90 px thumbnail and the full size. */
async function sizes(image: Buffer) {
  const thumb = await sharp(image).resize({ width: 90 }).jpeg().toBuffer();
  return [{ bytes: thumb, width: 90, height: 120 }, { bytes: image, width: 1200, height: 1600 }];
}

test('a cashier photographs a pack: the reply is its price, as for the barcode typed', async () => {
  const row = items[0] as PriceRow;
  const photo = await barcodePhoto('pack', { labels: [label(row)], angle: 8, blur: 1, modulePx: 4, noise: 6, light: 0.9, seed: 21 });
  assert.equal(photo.codes[0], row.barcode, 'the photo shows the item\'s own barcode');
  const sent = await sizes(photo.image);
  let fileIds: string[] = [];
  const reply = await answer(staff, () => { fileIds = tg.userSendsPhoto(staff, sent); });
  assert.deepEqual(tg.downloads, [fileIds[1]], 'the full size was read, not the thumbnail');
  const shown = plain(reply);
  assert.match(shown, new RegExp(`^Toko Utama\\nBarcode terbaca: ${row.barcode} \\(EAN-13\\)\\n`));
  assert.ok(shown.includes(row.namaitem), shown);
  assert.match(shown, /Rp \d/);
  const typed = await answer(staff, () => tg.userSays(staff, row.barcode));
  assert.equal(shown.replace(/\nBarcode terbaca: .*/, ''), plain(typed), 'the same answer as the code typed');
  assert.deepEqual(reply.reply_markup?.inline_keyboard.flat().map((b) => b.text), typed.reply_markup?.inline_keyboard.flat().map((b) => b.text));
});

test('two packs in one photo: both prices in one reply; a picture sent as a file is read too', async () => {
  const [a, b] = [items[1] as PriceRow, items[2] as PriceRow];
  const photo = await barcodePhoto('two packs', { labels: [label(a), label(b)], angle: -5, blur: 0.5, modulePx: 4, noise: 5, light: 1, seed: 22, format: 'png' });
  const reply = plain(await answer(staff, () => tg.userSendsDocument(staff, { bytes: photo.image, mime_type: 'image/png', file_name: 'rak.png' })));
  for (const row of [a, b]) {
    assert.ok(reply.includes(`Barcode terbaca: ${codeOf(label(row))} (EAN-13)`), reply);
    assert.ok(reply.includes(row.namaitem), reply);
  }
});

test('a photo with no barcode gets the hint', async () => {
  const image = await photoWithoutBarcode(23);
  assert.equal(plain(await answer(staff, () => tg.userSendsPhoto(staff, [{ bytes: image, width: 1200, height: 1600 }]))),
    '⚠️ Barcode tidak terbaca. Foto lebih dekat, tajam, dan di tempat terang.');
});

test('a 20 MB picture file is refused with the limit, without downloading it; other files are not for the bot', async () => {
  const downloads = tg.downloads.length;
  const big = Buffer.alloc(20 * 1024 * 1024, 0x55);
  big.set([0xff, 0xd8, 0xff, 0xe0]);
  const reply = plain(await answer(staff, () => tg.userSendsDocument(staff, { bytes: big, mime_type: 'image/jpeg', file_name: 'besar.jpg' })));
  assert.match(reply, /Fotonya 20,0 MB; tokobot membaca foto sampai 10,0 MB/);
  assert.equal(tg.downloads.length, downloads);
  // Updates of one chat are handled in order: the PDF's answer, if any, would come before the text's.
  tg.userSendsDocument(staff, { bytes: Buffer.from('%PDF-1.4'), mime_type: 'application/pdf', file_name: 'faktur.pdf' });
  assert.equal(plain(await answer(staff, () => tg.userSays(staff, '/lang en'))), 'Language: English.');
});

test('a stranger\'s photo is refused as their text would be, and never fetched from Telegram', async () => {
  const calls = tg.calls.filter((c) => c.method === 'getFile').length;
  const photo = await barcodePhoto('stranger', { labels: [label(items[0] as PriceRow)], angle: 0, blur: 0, modulePx: 4, noise: 4, light: 1, seed: 24 });
  assert.match(plain(await answer(stranger, () => tg.userSendsPhoto(stranger, [{ bytes: photo.image, width: 1200, height: 1600 }]))), /belum terdaftar/);
  assert.equal(tg.calls.filter((c) => c.method === 'getFile').length, calls);
});
