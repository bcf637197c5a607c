import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { PRICE_COLUMNS } from '../../src/pipeline/price-rules.ts';
import type { OpsStores } from '../../src/store/index.ts';
import type { Publication } from '../../src/store/price-lists.ts';
import type { MakeStores } from './stores-under-test.ts';

type Row = Partial<Record<typeof PRICE_COLUMNS[number], string>>;

const row = (kodeitem: string, satuan: string, konversi: string, level: string, jmlsampai: string, hargajual: string, barcode: string): Row => ({
  kodeitem, namaitem: kodeitem === 'A1' ? 'SABUN MANDI' : 'KOPI BUBUK', jenis: 'UMUM', merek: '', satuan, konversi, barcode,
  sistemhargajual: 'L', level, jmlsampai, hargapokok: kodeitem === 'A1' ? '2500' : '', hargajual, stok: '10',
});

/** Out of order on purpose; the unit sizes 1, 2, 12 sort differently as text. */
const LIST: Row[] = [
  row('A1', 'PCS', '1', '2', '12', '2900', '8991'),
  row('A1', 'BOX', '12', '', '', '33000', '8992'),
  row('B2', 'PCS', '1', '', '', '1500', ''),
  row('A1', 'PCS', '1', '1', '', '3000', '8991'),
  row('A1', 'PAK', '2', '', '', '5900', 'abc9'),
  row('A1', 'PCS', '1', '', '', '3100', '8991'),
];

/** As the export writes a list: a header, empty fields for NULL, an empty barcode quoted (so it is '' and not NULL). */
function writeList(dir: string, name: string, store: string, rows: Row[]): string {
  const file = path.join(dir, `${name}.csv.tmp`);
  const data = rows.map((r) => PRICE_COLUMNS.map((c) => (c === 'store' ? store : r[c] ?? '')));
  writeFileSync(file, Papa.unparse({ fields: [...PRICE_COLUMNS], data }, { quotes: PRICE_COLUMNS.map((c) => c === 'barcode') }));
  return file;
}

async function publication(stores: OpsStores, dir: string, store: string, name: string, rows: Row[]): Promise<Publication> {
  const tmpCsvPath = writeList(dir, name, store, rows);
  return {
    store, runId: await stores.runs.start(store, 'cli'), tmpCsvPath, csvPath: tmpCsvPath.slice(0, -'.tmp'.length), contentHash: `hash-${name}`,
    sourceFile: `${name}.i5bu`, sourceModified: new Date('2026-11-20T01:02:03.456Z'), archive: { tables: 2 }, rowCount: rows.length,
    stages: [{ name: 'publish', startedAt: '2026-11-20T02:00:00.000Z' }],
  };
}

/** What the search sees of a store's list, items sorted (their order is not part of the contract). */
async function listOf(stores: OpsStores, store: string) {
  const [items, rows] = await Promise.all([stores.priceLists.items(store), stores.priceLists.prices(store)]);
  return { items: [...items].sort((a, b) => a.kodeitem.localeCompare(b.kodeitem)).map((i) => ({ ...i, codes: [...i.codes].sort() })), rows };
}

