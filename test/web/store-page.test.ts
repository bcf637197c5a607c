import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import sharp from 'sharp';
import readXlsxFile from 'read-excel-file/node';
import { exportDir } from '../../src/pipeline/sync/work-files.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';
import { publishList } from '../helpers/published-list.ts';
import { ADMIN, OWNER, STAFF, status, store, webSetup } from '../helpers/web-app.ts';

/** The store page (/toko/:id) in process, on memory stores and price list files written as a sync writes them. */
const SCRIPT_NAME = '<script>alert("x")</script> MIE';
let dataDir = '';
let setup: ReturnType<typeof webSetup>;
let cookies: Record<'owner' | 'admin' | 'staff', string>;

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), `tokobot-store-page-${process.pid}-`));
  const dir = exportDir(dataDir, 'a');
  mkdirSync(dir, { recursive: true });
  const ops = createMemoryStores();
  await publishList(ops, 'a', [
    { kodeitem: 'IDM01', namaitem: 'INDOMIE GORENG 85G', hargajual: '3500', hargapokok: '2900' },
    { kodeitem: 'GONE1', namaitem: 'SABUN LAMA', hargajual: '5000', hargapokok: '4000' },
  ], dir);
  await ops.runs.update((await ops.runs.recent('a', 1))[0]!.id, { rowCount: 2 }); // as the sync's validate stage records it
  const failed = await ops.runs.start('a', 'schedule');
  await ops.runs.update(failed, { stages: [{ name: 'check', startedAt: '2026-11-29T01:00:00.000Z', endedAt: '2026-11-29T01:00:02.500Z' }],
    error: 'could not connect to postgres://tokobot:s3cret-pw@db/x' }, 'failed');
  await publishList(ops, 'a', [
    { kodeitem: 'IDM01', namaitem: 'INDOMIE GORENG 85G', hargajual: '3700', hargapokok: '2900', barcode: '089686010947' },
    { kodeitem: 'XSS1', namaitem: SCRIPT_NAME, hargajual: '1000', hargapokok: '800' },
  ], dir);
  const newest = (await ops.runs.recent('a', 1))[0]!;
  await ops.runs.update(newest.id, { bytes: 5 * 1_048_576, rowCount: 2, stages: [
    { name: 'restore', startedAt: '2026-11-29T02:00:00.000Z', endedAt: '2026-11-29T02:01:05.000Z' },
    { name: 'publish', startedAt: '2026-11-29T02:01:05.000Z', endedAt: '2026-11-29T02:01:06.000Z' }] });
  await ops.runs.update(await ops.runs.start('a', 'web:42'), { error: 'stopped from the dashboard' }, 'failed'); // a run started from the dashboard
  setup = webSetup({ stores: [[store('a'), status(store('a'), 'OK')], [store('b'), status(store('b'), 'CHECK')]], ops, dataDir });
  cookies = { owner: await setup.session(OWNER), admin: await setup.session(ADMIN), staff: await setup.session(STAFF) };
});

after(() => rmSync(dataDir, { recursive: true, force: true }));

const get = (url: string, who: keyof typeof cookies) => setup.app.request(url, { headers: { cookie: cookies[who] } });
const page = async (url: string, who: keyof typeof cookies) => {
  const res = await get(url, who);
  assert.equal(res.status, 200, `${url} as ${who}`);
  return res.text();
};

test('staff: the price list with the bot\'s search and the item card, no cost, no downloads, no runs or charts (absent, and refused by URL)', async () => {
  const html = await page('/toko/a?q=indomie', 'staff');
  assert.match(html, /INDOMIE GORENG 85G/);
  assert.match(html, /Rp 3\.700/);
  assert.match(html, /href="\/toko\/a\/barang\?kode=IDM01"/);
  for (const absent of [/daftar-harga\./, /Harga pokok/, /2\.900/, /Riwayat sync/, /grafik/]) assert.doesNotMatch(html, absent);
  const card = await page('/toko/a/barang?kode=IDM01', 'staff');
  assert.match(card, /INDOMIE GORENG 85G/);
  assert.match(card, /Rp 3\.700/);
  assert.match(card, /089686010947/);
  assert.doesNotMatch(card, /Harga pokok|2\.900|Margin/);
  for (const url of ['/toko/a/daftar-harga.csv', '/toko/a/daftar-harga.xlsx']) {
    const res = await get(url, 'staff');
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Hanya pemilik/);
  }
  assert.equal((await get('/toko/a/grafik/rows.svg', 'staff')).status, 403);
});

