import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FoundBarcode } from '../../src/adapters/barcode/barcode-reader.ts';
import { imageTooBig } from '../../src/adapters/barcode/barcode-reader.ts';
import type { CoreDeps } from '../../src/bot/context.ts';
import type { PriceItem } from '../../src/pipeline/search/price-search.ts';
import { GROUP, inGroup, inPrivate, OWNER, say, STAFF, STRANGER, testCore, text } from '../helpers/bot-core.ts';

const PHOTO = Buffer.from('a photo');

const itemOf = (kodeitem: string, namaitem: string, barcode: string, hargajual: string): PriceItem => ({
  kodeitem, namaitem, jenis: null, merek: null, sistemhargajual: 'O', stok: '3',
  entries: [{ satuan: 'PCS', konversi: '1', barcode, level: null, jmlsampai: null, hargapokok: '2000', hargajual }],
});

/** A list of three items, searched by exact barcode only; and what was searched. */
function shop(codes: FoundBarcode[]) {
  const items = [itemOf('N1', 'MIE SEDAAP GORENG', '8998866200301', '3100'), itemOf('K1', 'KOPI KAPAL API 165G', '8991002101104', '14500'),
    itemOf('U1', 'HERSHEYS KISSES', '0034000002405', '45000'), itemOf('E1', 'PERMEN MINT', '012345000065', '2500')];
  const searched: string[] = [];
  const read: Buffer[] = [];
  const search: CoreDeps['search'] = {
    search: async (store, query) => {
      searched.push(query);
      const hit = items.filter((i) => i.entries.some((e) => e.barcode === query));
      return { store, query, listed: true, exact: hit.length > 0, total: hit.length, items: hit };
    },
    suggest: async () => [], item: async (_store, code) => items.find((i) => i.kodeitem === code) ?? null,
  };
  const { core, told } = testCore({ search, barcodes: { read: async (image) => { read.push(image); return codes; } }, rateLimitPerMinute: 100 });
  let fetches = 0;
  const photo = (userId: number, chat = inPrivate(userId)) => core.photo({ userId, name: `user ${userId}`, chat, image: async () => { fetches++; return PHOTO; } });
  return { core, told, searched, read, photo, fetches: () => fetches };
}

test('a photo of a barcode is answered as the code typed, under a line naming the code', async () => {
  const s = shop([{ text: '8998866200301', format: 'EAN-13' }]);
  const reply = await s.photo(STAFF);
  assert.equal(text(reply), 'Barcode terbaca: 8998866200301 (EAN-13)\nMIE SEDAAP GORENG — PCS Rp 3.100');
  assert.equal(reply?.title, 'Toko Utama');
  assert.equal(reply?.severity, 'info');
  assert.deepEqual(s.read, [PHOTO]);
  const typed = await say(s.core, STAFF, '8998866200301');
  assert.deepEqual(reply?.lines.slice(1), typed?.lines, 'the same answer as the code typed');
  assert.equal(reply?.buttons?.length, 1, 'the item\'s card button, as for a typed code');
});

test('several codes on one photo: each answered, in one reply; a code not in the list says so', async () => {
  const s = shop([{ text: '8991002101104', format: 'EAN-13' }, { text: 'TK-000999', format: 'Code 128' }, { text: '8998866200301', format: 'EAN-13' }]);
  const reply = await s.photo(STAFF);
  assert.deepEqual(reply?.lines, [
    'Barcode terbaca: 8991002101104 (EAN-13)', 'KOPI KAPAL API 165G — PCS Rp 14.500',
    'Barcode terbaca: TK-000999 (Code 128)', 'Tidak ada barang yang cocok dengan "TK-000999".',
    'Barcode terbaca: 8998866200301 (EAN-13)', 'MIE SEDAAP GORENG — PCS Rp 3.100',
  ]);
  assert.equal(reply?.severity, 'warning', 'one code found nothing');
  assert.equal(reply?.buttons?.length, 2, 'a card button per item found');
});

test('a code the list keeps in another form is still found: a UPC-A as its EAN-13, a UPC-E as its UPC-A', async () => {
  const s = shop([{ text: '034000002405', format: 'UPC-A', alsoWritten: ['0034000002405'] },
    { text: '01234565', format: 'UPC-E', alsoWritten: ['012345000065', '0012345000065'] }]);
  assert.equal(text(await s.photo(STAFF)), ['Barcode terbaca: 034000002405 (UPC-A)', 'HERSHEYS KISSES — PCS Rp 45.000',
    'Barcode terbaca: 01234565 (UPC-E)', 'PERMEN MINT — PCS Rp 2.500'].join('\n'));
  assert.deepEqual(s.searched, ['034000002405', '0034000002405', '0034000002405', '01234565', '012345000065', '012345000065']);
});

test('no barcode read: the hint to take a closer, sharper photo in good light, in the person\'s language', async () => {
  const s = shop([]);
  const reply = await s.photo(STAFF);
  assert.equal(text(reply), 'Barcode tidak terbaca. Foto lebih dekat, tajam, dan di tempat terang.');
  assert.equal(reply?.severity, 'warning');
  await say(s.core, STAFF, '/lang en');
  assert.equal(text(await s.photo(STAFF)), 'The barcode could not be read. Take the photo closer, in focus, and in good light.');
});

test('a stranger\'s photo is answered as their text would be, and never downloaded', async () => {
  const s = shop([{ text: '8998866200301', format: 'EAN-13' }]);
  assert.match(text(await s.photo(STRANGER)), /belum terdaftar.*99/);
  assert.equal(s.fetches(), 0);
  assert.deepEqual(s.read, []);
  assert.equal(s.told.length, 1, 'the owners hear of the stranger once');
  // In a group the owner hears a staff answer (no cost prices) — price questions are answered there.
  assert.match(text(await s.photo(OWNER, inGroup(GROUP))), /MIE SEDAAP GORENG — PCS Rp 3\.100$/);
});

test('a photo too big is refused with its reason; photos count towards the rate limit', async () => {
  const { core } = testCore({ barcodes: { read: async () => { throw imageTooBig(20 * 1024 * 1024); } }, rateLimitPerMinute: 2 });
  const photo = () => core.photo({ userId: STAFF, name: 'Dewi', chat: inPrivate(STAFF), image: async () => PHOTO });
  const refused = await photo();
  assert.equal(refused?.severity, 'error');
  assert.deepEqual(refused?.lines, ['tokobot tidak membaca foto ini. Rincian di bawah menyebut sebabnya.',
    'Fotonya 20,0 MB; tokobot membaca foto sampai 10,0 MB. Kirim sebagai foto (bukan file), atau foto lebih dekat.']);
  await photo();
  assert.equal(text(await photo()), 'Terlalu banyak pesan. Coba lagi sebentar lagi.');
  assert.equal(await photo(), null, 'told once, then nothing');
});
