import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZxingBarcodeReader } from '../../src/adapters/barcode/barcode-reader.ts';
import { WhatsAppMessenger } from '../../src/adapters/whatsapp/whatsapp-messenger.ts';
import { answerWhatsApp } from '../../src/bot/whatsapp/whatsapp-chat.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { FakeWhatsApp, readWhatsAppText, type FakeWhatsAppClient } from '../fakes/fake-whatsapp-client.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';
import { barcodePhoto, photoWithoutBarcode } from '../helpers/barcode-photos.ts';
import { testCore } from '../helpers/bot-core.ts';
import { publishList } from '../helpers/published-list.ts';
import { until } from '../helpers/until.ts';

/**
 * Photos to the shop's WhatsApp number: the messenger passes an image message on, the chat
 * downloads it (whatsapp-web.js's downloadMedia) for an allowed number only, and the reply is the
 * price of the code on it, in WhatsApp's text.
 */
const CASHIER = '6281234500001';
const CUSTOMER = '6289900000002';
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-E-barcode-wa-${process.pid}-`));
const wa = new FakeWhatsApp();
let messenger: WhatsAppMessenger;
let client: FakeWhatsAppClient;
let pack: Awaited<ReturnType<typeof barcodePhoto>>;

before(async () => {
  pack = await barcodePhoto('pack', { labels: [{ symbology: 'ean13', data: '899886620030' }], angle: -6, blur: 1, modulePx: 4, noise: 6, light: 0.9, seed: 31 });
  const stores = createMemoryStores();
  await publishList(stores, 'main', [{ kodeitem: 'N1', namaitem: 'MIE SEDAAP GORENG', hargajual: '3100', barcode: pack.codes[0] as string }], dir);
  const { core } = testCore({ search: new PriceSearch(stores.priceLists), barcodes: new ZxingBarcodeReader(), rateLimitPerMinute: 100 });
  const silent = () => undefined;
  messenger = new WhatsAppMessenger({ createClient: wa.createClient, logger: { debug: silent, info: silent, warn: silent, error: silent } });
  messenger.onMessage((from, text, message) => answerWhatsApp(core, [CASHIER], from, text, message));
  await messenger.start();
  client = wa.latest;
  client.ready();
});

after(async () => {
  await messenger?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const to = (number: string) => client.sent.filter((m) => m.chatId === `${number}@c.us`).map((m) => readWhatsAppText(m.text).text);

test('an allowed number sends a photo of a pack and gets its price', async () => {
  client.photo(`${CASHIER}@c.us`, pack.image, { caption: 'berapa?' });
  await until('the reply', () => to(CASHIER).length > 0, 30_000);
  assert.equal(to(CASHIER)[0], `Toko Utama\nBarcode terbaca: ${pack.codes[0]} (EAN-13)\nMIE SEDAAP GORENG — PCS Rp 3.100\nPilihan: 1. MIE SEDAAP GORENG`);
  assert.equal(client.downloads, 1);
});

test('a photo with no barcode gets the hint; a sticker is not answered', async () => {
  client.photo(`${CASHIER}@c.us`, await photoWithoutBarcode(32), { type: 'sticker', mimetype: 'image/webp' });
  client.photo(`${CASHIER}@c.us`, await photoWithoutBarcode(33));
  await until('the hint', () => to(CASHIER).length > 1, 30_000);
  assert.deepEqual(to(CASHIER).slice(1), ['⚠️ Barcode tidak terbaca. Foto lebih dekat, tajam, dan di tempat terang.']);
  assert.equal(client.downloads, 2, 'the sticker was not downloaded');
});

test('a number that is not allowed gets no answer, and its photo is not downloaded', async () => {
  const downloads = client.downloads;
  client.photo(`${CUSTOMER}@c.us`, pack.image);
  client.message({ from: `${CASHIER}@c.us`, body: 'makasih' });
  // The cashier's text is answered after the customer's photo was handled (or dropped).
  await until('the cashier\'s answer', () => to(CASHIER).length > 2, 10_000);
  assert.deepEqual(to(CUSTOMER), []);
  assert.equal(client.downloads, downloads);
});