test('admin: runs with stages, durations, trigger and the scrubbed failure, and the charts; still no cost and no download', async () => {
  const html = await page('/toko/a', 'admin');
  assert.match(html, /Riwayat sync/);
  assert.match(html, /gagal/);
  assert.match(html, /jadwal/);
  assert.match(html, /<span class="muted">dasbor 42<\/span>/, 'who started it, in Indonesian');
  assert.match(html, /<td colspan="3" class="stages">cek sumber 2,5 s<\/td>/, 'stages named and timed in Indonesian');
  assert.match(html, /restore 1 m 05 s · terbitkan 1,0 s/);
  assert.match(html, /WIB/);
  assert.match(html, /postgres:\/\/tokobot:\[secret\]@db\/x/);
  assert.doesNotMatch(html, /s3cret-pw/);
  for (const kind of ['size', 'restore', 'rows']) assert.match(html, new RegExp(`<img src="/toko/a/grafik/${kind}\\.svg"`));
  assert.doesNotMatch(html, /daftar-harga\.|Harga pokok/);
  assert.equal((await get('/toko/a/daftar-harga.csv', 'admin')).status, 403);
});

test('what changed in the last sync: items added and removed and price changes, from the kept list files', async () => {
  const html = await page('/toko/a', 'staff');
  assert.match(html, /Baris daftar harga: 2 → 2/);
  assert.match(html, /Barang baru \(1\)/);
  assert.match(html, /Barang dihapus \(1\).*SABUN LAMA/s);
  assert.match(html, /Harga berubah \(1\).*INDOMIE GORENG 85G.*Rp 3\.500 → Rp 3\.700/s);
});

test('what changed, when the list before is not kept (EXPORT_KEEP=1) or there is none: the row counts, and why no more', async () => {
  const ops = createMemoryStores();
  const dir = exportDir(dataDir, 'c');
  mkdirSync(dir, { recursive: true });
  const c = webSetup({ stores: [[store('c'), status(store('c'), 'OK')]], ops, dataDir });
  const cookie = await c.session(STAFF);
  const changes = async () => /<section class="block" id="perubahan">(.*?)<\/section>/s.exec(await (await c.app.request('/toko/c', { headers: { cookie } })).text())?.[1] ?? '';
  assert.doesNotMatch(await changes(), /Baris daftar harga/, 'nothing published: no rows to compare');
  await publishList(ops, 'c', [{ kodeitem: 'A1', namaitem: 'SATU', hargajual: '100' }], dir);
  await ops.runs.update((await ops.runs.recent('c', 1))[0]!.id, { rowCount: 1 });
  assert.match(await changes(), /Baris daftar harga: — → 1.*daftar harga pertama/s);
  await publishList(ops, 'c', [{ kodeitem: 'A1', namaitem: 'SATU', hargajual: '100' }, { kodeitem: 'A2', namaitem: 'DUA', hargajual: '200' }], dir);
  await ops.runs.update((await ops.runs.recent('c', 1))[0]!.id, { rowCount: 2 });
  rmSync(path.join(dir, 'c-1.csv'));
  assert.match(await changes(), /Baris daftar harga: 1 → 2.*sebelumnya tidak disimpan/s);
});

test('in English for someone who chose English', async () => {
  const en = webSetup({ stores: [[store('a'), status(store('a'), 'OK')]], langs: { [OWNER]: 'en' },
    deps: { storePage: setup.deps.storePage } });
  const html = await (await en.app.request('/toko/a?q=indomie', { headers: { cookie: await en.session(OWNER) } })).text();
  for (const text of [/Price list/, /1–1 of 1 items/, /What changed in the last sync/, /Sync history/, /Download the price list/, /Charts of the last 90 days/,
    /class="stages">checking the source 2\.5 s</, /<span class="muted">dashboard 42<\/span>/, /restoring 1 m 05 s · publishing 1\.0 s/]) assert.match(html, text);
  assert.doesNotMatch(html, /Daftar harga|Riwayat/);
});

test('charts are SVG images drawn on the server, per kind, with the runs\' values', async () => {
  const res = await get('/toko/a/grafik/size.svg', 'owner');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
  const svg = await res.text();
  assert.match(svg, /^<svg[^>]+viewBox="0 0 360 220"/);
  assert.match(svg, /Ukuran backup \(MB\)/);
  assert.doesNotMatch(svg, /<script/i);
  const empty = await (await get('/toko/b/grafik/rows.svg', 'owner')).text();
  assert.match(empty, /Belum ada sync yang berhasil/);
});

