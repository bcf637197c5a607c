import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import type { CoreDeps } from '../../src/bot/context.ts';
import { quantityText } from '../../src/bot/stock-replies.ts';
import { compareRatios, decimalSum } from '../../src/pipeline/decimal-text.ts';
import type { StoreConfig } from '../../src/config/load-config.ts';
import { officeStock } from '../../src/pipeline/item-stock.ts';
import { lowStockReport, type LowStockRow } from '../../src/pipeline/low-stock.ts';
import { lowStockWorkbook, removeLowStockWorkbook } from '../../src/pipeline/low-stock-workbook.ts';
import type { PriceItem } from '../../src/pipeline/search/price-search.ts';
import type { ExternalPostgres } from '../../src/adapters/postgres/external-postgres.ts';
import { ADMIN, inGroup, OWNER, press, say, STAFF, STRANGER, testCore, text } from '../helpers/bot-core.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { EXPECTED_COUNTS, lowStockStore } from '../helpers/low-stock-db.ts';

const skip = await requireLocalPg();
const storeId = `g_stockcmd_${process.pid}`;
const store: StoreConfig = { id: storeId, name: 'Toko Makmur', schedule: '*/30 * * * *', source: { type: 'folder', dir: '/nonexistent' } };
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-g-stockcmd-'));
let target: ExternalPostgres;
let drop = async () => undefined as void;