/** The contract of PriceLists (src/store/price-lists.ts). */
export function priceListsContract(make: MakeStores, skip?: string): void {
  let dir: string;
  const withDir = (fn: () => Promise<void>) => async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tokobot-lists-'));
    try {
      await fn();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('price lists: none before the first publication', { skip }, async () => {
    const stores = await make();
    assert.equal(await stores.priceLists.published('pusat'), null);
    assert.deepEqual(await stores.priceLists.items('pusat'), []);
    assert.deepEqual(await stores.priceLists.prices('pusat'), []);
  });

  test('price lists: a publication brings the list, its record, the run\'s success and the swap, and moves no file', { skip }, withDir(async () => {
    const swapped: string[] = [];
    const stores = await make(async (store) => { swapped.push(store); });
    const p = await publication(stores, dir, 'pusat', 'first', LIST);
    await stores.priceLists.publish(p);
    assert.deepEqual(swapped, ['pusat']);
    const record = await stores.priceLists.published('pusat');
    assert.ok(record?.publishedAt instanceof Date);
    assert.deepEqual({ ...record, publishedAt: undefined }, {
      store: 'pusat', runId: p.runId, contentHash: 'hash-first', sourceFile: 'first.i5bu', sourceModified: p.sourceModified, archive: { tables: 2 },
      rowCount: 6, csvPath: p.csvPath, publishedAt: undefined,
    });
    const [run] = await stores.runs.recent('pusat', 1);
    assert.deepEqual([run?.status, run?.stage, run?.stages], ['success', 'publish', p.stages]);
    assert.ok(existsSync(p.tmpCsvPath) && !existsSync(p.csvPath));

    const { items, rows } = await listOf(stores, 'pusat');
    assert.deepEqual(items, [
      { kodeitem: 'A1', namaitem: 'SABUN MANDI', codes: ['8991', '8992', 'A1', 'ABC9'] },
      { kodeitem: 'B2', namaitem: 'KOPI BUBUK', codes: ['B2'] },
    ]);
    assert.deepEqual(rows.map((r) => `${r.kodeitem} ${r.konversi} ${r.satuan} ${r.level} ${r.jmlsampai} ${r.hargajual}`), [
      'A1 1 PCS null null 3100', 'A1 1 PCS 1 null 3000', 'A1 1 PCS 2 12 2900', 'A1 2 PAK null null 5900', 'A1 12 BOX null null 33000', 'B2 1 PCS null null 1500',
    ]);
    assert.deepEqual(rows.at(-1), {
      kodeitem: 'B2', namaitem: 'KOPI BUBUK', jenis: 'UMUM', merek: null, sistemhargajual: 'L', stok: '10', satuan: 'PCS', konversi: '1',
      barcode: '', level: null, jmlsampai: null, hargapokok: null, hargajual: '1500',
    });
    assert.equal(rows[1]?.level, 1);
    assert.deepEqual(await stores.priceLists.prices('pusat', ['B2', 'NONE']), [rows.at(-1)], 'only the rows of the items asked for');
    assert.deepEqual((await stores.priceLists.prices('pusat', ['A1'])).map((r) => r.hargajual), rows.slice(0, 5).map((r) => r.hargajual));
  }));

  test('price lists: an item whose barcode is its own code (in any case) has that code once', { skip }, withDir(async () => {
    const stores = await make();
    await stores.priceLists.publish(await publication(stores, dir, 'pusat', 'first', [row('k7', 'PCS', '1', '', '', '1500', 'K7'), row('k7', 'DUS', '10', '', '', '14000', '8997')]));
    assert.deepEqual((await listOf(stores, 'pusat')).items.map((i) => i.codes), [['8997', 'K7']]);
  }));

  test('price lists: a new publication replaces the store\'s list and leaves other stores\' alone', { skip }, withDir(async () => {
    const stores = await make();
    await stores.priceLists.publish(await publication(stores, dir, 'pusat', 'first', LIST));
    await stores.priceLists.publish(await publication(stores, dir, 'cabang', 'other', LIST.slice(0, 2)));
    const second = await publication(stores, dir, 'pusat', 'second', [LIST[2] as Row]);
    await stores.priceLists.publish(second);
    assert.deepEqual((await listOf(stores, 'pusat')).rows.map((r) => r.kodeitem), ['B2']);
    assert.deepEqual((await listOf(stores, 'pusat')).items.map((i) => i.kodeitem), ['B2']);
    assert.deepEqual((await stores.priceLists.published('pusat'))?.runId, second.runId);
    assert.equal((await listOf(stores, 'cabang')).rows.length, 2);
    assert.equal((await stores.priceLists.published('cabang'))?.contentHash, 'hash-other');
    const many = await stores.priceLists.publishedOf(['pusat', 'cabang', 'gudang']);
    assert.deepEqual([...many.keys()].sort(), ['cabang', 'pusat'], 'publishedOf: the stores with a list');
    assert.deepEqual(many.get('pusat'), await stores.priceLists.published('pusat'));
  }));

  test('price lists: a publication that fails anywhere (the list, the swap, just before the commit) changes nothing', { skip }, withDir(async () => {
    let swapFails = false;
    const stores = await make(async () => { if (swapFails) throw new Error('database in use'); });
    await stores.priceLists.publish(await publication(stores, dir, 'pusat', 'first', LIST));
    const before = { record: await stores.priceLists.published('pusat'), list: await listOf(stores, 'pusat') };
    const unchanged = async (p: Publication) => {
      assert.deepEqual({ record: await stores.priceLists.published('pusat'), list: await listOf(stores, 'pusat') }, before);
      assert.equal((await stores.runs.recent('pusat', 1))[0]?.status, 'running');
      await stores.runs.update(p.runId, {}, 'failed');
    };

    const badNumber = await publication(stores, dir, 'pusat', 'bad', [{ ...LIST[0], hargajual: 'tiga ribu' }]);
    await assert.rejects(stores.priceLists.publish(badNumber));
    await unchanged(badNumber);

    swapFails = true;
    const swapFailed = await publication(stores, dir, 'pusat', 'swap', [LIST[2] as Row]);
    await assert.rejects(stores.priceLists.publish(swapFailed), /database in use/);
    await unchanged(swapFailed);
    swapFails = false;

    const crashed = await publication(stores, dir, 'pusat', 'crash', [LIST[2] as Row]);
    await assert.rejects(stores.priceLists.publish(crashed, { beforeCommit: () => { throw new Error('killed'); } }), /killed/);
    await unchanged(crashed);
  }));
}