test('owner: cost and margin on the card, CSV and XLSX downloads with the published rows and a safe file name', async () => {
  const html = await page('/toko/a', 'owner');
  assert.match(html, /href="\/toko\/a\/daftar-harga\.csv"/);
  assert.match(html, /href="\/toko\/a\/daftar-harga\.xlsx"/);
  const card = await page('/toko/a/barang?kode=IDM01', 'owner');
  assert.match(card, /Harga pokok.*Margin/s);
  assert.match(card, /Rp 2\.900/);
  assert.match(card, /27,6%/);

  const csv = await get('/toko/a/daftar-harga.csv', 'owner');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  assert.match(csv.headers.get('content-disposition') ?? '', /^attachment; filename="daftar-harga-a-\d{8}\.csv"$/);
  const rows = Papa.parse<Record<string, string>>(await csv.text(), { header: true, skipEmptyLines: true }).data;
  assert.deepEqual(rows.map((r) => [r.kodeitem, r.namaitem, r.hargajual, r.hargapokok]), [['IDM01', 'INDOMIE GORENG 85G', '3700', '2900'], ['XSS1', SCRIPT_NAME, '1000', '800']]);

  const xlsx = await get('/toko/a/daftar-harga.xlsx', 'owner');
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-disposition') ?? '', /^attachment; filename="daftar-harga-a-\d{8}\.xlsx"$/);
  // Read by another library than the one that wrote it (read-excel-file; price-workbook.test.ts has the formats).
  const [sheet] = await readXlsxFile(Buffer.from(await xlsx.arrayBuffer()));
  assert.ok(sheet);
  assert.equal(sheet?.sheet, 'Harga');
  const header = sheet.data[0]!;
  const cell = (row: number, column: string) => sheet.data[row]?.[header.indexOf(column)];
  assert.equal(sheet.data.length, 3);
  assert.equal(cell(1, 'Kode'), 'IDM01');
  assert.equal(cell(1, 'Harga jual'), 3700);
  assert.equal(cell(1, 'Harga pokok'), 2900);
  assert.equal(cell(2, 'Nama barang'), SCRIPT_NAME);
});

test('every page escapes store data: an item named <script> is text in results, changes and its card', async () => {
  for (const url of ['/toko/a?q=script', '/toko/a', '/toko/a/barang?kode=XSS1']) {
    const html = await page(url, 'owner');
    assert.doesNotMatch(html, /<script>alert/, url);
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; MIE/, url);
  }
  const q = await page(`/toko/a?q=${encodeURIComponent('"><script>x</script>')}`, 'staff');
  assert.doesNotMatch(q, /<script>x/);
});

test('unknown stores, odd or path-like ids, unknown items and chart kinds: a clear 404, and nothing read', async () => {
  let reads = 0;
  const data = setup.deps.storePage;
  const counted = webSetup({ stores: [[store('a'), status(store('a'), 'OK')]], deps: { storePage: {
    ...data, published: async (s) => { reads++; return data.published(s); }, runs: async (s, n) => { reads++; return data.runs(s, n); },
  } } });
  const cookie = await counted.session(OWNER);
  for (const url of ['/toko/nope', '/toko/..%2F..%2Fetc%2Fpasswd', '/toko/a%2F..', '/toko/A', '/toko/%3Cb%3E', '/toko/nope/daftar-harga.csv',
    '/toko/nope/grafik/rows.svg', '/toko/nope/barang?kode=IDM01']) {
    const res = await counted.app.request(url, { headers: { cookie } });
    assert.equal(res.status, 404, url);
    assert.match(await res.text(), /Toko ini tidak dikenal/, url);
  }
  assert.equal(reads, 0, 'no store data read for an id that is no store');
  for (const url of ['/toko/a/barang?kode=NOPE', '/toko/a/barang', `/toko/a/barang?kode=${'X'.repeat(500)}`, '/toko/a/grafik/other.svg', '/toko/a/grafik/..%2Frows.svg']) {
    assert.equal((await get(url, 'owner')).status, 404, url);
  }
  assert.equal((await setup.app.request('/toko/a')).status, 401, 'no session');
});

/** The cells of an XLSX's first sheet, row by row (shared strings resolved, numbers as numbers). */

test('an item with a picture in iPOS shows it on its card, as the chat sends it (JPEG, cached by address); without one, no picture and a 404', async () => {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0392b' } }).jpeg().toBuffer();
  const hash = 'ab'.repeat(32);
  const asked: string[] = [];
  const pictured = webSetup({ stores: [[store('a'), status(store('a'), 'OK')]], deps: { storePage: {
    ...setup.deps.storePage,
    picture: async (s, kode) => {
      asked.push(`${s}/${kode}`);
      return kode === 'IDM01' ? { store: s, kodeitem: kode, hash, jpeg: async () => jpeg } : null;
    },
  } } });
  const cookie = await pictured.session(STAFF);
  const card = await (await pictured.app.request('/toko/a/barang?kode=IDM01', { headers: { cookie } })).text();
  const src = /<img class="picture" src="([^"]+)" alt="INDOMIE GORENG 85G"/.exec(card)?.[1];
  assert.equal(src, `/toko/a/gambar?kode=IDM01&amp;v=${hash.slice(0, 16)}`);
  const res = await pictured.app.request(src!.replaceAll('&amp;', '&'), { headers: { cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/jpeg');
  assert.equal(res.headers.get('etag'), `"${hash}"`);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), jpeg);
  assert.doesNotMatch(await (await pictured.app.request('/toko/a/barang?kode=XSS1', { headers: { cookie } })).text(), /<img class="picture"/);
  assert.equal((await pictured.app.request('/toko/a/gambar?kode=XSS1', { headers: { cookie } })).status, 404);
  assert.equal((await pictured.app.request('/toko/a/gambar?kode=IDM01')).status, 401, 'no session, no picture');
  assert.deepEqual(asked, ['a/IDM01', 'a/IDM01', 'a/XSS1', 'a/XSS1']);
});
