import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import readXlsxFile from 'read-excel-file/node';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_PG_URL, requireLocalPg } from './helpers/local-pg.ts';
import { publishList, type ListRow } from './helpers/published-list.ts';
import { scratchOps, type ScratchOps } from './helpers/scratch-ops.ts';
import { tokobot } from './helpers/tokobot-cli.ts';

// tokobot ask reads the published list with only the restore server configured: a store whose
// backups come from Dropbox needs no Dropbox settings to be asked about. Before the first sync it
// says so (exit 3); --json gives scripts the ranked items with their prices.

const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-cli-ask-${process.pid}-`));
const STORE = `ask${process.pid}`;
/** No SOURCE (Dropbox, the default), no DROPBOX_* at all: only the restore server, its ops database and a data folder. */
const env = {
  PATH: process.env.PATH ?? '', HOME: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, OPS_DATABASE: `tokobot_t_ask_${process.pid}`,
  DATA_DIR: path.join(dir, 'data'), STORE_ID: STORE, STORE_NAME: 'Toko Tanya',
};
const ask = (args: string[], extra: Record<string, string> = {}) => tokobot(['ask', ...args], { ...env, ...extra });
let ops: ScratchOps | undefined;

before(async () => { if (!skip) ops = await scratchOps(env.OPS_DATABASE); });
after(async () => {
  await ops?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('before the first sync: "no price list yet" and exit 3, with no Dropbox settings for a Dropbox store', { skip }, async () => {
  // The same settings do not run a sync: the store's source is Dropbox, and its settings are missing.
  const sync = await tokobot(['sync'], env);
  assert.equal(sync.code, 2, sync.stderr);
  assert.match(sync.stderr, /DROPBOX_FOLDER/);

  const r = await ask(['indomie goreng']);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '[Toko Tanya]\nBelum ada daftar harga (belum ada sync yang berhasil).\n');
  const en = await ask(['indomie goreng'], { TOKOBOT_LANG: 'en' });
  assert.equal(en.code, 3, en.stderr);
  assert.equal(en.stdout, '[Toko Tanya]\nNo price list yet (no successful sync).\n');
  const json = await ask(['indomie goreng', '--json']);
  assert.equal(json.code, 3, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), { store: { id: STORE, name: 'Toko Tanya' }, query: 'indomie goreng', listed: false, exact: false, total: 0, items: [] });
});

test('an empty or blank question is a usage error (exit 2), answered before anything is opened', async () => {
  for (const question of ['', '   ']) {
    const r = await ask([question], { RESTORE_TARGET: 'nowhere' });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'tokobot: ask butuh TEXT: tokobot ask "TEXT" [--store ID] [--json]\n');
  }
  assert.equal((await ask([' '], { TOKOBOT_LANG: 'en' })).stderr, 'tokobot: ask needs TEXT: tokobot ask "TEXT" [--store ID] [--json]\n');
});

test('--json: the first page of ranked items, each with its selling prices (never the cost), and the number found', { skip }, async () => {
  const rows: ListRow[] = Array.from({ length: 23 }, (_, i) => ({ kodeitem: `IM${i}`, namaitem: `INDOMIE RASA ${String(i).padStart(2, '0')}`,
    hargajual: String(3000 + i * 10), hargapokok: '2500', barcode: `8990000${i}` }));
  rows.push({ kodeitem: 'GL1', namaitem: 'GULA PASIR 1KG', hargajual: '18000.5', satuan: 'BKS', barcode: '8991111', stok: '12.5' });
  await publishList(ops!.stores, STORE, rows, dir);

  const r = await ask(['indomie', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const answer = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(answer), ['store', 'query', 'listed', 'exact', 'total', 'items']);
  assert.equal(answer.listed, true);
  assert.equal(answer.exact, false);
  assert.equal(answer.total, 23);
  assert.equal(answer.items.length, 10);
  assert.deepEqual(answer.items.map((i: { rank: number }) => i.rank), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const item of answer.items) {
    const row = rows.find((x) => x.kodeitem === item.kodeitem)!;
    assert.equal(item.namaitem, row.namaitem);
    assert.deepEqual(item.prices, [{ satuan: 'PCS', konversi: '1', level: null, jmlsampai: null, hargajual: row.hargajual, barcode: row.barcode }]);
  }
  assert.ok(!r.stdout.includes('hargapokok') && !r.stdout.includes('2500'), r.stdout);

  const byBarcode = await ask(['8991111', '--json']);
  assert.equal(byBarcode.code, 0, byBarcode.stderr);
  assert.deepEqual(JSON.parse(byBarcode.stdout), {
    store: { id: STORE, name: 'Toko Tanya' }, query: '8991111', listed: true, exact: true, total: 1,
    items: [{ rank: 1, kodeitem: 'GL1', namaitem: 'GULA PASIR 1KG', merek: null, jenis: 'UMUM', stok: '12.5',
      prices: [{ satuan: 'BKS', konversi: '1', level: null, jmlsampai: null, hargajual: '18000.5', barcode: '8991111' }] }],
  });
  const text = await ask(['gula']);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, '[Toko Tanya]\nGULA PASIR 1KG — BKS Rp 18.001\n');
  const none = await ask(['qwxzv']);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /^\[Toko Tanya\]\nTidak ada barang yang cocok dengan "qwxzv"\./);
});

test('tokobot export: the published list as an Excel workbook (read back by another library), --csv the very CSV; exit 3 before any list', { skip }, async () => {
  const out = path.join(dir, 'out');
  mkdirSync(out, { recursive: true });
  const exp = (args: string[], extra: Record<string, string> = {}) => tokobot(['export', ...args], { ...env, ...extra });
  const none = await exp(['--store', 'kosong'], { STORE_ID: 'kosong' });
  assert.equal(none.code, 3, none.stderr);
  assert.match(none.stderr, /Belum ada daftar harga/);

  await publishList(ops!.stores, STORE, [{ kodeitem: 'GL9', namaitem: 'GULA AREN', hargajual: '25000', hargapokok: '21000.25', stok: '3' }], dir);
  const xlsx = path.join(out, 'daftar.xlsx');
  const r = await exp(['--out', xlsx]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `[${STORE}] daftar harga (1 baris) ditulis ke ${xlsx}\n`);
  const [sheet] = await readXlsxFile(xlsx);
  assert.deepEqual(sheet?.data, [['Kode', 'Nama barang', 'Jenis', 'Merek', 'Satuan', 'Isi', 'Barcode', 'Harga jual', 'Harga pokok', 'Stok'],
    ['GL9', 'GULA AREN', 'UMUM', null, 'PCS', 1, null, 25000, 21000.25, 3]]);

  const copy = path.join(out, 'daftar.csv');
  const csv = await exp(['--csv', '--out', copy], { TOKOBOT_LANG: 'en' });
  assert.equal(csv.code, 0, csv.stderr);
  assert.equal(csv.stdout, `[${STORE}] price list (1 rows) written to ${copy}\n`);
  assert.match(readFileSync(copy, 'utf8'), /GL9,GULA AREN,UMUM,,PCS,1,,O,,,21000\.25,25000,3/);
});
