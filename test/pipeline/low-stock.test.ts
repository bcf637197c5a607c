import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import { lowStockByOffice, lowStockReport, type LowStockReport } from '../../src/pipeline/low-stock.ts';
import { lowStockFileName, lowStockWorkbook, removeLowStockWorkbook } from '../../src/pipeline/low-stock-workbook.ts';
import type { ExternalPostgres } from '../../src/adapters/postgres/external-postgres.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { zipEntry } from '../helpers/xlsx-part.ts';
import { EXPECTED_COUNTS, EXPECTED_ROWS, lowStockStore } from '../helpers/low-stock-db.ts';

const skip = await requireLocalPg();
const store = `g_lowstock_${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-g-lowstock-'));
let target: ExternalPostgres;
let drop = async () => undefined as void;
let report: Extract<LowStockReport, { live: true }>;

before(async () => {
  if (skip) return;
  ({ target, drop } = await lowStockStore(store));
  const read = await lowStockReport(target, store);
  assert.ok(read.live);
  report = read;
});

after(async () => {
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

test('rows under the minimum per office, summed over repeated rows, exactly as the rules give them, in order', { skip }, () => {
  assert.deepEqual(report.rows, EXPECTED_ROWS);
  assert.deepEqual(report.counts, EXPECTED_COUNTS);
  assert.equal(report.store, store);
});

test('a store without a restored database is a plain answer, not an error', { skip }, async () => {
  assert.deepEqual(await lowStockReport(target, `g_nodb_${process.pid}`), { store: `g_nodb_${process.pid}`, live: false });
});

test('any other failure of the read is not mistaken for a missing database', async () => {
  const broken = { readRestored: async () => { throw Object.assign(new Error('relation "public.tbl_item" does not exist'), { code: '42P01' }); } };
  await assert.rejects(lowStockReport(broken, 'x'), /tbl_item/);
});

test('grouped for a chat message: each office\'s first rows, with how many it has', () => {
  const groups = lowStockByOffice(EXPECTED_ROWS, 2);
  assert.deepEqual(groups.map((g) => [g.office, g.officeName, g.rows, g.top.map((r) => r.kodeitem)]),
    [['CBG', 'Cabang Barat', 3, ['A2', 'A11']], ['UTM', 'Toko Utama', 5, ['A10', 'A2']]]);
});

test('the workbook: a sheet per office, frozen header, numbers as number cells, read back by another library; removed with its folder', { skip }, async (t) => {
  const file = await lowStockWorkbook(report, 'id', { dir, now: new Date('2026-11-30T01:00:00Z') });
  t.after(() => removeLowStockWorkbook(file));
  assert.equal(path.basename(file), `stok-minimum-${store}-20261130.xlsx`);
  assert.equal(path.dirname(path.dirname(file)), dir);
  const sheets = await readXlsxFile(file);
  assert.deepEqual(sheets.map((s) => s.sheet), ['CBG Cabang Barat', 'UTM Toko Utama']);
  const header = ['Kode', 'Nama barang', 'Satuan', 'Stok', 'Stok minimum', 'Kurang'];
  const want = (office: string) => EXPECTED_ROWS.filter((r) => r.office === office)
    .map((r) => [r.kodeitem, r.namaitem, r.satuan, Number(r.stok), Number(r.stokmin), Number(r.shortfall)]);
  assert.deepEqual(sheets[0]?.data, [header, ...want('CBG')]);
  assert.deepEqual(sheets[1]?.data, [header, ...want('UTM')]);
  assert.deepEqual(sheets[0]?.data[1], ['A2', 'GULA PASIR', 'KG', -2, 5.5, 7.5], 'a stock below zero stays as it is');
  for (const part of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
    const sheet = await zipEntry(file, part);
    assert.match(sheet, /<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    assert.match(sheet, /<autoFilter ref="A1:F1"/);
  }
  const styles = await zipEntry(file, 'xl/styles.xml');
  assert.match(styles, /<xf numFmtId="3" [^>]*applyNumberFormat="1"/, 'Excel\'s own #,##0');
  assert.match(styles, /formatCode="#,##0\.###"/);
  await removeLowStockWorkbook(file);
  assert.equal(existsSync(path.dirname(file)), false);
  await removeLowStockWorkbook(file);
});

test('the workbook in English, and one empty sheet when nothing is low', { skip }, async () => {
  const en = await lowStockWorkbook(report, 'en', { dir });
  assert.deepEqual((await readXlsxFile(en))[0]?.data[0], ['Code', 'Item', 'Unit', 'Stock', 'Minimum', 'Short by']);
  const none = await lowStockWorkbook({ ...report, rows: [], counts: { ...report.counts, rows: 0, items: 0, offices: 0 } }, 'en', { dir });
  const sheets = await readXlsxFile(none);
  assert.deepEqual(sheets.map((s) => [s.sheet, s.data.length]), [['Low stock', 1]]);
  await Promise.all([en, none].map(removeLowStockWorkbook));
  assert.deepEqual(readdirSync(dir), []);
});

test('sheet names Excel accepts: forbidden characters replaced, cut to 31, unique', async () => {
  const row = (office: string, officeName: string) => ({ ...EXPECTED_ROWS[0]!, office, officeName });
  // Office codes differ ('K1', 'k1'), but Excel compares sheet names without regard to case.
  const rows = [row('K1', 'Cabang: Jl. Merdeka [Lama] / Pusat Kota'), row('k1', 'cabang: jl. merdeka [lama] / pusat kota 2'), row('K2', 'K2')];
  const file = await lowStockWorkbook({ store: 's', live: true, rows, counts: { ...EXPECTED_COUNTS, rows: 3 } }, 'id', { dir });
  const names = (await readXlsxFile(file)).map((s) => s.sheet);
  await removeLowStockWorkbook(file);
  assert.deepEqual(names, ['K1 Cabang_ Jl. Merdeka _Lama_ _', 'k1 cabang_ jl. merdeka _lama_~2', 'K2']);
});

test('a build removes the folders of builds over an hour old, and nothing else', async () => {
  const old = path.join(dir, 'tokobot-stok-old');
  const recent = path.join(dir, 'tokobot-stok-recent');
  const other = path.join(dir, 'something-else');
  for (const d of [old, recent, other]) mkdirSync(d);
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  utimesSync(old, twoHoursAgo, twoHoursAgo);
  utimesSync(other, twoHoursAgo, twoHoursAgo);
  const file = await lowStockWorkbook({ store: 's', live: true, rows: [], counts: { ...EXPECTED_COUNTS, rows: 0 } }, 'id', { dir });
  assert.deepEqual([existsSync(old), existsSync(recent), existsSync(other), existsSync(file)], [false, true, true, true]);
  await removeLowStockWorkbook(file);
  rmSync(recent, { recursive: true });
  rmSync(other, { recursive: true });
});

test('file names hold only safe characters, whatever the store id', () => {
  assert.equal(lowStockFileName('toko 1/../x', new Date('2026-01-02T00:00:00Z')), 'stok-minimum-toko_1____x-20260102.xlsx');
});
