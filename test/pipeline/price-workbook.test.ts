import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import readXlsxFile, { type SheetData as Sheet } from 'read-excel-file/node';
import { zipEntry } from '../helpers/xlsx-part.ts';
import { PRICE_COLUMNS } from '../../src/pipeline/price-rules.ts';
import { csvOfWorkbook, priceWorkbook, workbookPath } from '../../src/pipeline/price-workbook.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-workbook-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Row = Partial<Record<(typeof PRICE_COLUMNS)[number], string>>;
const item = (r: Row): Record<string, string> => Object.fromEntries(PRICE_COLUMNS.map((c) => [c, r[c] ?? '']));

/** Every price system, a code with leading zeros, a fraction of a rupiah, and a system no sheet takes. */
const ROWS = [
  item({ store: 't', kodeitem: '000123', namaitem: 'Gula 1kg', satuan: 'PCS', konversi: '1', barcode: '0899', sistemhargajual: 'O', level: '1', jmlsampai: '', hargapokok: '12000', hargajual: '14500', stok: '25' }),
  item({ store: 't', kodeitem: 'A2', namaitem: 'Teh <kotak> & co', satuan: 'DUS', konversi: '24', sistemhargajual: 'S', level: '1', hargapokok: '1000.5', hargajual: '1250.75', stok: '2.5' }),
  item({ store: 't', kodeitem: 'L1', namaitem: 'Minyak', satuan: 'PCS', konversi: '1', sistemhargajual: 'L', level: '1', hargajual: '30000', hargapokok: '25000', stok: '10' }),
  item({ store: 't', kodeitem: 'L1', namaitem: 'Minyak', satuan: 'PCS', konversi: '1', sistemhargajual: 'L', level: '2', hargajual: '29000', hargapokok: '25000', stok: '10' }),
  item({ store: 't', kodeitem: 'J1', namaitem: 'Beras', satuan: 'KG', konversi: '1', sistemhargajual: 'J', level: '1', jmlsampai: '9', hargajual: '15000', hargapokok: '13000', stok: '100' }),
  item({ store: 't', kodeitem: 'J1', namaitem: 'Beras', satuan: 'KG', konversi: '1', sistemhargajual: 'J', level: '2', jmlsampai: '99', hargajual: '14000', hargapokok: '13000', stok: '100' }),
  item({ store: 't', kodeitem: 'X1', namaitem: 'Aneh', satuan: 'PCS', konversi: '1', sistemhargajual: 'X', hargajual: '1', stok: '1' }),
];

function writeCsv(name: string, rows: Record<string, string>[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, Papa.unparse(rows, { columns: [...PRICE_COLUMNS] }) + '\n');
  return file;
}

test('a sheet per price system, numbers as number cells, codes as text, read back by another library', async () => {
  const csv = writeCsv('daftar-20261130_010000.csv', ROWS);
  const made = await priceWorkbook(csv, 'id');
  assert.equal(made.path, workbookPath(csv, 'id'));
  assert.deepEqual({ rows: made.rows, unsheeted: made.unsheeted }, { rows: 6, unsheeted: 1 });
  const sheets = await readXlsxFile(made.path);
  assert.deepEqual(sheets.map((s) => s.sheet), ['Harga', 'Level harga', 'Harga grosir']);
  const [prices, levels, tiers] = sheets.map((s) => s.data) as [Sheet, Sheet, Sheet];
  assert.deepEqual(prices[0], ['Kode', 'Nama barang', 'Jenis', 'Merek', 'Satuan', 'Isi', 'Barcode', 'Harga jual', 'Harga pokok', 'Stok']);
  assert.deepEqual(prices[1], ['000123', 'Gula 1kg', null, null, 'PCS', 1, '0899', 14500, 12000, 25]);
  assert.deepEqual(prices[2], ['A2', 'Teh <kotak> & co', null, null, 'DUS', 24, null, 1250.75, 1000.5, 2.5]);
  assert.equal(prices.length, 3);
  assert.deepEqual(levels.map((r) => r[7]), ['Level', 1, 2]);
  assert.deepEqual(levels.map((r) => r[8]), ['Harga jual', 30000, 29000]);
  assert.deepEqual(tiers.map((r) => r[7]), ['Sampai jumlah', 9, 99]);
  assert.deepEqual(tiers.map((r) => r[8]), ['Harga jual', 15000, 14000]);
});

test('the header is frozen and filtered, prices carry rupiah formats with decimals only where iPOS has them', async () => {
  const csv = writeCsv('daftar-20261130_020000.csv', ROWS);
  const { path: file } = await priceWorkbook(csv, 'en');
  const sheet = await zipEntry(file, 'xl/worksheets/sheet1.xml');
  assert.match(sheet, /<pane [^>]*ySplit="1"[^>]*state="frozen"/);
  assert.match(sheet, /<autoFilter ref="A1:J1"/);
  const styles = await zipEntry(file, 'xl/styles.xml');
  assert.match(styles, /formatCode="&quot;Rp&quot;#,##0"/);
  assert.match(styles, /formatCode="&quot;Rp&quot;#,##0\.00"/);
  const sheets = await readXlsxFile(file);
  assert.deepEqual(sheets.map((s) => s.sheet), ['Prices', 'Price levels', 'Quantity prices']);
});

test('built once per published list, then reused; pruning the list takes its workbooks (csvOfWorkbook)', async () => {
  const csv = writeCsv('daftar-20261130_030000.csv', ROWS.slice(0, 1));
  const first = await priceWorkbook(csv, 'id');
  writeFileSync(csv, Papa.unparse([], { columns: [...PRICE_COLUMNS] }) + '\n'); // a published CSV never changes: the kept workbook is what is served
  const again = await priceWorkbook(csv, 'id');
  assert.equal(again.path, first.path);
  assert.equal((await readXlsxFile(again.path))[0]?.data.length, 2);
  assert.equal(csvOfWorkbook(path.basename(first.path)), 'daftar-20261130_030000.csv');
  assert.equal(csvOfWorkbook('daftar-20261130_030000.csv'), null);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
});

test('a list with no known price system still opens: one empty sheet, every row counted as not sheeted', async () => {
  const csv = writeCsv('daftar-20261130_040000.csv', ROWS.slice(-1));
  const made = await priceWorkbook(csv, 'id');
  assert.deepEqual({ rows: made.rows, unsheeted: made.unsheeted }, { rows: 0, unsheeted: 1 });
  const sheets = await readXlsxFile(made.path);
  assert.deepEqual(sheets.map((s) => [s.sheet, s.data.length]), [['Harga', 1]]);
});