before(async () => {
  if (!skip) ({ target, drop } = await lowStockStore(storeId));
});
after(async () => {
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Items of the published list, as the price search finds them: the database's items, by a word of the name or the exact code. */
const listed = (kodeitem: string, namaitem: string, satuan: string, stok: string): PriceItem => ({ kodeitem, namaitem, jenis: null, merek: null,
  sistemhargajual: 'S', stok, entries: [{ satuan: `${satuan}X`, konversi: '12', barcode: '', level: null, jmlsampai: null, hargapokok: null, hargajual: '9000' },
    { satuan, konversi: '1', barcode: '', level: null, jmlsampai: null, hargapokok: null, hargajual: '1000' }] });
const LIST = [listed('A1', 'INDOMIE GORENG', 'PCS', '19'), listed('A2', 'GULA PASIR', 'KG', '-0.75'), listed('A10', 'TELUR', 'KG', '0'),
  listed('A5', 'BERAS 5KG', 'SAK', '39.5'), listed('A9', 'MINYAK BARU', 'LTR', '0')];
const search: CoreDeps['search'] = {
  search: async (s, query, o = {}) => {
    const exact = LIST.filter((i) => i.kodeitem === query.toUpperCase());
    const found = exact.length ? exact : LIST.filter((i) => i.namaitem.toLowerCase().includes(query.toLowerCase()));
    return { store: s, query, listed: true, exact: exact.length > 0, total: found.length, items: found.slice(o.offset ?? 0, (o.offset ?? 0) + (o.limit ?? 10)) };
  },
  suggest: async () => ['gula'],
  item: async (_s, kodeitem) => LIST.find((i) => i.kodeitem === kodeitem) ?? null,
};

/** The command core over the real pipeline reads of the test database: search aside, nothing is a stand-in. */
const core = (over: Partial<CoreDeps> = {}) => testCore({
  stores: [store], rateLimitPerMinute: 1000, search,
  officeStock: (s, kodeitem) => officeStock(target, s, kodeitem),
  lowStock: (s) => lowStockReport(target, s),
  lowStockWorkbook: (report, lang) => lowStockWorkbook(report, lang, { dir }),
  ...over,
}).core;

test('/stok NAME: one item\'s stock per office in its base unit, summed exactly, in the reader\'s number format', { skip }, async () => {
  const c = core();
  assert.equal(text(await say(c, STAFF, '/stok gula')), 'GULA PASIR (A2), stok per kantor:\nCabang Barat: -2 KG\nToko Utama: 1,25 KG\nTotal: -0,75 KG');
  await say(c, STAFF, '/lang en');
  assert.equal(text(await say(c, STAFF, '/stock A1')), 'INDOMIE GORENG (A1), stock per office:\nCabang Barat: 12 PCS\nToko Utama: 7 PCS\nTotal: 19 PCS');
  assert.equal(text(await say(c, STAFF, '/stock telur')), 'TELUR (A10), stock per office:\nToko Utama: 0 KG', 'a NULL stock row reads 0; one office, no total');
  assert.equal(text(await say(c, STAFF, '/stock minyak')), 'MINYAK BARU (A9), stock per office:\nNo stock per office could be read; stock in the price list: 0 LTR.');
});

test('/stok NAME with several matches: a pick list of buttons; a press answers that item\'s stock', { skip }, async () => {
  const c = core();
  const pick = await say(c, STAFF, '/stok r');
  assert.equal(text(pick), '5 barang cocok dengan "r"; pilih satu:');
  assert.deepEqual(pick?.buttons?.map((row) => row.map((b) => b.text)), LIST.map((i) => [`${i.namaitem} (${i.kodeitem})`]));
  const beras = pick?.buttons?.[3]?.[0]?.data ?? '';
  assert.match(beras, /^sk:/);
  assert.equal(text(await press(c, STAFF, beras)), 'BERAS 5KG (A5), stok per kantor:\nCabang Barat: 19,5 SAK\nToko Utama: 20 SAK\nTotal: 39,5 SAK');
  assert.equal(text(await press(core({ publicMode: true }), STRANGER, beras)), 'Maaf, perintah ini hanya untuk staff.', 'a stock button needs /stok\'s role');
  assert.equal(text(await say(c, STAFF, '/stok kacang')), 'Tidak ada barang yang cocok dengan "kacang".\nMungkin maksud Anda: gula');
  const many = core({ search: { ...search, search: async (s, query, o) => ({ store: s, query, listed: true, exact: false, total: 1234,
    items: Array.from({ length: o?.limit ?? 10 }, (_, i) => LIST[i % LIST.length] as PriceItem) }) } });
  const cut = await say(many, STAFF, '/stok r');
  assert.equal(text(cut), '1.234 barang cocok dengan "r"; pilih satu:\nHanya 8 yang pertama ditampilkan; ketik nama yang lebih lengkap.');
  assert.equal(cut?.buttons?.length, 8);
  const unlisted = core({ search: { ...search, search: async (s, query) => ({ store: s, query, listed: false, exact: false, total: 0, items: [] }) } });
  assert.equal(text(await say(unlisted, STAFF, '/stok gula')), 'Belum ada daftar harga (belum ada sync yang berhasil).');
});

const LIST_ID = `7 barang di bawah stok minimum (8 baris di 2 kantor):

Cabang Barat (CBG): 3 barang
• GULA PASIR (A2): stok -2 KG (minimum 5,5), kurang 7,5
• SUSU KALENG (A11): stok 1 KLG (minimum 4), kurang 3
• BERAS 5KG (A5): stok 19,5 SAK (minimum 20), kurang 0,5

Toko Utama (UTM): 5 barang
• TELUR (A10): stok 0 KG (minimum 2), kurang 2
• GULA PASIR (A2): stok 1,25 KG (minimum 5,5), kurang 4,25
• GARAM (A13): stok 2 PCS (minimum 3), kurang 1
• MERICA (A14): stok 1 KG (minimum 1,5), kurang 0,5
• INDOMIE GORENG (A1): stok 7 PCS (minimum 10), kurang 3

Tidak dimasukkan, walau di bawah minimum: 1 barang dihapus, 1 barang tidak dijual.
1 barang punya stok minimum tetapi tidak punya catatan stok di kantor mana pun.
3 barang tanpa stok minimum (kosong atau 0 di iPOS).

Daftar lengkap (Excel): /stok excel`;

test('/stok alone: admins and owners get the items under their minimum per office, in both languages', { skip }, async () => {
  const c = core();
  const reply = await say(c, ADMIN, '/stok');
  assert.equal(reply?.title, 'Toko Makmur');
  assert.equal(reply?.severity, 'warning');
  assert.equal(text(reply), LIST_ID);
  await say(c, OWNER, '/lang en');
  const en = text(await say(c, OWNER, '/stock'));
  assert.match(en, /^7 items under their minimum stock \(8 rows in 2 offices\):\n\nCabang Barat \(CBG\): 3 items\n• GULA PASIR \(A2\): stock -2 KG \(minimum 5\.5\), short by 7\.5\n/);
  assert.match(en, /• GULA PASIR \(A2\): stock 1\.25 KG \(minimum 5\.5\), short by 4\.25/);
  assert.match(en, /Left out, though under their minimum: 1 deleted items, 1 items not for sale\.\n1 items have a minimum stock but no stock record in any office\.\n3 items have no minimum stock/);
  assert.match(en, /The full list \(Excel\): \/stock excel$/);
});

test('/stok alone and /stok excel are not for staff, nor for anyone in a group that is not an owners\' group', { skip }, async () => {
  const c = core();
  assert.equal(text(await say(c, STAFF, '/stok')), 'Ketik /stok NAMA (nama barang, kode atau barcode) untuk stok per kantor.');
  assert.equal(text(await say(c, STAFF, '/stok excel')), 'Maaf, perintah ini hanya untuk admin.');
  assert.equal(text(await say(c, OWNER, '/stok excel', inGroup())), 'Maaf, perintah ini hanya untuk admin.');
  assert.match(text(await say(c, OWNER, '/stok gula', inGroup())), /^GULA PASIR \(A2\)/, 'stock of one item is answered in a group too');
});

test('/stok excel: the full list as an Excel file in the reader\'s language, captioned with the counts', { skip }, async () => {
  const c = core();
  const reply = await say(c, OWNER, '/stok XLSX');
  const doc = reply?.document;
  assert.ok(doc, text(reply));
  try {
    assert.equal(doc.caption, 'Stok di bawah minimum, Toko Makmur: 7 barang, 8 baris.');
    assert.equal(text(reply), doc.caption);
    assert.equal(doc.filename, path.basename(doc.path));
    assert.match(doc.filename, new RegExp(`^stok-minimum-${storeId}-\\d{8}\\.xlsx$`));
    const sheets = await readXlsxFile(doc.path);
    assert.deepEqual(sheets.map((s) => s.sheet), ['CBG Cabang Barat', 'UTM Toko Utama']);
    assert.deepEqual(sheets.map((s) => s.data.length - 1), [3, 5]);
    assert.deepEqual(sheets[1]?.data[0], ['Kode', 'Nama barang', 'Satuan', 'Stok', 'Stok minimum', 'Kurang']);
  } finally {
    await removeLowStockWorkbook(doc.path);
  }
  assert.equal(existsSync(doc.path), false);
});

test('a store with no restored database yet: a clear answer to every stock question, no error', async () => {
  const c = testCore({ stores: [{ ...store, id: `g_nodb_${process.pid}` }], search,
    lowStock: async (s) => ({ store: s, live: false }), officeStock: async () => [] }).core;
  const none = 'Stok Toko Makmur belum bisa dibaca: belum ada database iPOS yang dipulihkan (belum ada sync yang berhasil).';
  assert.equal(text(await say(c, ADMIN, '/stok')), none);
  assert.equal(text(await say(c, ADMIN, '/stok excel')), none);
  assert.equal(text(await say(c, STAFF, '/stok gula')), 'GULA PASIR (A2), stok per kantor:\nTidak ada catatan stok per kantor yang bisa dibaca; stok di daftar harga: -0,75 KG.');
});

test('a long list is cut for the chat: the first rows of each office, the offices that fit a Telegram message, and how many more', async () => {
  const rows: LowStockRow[] = Array.from({ length: 40 }, (_, o) => Array.from({ length: o === 0 ? 8 : 1 }, (_, i) => ({
    office: `K${String(o).padStart(2, '0')}`, officeName: `Kantor ${o}`, kodeitem: `B${o}-${i}`, namaitem: `BARANG ${i} ${'X'.repeat(o === 1 ? 300 : 30)}`,
    satuan: 'PCS', stok: '1', stokmin: '1234.5', shortfall: '1233.5',
  }))).flat();
  const counts = { rows: rows.length, items: rows.length, offices: 40, deleted: 2, notForSale: 0, noMinimum: 0, noStockRows: 0 };
  const c = testCore({ lowStock: async (s) => ({ store: s, live: true, rows, counts }) }).core;
  const reply = await say(c, ADMIN, '/stok');
  const lines = text(reply).split('\n');
  const shown = lines.filter((l) => /^Kantor \d+ \(K\d+\): \d+ barang$/.test(l)).length;
  assert.ok(shown > 10 && shown < 40, `${shown} offices shown`);
  assert.ok(text(reply).length + (reply?.title?.length ?? 0) < 4000, 'fits a Telegram message whole');
  assert.equal(lines.filter((l) => l.startsWith('• ')).length, 5 + shown - 1, 'five of the first office, one of each other office shown');
  assert.ok(lines.includes('  …dan 3 lainnya'), lines.join('\n'));
  assert.ok(lines.includes(`…dan ${40 - shown} kantor lainnya`), lines.join('\n'));
  assert.ok(lines.includes(`• BARANG 0 ${'X'.repeat(30)} (B0-0): stok 1 PCS (minimum 1.234,5), kurang 1.233,5`), lines.join('\n'));
  assert.ok(lines.includes(`• BARANG 0 ${'X'.repeat(38)}… (B1-0): stok 1 PCS (minimum 1.234,5), kurang 1.233,5`), 'a long name is cut');
  assert.deepEqual(lines.slice(-3), ['Tidak dimasukkan, walau di bawah minimum: 2 barang dihapus, 0 barang tidak dijual.', '', 'Daftar lengkap (Excel): /stok excel']);
  const none = testCore({ lowStock: async (s) => ({ store: s, live: true, rows: [], counts: { ...EXPECTED_COUNTS, rows: 0, items: 0, offices: 0, deleted: 0, notForSale: 0, noStockRows: 0 } }) }).core;
  assert.equal(text(await say(none, ADMIN, '/stok')), 'Tidak ada barang di bawah stok minimum.\n\n3 barang tanpa stok minimum (kosong atau 0 di iPOS).');
  assert.equal(text(await say(none, ADMIN, '/stok excel')), 'Tidak ada barang di bawah stok minimum.');
});

test('quantities are exact: grouped and with the reader\'s decimal sign, summed without floating point', () => {
  assert.equal(quantityText('-1234567.125', 'id'), '-1.234.567,125');
  assert.equal(quantityText('-1234567.125', 'en'), '-1,234,567.125');
  assert.equal(quantityText('0', 'id'), '0');
  assert.equal(decimalSum(['0.1', '0.2']), '0.3');
  assert.equal(decimalSum(['1.25', '-2']), '-0.75');
  assert.equal(decimalSum(['-0.5', '0.5']), '0');
  assert.equal(decimalSum(['99999999999999999.999', '0.001']), '100000000000000000');
  assert.equal(decimalSum([]), '0');
  assert.equal(compareRatios('1', '3', '2.5', '7.5'), 0, 'equal shares compare equal, whatever their scales');
  assert.equal(compareRatios('1', '3', '0.333', '1'), 1);
  assert.equal(compareRatios('-1', '2', '0', '5'), -1);
});
