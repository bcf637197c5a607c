import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { IndexCache } from '../../src/pipeline/search/index-cache.ts';
import { PriceIndex } from '../../src/pipeline/search/price-index.ts';
import { PriceSearch, type PriceSearchOptions } from '../../src/pipeline/search/price-search.ts';
import type { OpsStores } from '../../src/store/index.ts';
import type { PriceLists } from '../../src/store/price-lists.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';

// The search index kept on disk between processes (tokobot ask): it answers as a built index
// does, and a cache of another publication, another store or a damaged file is never used.

const HEADER = 'store,kodeitem,namaitem,jenis,merek,satuan,konversi,barcode,sistemhargajual,level,jmlsampai,hargapokok,hargajual,stok\n';
const FIRST = 'pusat,A1,SABUN MANDI LUX 85G,UMUM,LUX,PCS,1,"8991",L,,,2500,3000,10\npusat,A1,SABUN MANDI LUX 85G,UMUM,LUX,BOX,12,"8992",L,,,,33000,10\n' +
  'pusat,B2,KOPI BUBUK KAPAL API 165G,UMUM,,PCS,1,"",L,,,,1500,4\npusat,C3,MNYK GRG BIMOLI 2L,UMUM,,PCS,1,"8993",L,,,,38000,2\n';
/** The next publication: sabun is gone, kopi costs more, a shampoo came, and 8991 is now the shampoo's barcode. */
const SECOND = 'pusat,B2,KOPI BUBUK KAPAL API 165G,UMUM,,PCS,1,"",L,,,,1700,4\npusat,C3,MNYK GRG BIMOLI 2L,UMUM,,PCS,1,"8993",L,,,,38000,2\n' +
  'pusat,D4,SAMPO BAYI 200ML,UMUM,,BTL,1,"8991",L,,,,21000,6\n';
const QUESTIONS = ['sabun', 'kopi kapal api', 'minyak goreng', '8991', 'a1', 'sampo', 'qwxzv', 'mnyk'];

interface Scene {
  dir: string;
  stores: OpsStores;
  /** How many times a search read every item of a list (built its index). */
  itemReads: number;
  publish(csv: string, contentHash: string): Promise<void>;
  /** A new search over the stores, as a new process makes (nothing in memory), with the cache in `dir` unless `cache` is false. */
  search(options?: PriceSearchOptions & { cache?: boolean }): PriceSearch;
  cacheFile(): string;
}

