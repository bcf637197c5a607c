import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { exportPriceCsv } from '../../src/pipeline/export-csv.ts';
import { validatePriceCsv } from '../../src/pipeline/validate-prices.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { comparePriceRows, type PriceRow } from '../fixtures/expected-prices.ts';
import { dropScratchDb, LOCAL_PG_URL, requireLocalPg, TEST_RESTORE_ROLE } from '../helpers/local-pg.ts';
import { ExternalPostgres } from '../../src/adapters/postgres/external-postgres.ts';
import { scratchOps, type ScratchOps } from '../helpers/scratch-ops.ts';
import { restoreArchive } from '../../src/adapters/postgres/archive-restorer.ts';

const skip = await requireLocalPg();
const ipos = `tokobot_t_export_${process.pid}`;
const opsName = `tokobot_t_exportops_${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-export-'));
const csvPath = path.join(dir, 'toko1.csv');
let fixture: SharedFixture;
let ops: ScratchOps;

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  // As a sync does: restored as the restore role, with pg_restore where this machine has it, else
  // tokobot's own restorer (the two agree: archive-restorer.test.ts); exported as that role.
  const target = new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE, restorer: (file, client) => restoreArchive(file, client) });
  await target.ensure();
  await dropScratchDb(ipos);
  await target.createDatabase(ipos);
  await target.restore(fixture.i5buPath, ipos);
  await exportPriceCsv(target, ipos, 'toko1', csvPath);
  ops = await scratchOps(opsName);
});

after(async () => {
  await ops?.close();
  await dropScratchDb(ipos);
  rmSync(dir, { recursive: true, force: true });
});

test('the exported CSV equals the prices computed independently from the fixture data', { skip }, () => {
  const parsed = Papa.parse<PriceRow>(readFileSync(csvPath, 'utf8'), { header: true, skipEmptyLines: true });
  assert.deepEqual(parsed.errors, []);
  const got = [...parsed.data].sort(comparePriceRows);
  const want = [...fixture.expectedRows].sort(comparePriceRows);
  assert.ok(want.length > 500, `fixture too small: ${want.length} rows`);
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.deepEqual(got[i], want[i], `row ${i + 1}`);
  for (const system of ['O', 'S', 'L', 'J']) assert.ok(got.some((r) => r.sistemhargajual === system), `no ${system} rows`);
});

test('the export passes validation and is published, then found by code, barcode and name', { skip }, async () => {
  const report = await validatePriceCsv(csvPath, { previousRows: null, maxDrop: 0.2 });
  assert.equal(report.ok, true, report.summary);
  assert.equal(report.rows, fixture.expectedRows.length);

  const runId = await ops.stores.runs.start('toko1', 'test');
  await ops.stores.priceLists.publish({ store: 'toko1', runId, csvPath, tmpCsvPath: csvPath, contentHash: 'h', sourceFile: 'f.i5bu', sourceModified: null,
    archive: {}, rowCount: report.rows, stages: [] });
  const count = await ops.pool.query("SELECT count(*)::int AS n FROM price_rows WHERE store = 'toko1'");
  assert.equal(count.rows[0].n, report.rows);

  const withBarcode = fixture.expectedRows.find((r) => r.barcode !== '' && r.kodeitem !== r.barcode)!;
  const byBarcode = await new PriceSearch(ops.stores.priceLists).search('toko1', withBarcode.barcode);
  assert.equal(byBarcode.exact, true);
  assert.equal(byBarcode.items[0]?.kodeitem, withBarcode.kodeitem);

  const byCode = await new PriceSearch(ops.stores.priceLists).search('toko1', withBarcode.kodeitem.toLowerCase());
  assert.equal(byCode.items[0]?.kodeitem, withBarcode.kodeitem);

  // The name's words reversed, with one letter dropped from the longest word.
  const words = withBarcode.namaitem.split(' ').reverse();
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const typo = words.map((w) => (w === longest ? w.slice(0, 2) + w.slice(3) : w)).join(' ').toLowerCase();
  const byName = await new PriceSearch(ops.stores.priceLists).search('toko1', typo);
  assert.ok(byName.items.some((i) => i.kodeitem === withBarcode.kodeitem), `"${typo}" did not find ${withBarcode.namaitem}`);
  const item = byName.items.find((i) => i.kodeitem === withBarcode.kodeitem)!;
  assert.equal(item.entries.length, fixture.expectedRows.filter((r) => r.kodeitem === withBarcode.kodeitem).length);

  const none = await new PriceSearch(ops.stores.priceLists).search('toko1', 'qwxzv jjjkkk');
  assert.equal(none.items.length, 0);

  // tokobot ask reads only the index and then the rows of what it shows: the same answers.
  const inMemory = new PriceSearch(ops.stores.priceLists);
  const perQuestion = new PriceSearch(ops.stores.priceLists, { prices: 'per-question' });
  for (const q of [withBarcode.barcode, withBarcode.kodeitem, typo, words.slice(0, 2).join(' '), 'qwxzv']) {
    for (const offset of [0, 10]) assert.deepEqual(await perQuestion.search('toko1', q, { offset }), await inMemory.search('toko1', q, { offset }), q);
  }
  assert.deepEqual(await perQuestion.item('toko1', withBarcode.kodeitem), await inMemory.item('toko1', withBarcode.kodeitem));
  assert.equal(await perQuestion.item('toko1', 'NO-SUCH-ITEM'), null);
});