async function withScene(fn: (s: Scene) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), `tokobot-index-cache-${process.pid}-`));
  try {
    const scene: Scene = {
      dir, stores: createMemoryStores(), itemReads: 0,
      async publish(csv, contentHash) {
        const csvPath = path.join(dir, `${contentHash}.csv`);
        writeFileSync(`${csvPath}.tmp`, HEADER + csv);
        const runId = await scene.stores.runs.start('pusat', 'cli');
        await scene.stores.priceLists.publish({ store: 'pusat', runId, tmpCsvPath: `${csvPath}.tmp`, csvPath, contentHash, sourceFile: `${contentHash}.i5bu`,
          sourceModified: null, archive: {}, rowCount: csv.trim().split('\n').length, stages: [] });
      },
      search({ cache = true, ...options } = {}) {
        const reads: Pick<PriceLists, 'published' | 'items' | 'prices'> = {
          published: (store) => scene.stores.priceLists.published(store),
          items: (store) => { scene.itemReads++; return scene.stores.priceLists.items(store); },
          prices: (store, codes) => scene.stores.priceLists.prices(store, codes),
        };
        return new PriceSearch(reads, { ...options, ...(cache ? { indexCache: new IndexCache(dir) } : {}) });
      },
      cacheFile: () => path.join(dir, 'search', 'pusat.index'),
    };
    await fn(scene);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function answers(search: PriceSearch): Promise<unknown[]> {
  const all = [];
  for (const q of QUESTIONS) all.push({ q, found: await search.search('pusat', q), close: await search.suggest('pusat', q) });
  return all;
}

const found = async (search: PriceSearch, q: string) => (await search.search('pusat', q)).items.map((i) => `${i.kodeitem} ${i.entries[0]?.hargajual}`);

test('an index read from the cache answers as the index built from the list, in both price modes, without reading the items', () => withScene(async (s) => {
  await s.publish(FIRST, 'h1');
  for (const prices of ['per-question', 'in-memory'] as const) {
    const built = await answers(s.search({ cache: false, prices }));
    rmSync(path.join(s.dir, 'search'), { recursive: true, force: true });
    s.itemReads = 0;
    assert.deepEqual(await answers(s.search({ prices })), built, `${prices}: the first search builds and writes`);
    assert.equal(s.itemReads, 1);
    assert.ok(existsSync(s.cacheFile()));
    assert.deepEqual(await answers(s.search({ prices })), built, `${prices}: the next process reads the cache`);
    assert.equal(s.itemReads, 1, 'the cached index is used: the items are not read again');
  }
  assert.deepEqual(await found(s.search(), 'sabun'), ['A1 3000']);
}));

test('after a new publication the old cache is not used: the answers are the new list\'s, and the cache is replaced', () => withScene(async (s) => {
  await s.publish(FIRST, 'h1');
  assert.deepEqual(await found(s.search(), 'sabun'), ['A1 3000']);
  assert.deepEqual(await found(s.search(), '8991'), ['A1 3000']);
  await s.publish(SECOND, 'h2');
  s.itemReads = 0;
  const search = s.search();
  assert.deepEqual(await found(search, 'sabun'), [], 'sabun left the list');
  assert.deepEqual(await found(search, '8991'), ['D4 21000'], 'the barcode now belongs to the shampoo');
  assert.deepEqual(await found(search, 'sampo'), ['D4 21000']);
  assert.deepEqual(await found(search, 'kopi'), ['B2 1700']);
  assert.equal(s.itemReads, 1, 'the index of the new list was built');
  assert.deepEqual(await answers(s.search()), await answers(s.search({ cache: false })));
  assert.equal(s.itemReads, 2, 'and then read from the cache');
  assert.deepEqual(readdirSync(path.join(s.dir, 'search')), ['pusat.index'], 'one file per store: the old publication\'s is gone');
}));

test('the same run id in another ops database (another publication) does not take the cache of the first', () => withScene(async (s) => {
  await s.publish(FIRST, 'h1');
  assert.deepEqual(await found(s.search(), 'sabun'), ['A1 3000']);
  const first = await s.stores.priceLists.published('pusat');
  s.stores = createMemoryStores(); // a new ops database: its run ids start again
  await s.publish(SECOND, 'h2');
  assert.equal((await s.stores.priceLists.published('pusat'))?.runId, first?.runId);
  assert.deepEqual(await found(s.search(), 'sabun'), []);
  assert.deepEqual(await found(s.search(), 'sampo'), ['D4 21000']);
}));

/** Writes `body` as a cache file with a checksum that holds, as IndexCache writes one. */
function writeWithChecksum(file: string, body: Buffer): void {
  writeFileSync(file, Buffer.concat([createHash('sha256').update(body).digest(), body]));
}

test('a damaged, foreign or forged cache file is not used: the index is built again and the file rewritten', () => withScene(async (s) => {
  await s.publish(FIRST, 'h1');
  const expected = await answers(s.search({ cache: false }));
  await answers(s.search());
  const good = readFileSync(s.cacheFile());
  const stored = v8.deserialize(good.subarray(32)) as { key: string; parts: Record<string, unknown> };
  // A letter of a name changed: still a well-formed index, which only the checksum tells from the one written.
  const flipped = Buffer.from(good);
  const at = good.indexOf('SABUN MANDI');
  assert.ok(at > 0);
  flipped[at] = 'T'.charCodeAt(0);
  const forged = { ...stored.parts, postings: new Int32Array((stored.parts.postings as Int32Array).length).fill(99) };
  const damage: [string, () => void][] = [
    ['truncated', () => writeFileSync(s.cacheFile(), good.subarray(0, good.length / 2))],
    ['a byte changed', () => writeFileSync(s.cacheFile(), flipped)],
    ['not an index', () => writeFileSync(s.cacheFile(), 'hello')],
    ['empty', () => writeFileSync(s.cacheFile(), '')],
    ['another store\'s index', () => writeWithChecksum(s.cacheFile(), v8.serialize({ ...stored, key: stored.key.replace('"pusat"', '"cabang"') }))],
    ['another format', () => writeWithChecksum(s.cacheFile(), v8.serialize({ key: stored.key, parts: { words: stored.parts.words } }))],
    ['items out of range', () => writeWithChecksum(s.cacheFile(), v8.serialize({ key: stored.key, parts: forged }))],
    ['a name\'s first word out of range', () => writeWithChecksum(s.cacheFile(), v8.serialize({ key: stored.key,
      parts: { ...stored.parts, heads: new Int32Array((stored.parts.heads as Int32Array).length).fill(99999) } }))],
    ['per-item figures missing (an index of an older format)', () => writeWithChecksum(s.cacheFile(), v8.serialize({ key: stored.key,
      parts: { ...stored.parts, variants: undefined, sizeKinds: undefined } }))],
  ];
  for (const [what, spoil] of damage) {
    spoil();
    s.itemReads = 0;
    assert.deepEqual(await answers(s.search()), expected, what);
    assert.equal(s.itemReads, 1, `${what}: built again`);
    assert.deepEqual(readFileSync(s.cacheFile()), good, `${what}: the file is written anew`);
  }
}));

test('nothing is cached for a store that has no list yet', () => withScene(async (s) => {
  assert.deepEqual((await s.search().search('pusat', 'sabun')).items, []);
  assert.equal(existsSync(s.cacheFile()), false);
  await s.publish(FIRST, 'h1');
  assert.deepEqual(await found(s.search(), 'sabun'), ['A1 3000']);
  assert.equal(existsSync(s.cacheFile()), true);
}));

test('a cache that cannot be written costs the build, not the answer', () => withScene(async (s) => {
  await s.publish(FIRST, 'h1');
  const dataDir = path.join(s.dir, 'not-a-folder');
  writeFileSync(dataDir, '');
  const search = new PriceSearch(s.stores.priceLists, { prices: 'per-question', indexCache: new IndexCache(dataDir) });
  assert.deepEqual((await search.search('pusat', 'sabun')).items.map((i) => i.kodeitem), ['A1']);
}));

test('a temporary file left by a writer that died is removed by the next write; a recent one is left to its writer', () => withScene(async (s) => {
  await s.publish(FIRST, 'h1');
  await answers(s.search());
  const old = `${s.cacheFile()}.999999.tmp`;
  const recent = `${s.cacheFile()}.888888.tmp`;
  const otherStore = path.join(s.dir, 'search', 'cabang.index.777777.tmp');
  for (const f of [old, recent, otherStore]) writeFileSync(f, 'partial');
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(old, hourAgo, hourAgo);
  utimesSync(otherStore, hourAgo, hourAgo);
  await s.publish(SECOND, 'h2');
  await answers(s.search());
  assert.deepEqual([existsSync(old), existsSync(recent), existsSync(otherStore)], [false, true, true]);
}));

test('an index read back from its parts is the index: codes, ranking, close names', () => {
  const items = [
    { kodeitem: 'BRG1', namaitem: 'INDOMIE GRG 85G', codes: ['BRG1', '8998866200301'] },
    { kodeitem: 'BRG2', namaitem: 'INDOMIE SOTO 75G', codes: ['BRG2', '8998866200301'] },
    // Lists published before the items query dropped them hold a null code for a row without a barcode.
    { kodeitem: 'BRG3', namaitem: 'MNYK GRG BIMOLI 2L', codes: [null as unknown as string, 'BRG3'] },
    // ... and repeat a barcode used as the item code.
    { kodeitem: '8991002101104', namaitem: 'KOPI KAPAL API', codes: ['8991002101104', '8991002101104'] },
  ];
  const built = new PriceIndex(items);
  const read = new PriceIndex(v8.deserialize(v8.serialize(built.parts)));
  for (const index of [built, read]) {
    assert.deepEqual(index.exact('8998866200301').map((i) => i.kodeitem), ['BRG1', 'BRG2'], 'a shared barcode finds both, in list order');
    assert.deepEqual(index.exact('brg3'), [{ kodeitem: 'BRG3', namaitem: 'MNYK GRG BIMOLI 2L' }]);
    assert.deepEqual(index.exact('BRG'), []);
    assert.deepEqual(index.exact('8991002101104').map((i) => i.kodeitem), ['8991002101104'], 'found once');
    assert.deepEqual(index.rank('indomie').ranked.map((r) => r.item.kodeitem), ['BRG1', 'BRG2'], 'the shorter name first');
    assert.deepEqual(index.rank('minyak goreng').ranked[0]?.item, { kodeitem: 'BRG3', namaitem: 'MNYK GRG BIMOLI 2L' });
    assert.deepEqual(index.closeNames('indomia sato').slice(0, 2), ['INDOMIE SOTO 75G', 'INDOMIE GRG 85G']);
  }
});
