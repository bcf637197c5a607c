import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PriceIndex, type IndexedItem } from '../../src/pipeline/search/price-index.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';

/**
 * A fixed set of questions over the small fixture store (made by the deterministic generator):
 * full names, swapped words, typos, iPOS shorthand spelled out, "berapa harga ...?" questions,
 * item codes and barcodes. If the generator changes its data, regenerate the set.
 */
const queries: { kind: string; query: string; expect: string }[] = JSON.parse(
  readFileSync(new URL('./search-queries.json', import.meta.url), 'utf8'));
const skip = await requireLocalPg();
let index: PriceIndex;
let names: Map<string, string>;

before(async () => {
  if (skip) return;
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  const items = new Map<string, IndexedItem>();
  for (const r of fixture.expectedRows) {
    const item = items.get(r.kodeitem) ?? { kodeitem: r.kodeitem, namaitem: r.namaitem, codes: [r.kodeitem.toUpperCase()] };
    if (r.barcode && !item.codes.includes(r.barcode)) item.codes.push(r.barcode);
    items.set(r.kodeitem, item);
  }
  index = new PriceIndex([...items.values()]);
  names = new Map([...items.values()].map((i) => [i.kodeitem, i.namaitem]));
});

const ranked = (q: string) => {
  const exact = index.exact(q);
  return exact.length ? exact.map((i) => i.kodeitem) : index.rank(q).ranked.map((r) => r.item.kodeitem);
};

test('the set covers every kind of question, 50 or more', () => {
  assert.ok(queries.length >= 50);
  for (const kind of ['name', 'swapped', 'typo', 'shorthand', 'question', 'code', 'barcode']) assert.ok(queries.some((q) => q.kind === kind), kind);
});

test('the expected item is in the top 10 for at least 95% of the questions', { skip }, () => {
  const misses = queries.filter((q) => { const pos = ranked(q.query).indexOf(q.expect); return pos < 0 || pos >= 10; });
  const rate = 1 - misses.length / queries.length;
  assert.ok(rate >= 0.95, `hit rate ${(rate * 100).toFixed(1)}%; misses: ${misses.map((m) => `${m.query} → ${names.get(m.expect)}`).join('; ')}`);
});

test('codes and barcodes always come first', { skip }, () => {
  for (const q of queries.filter((x) => x.kind === 'code' || x.kind === 'barcode')) assert.equal(ranked(q.query)[0], q.expect, q.query);
});

test('a question that matches nothing gets close names when a word is a letter off, and none for nonsense', { skip }, () => {
  const name = queries.find((q) => q.kind === 'name' && q.query.split(' ')[0]!.length >= 4)!.query;
  const garbled = name.split(' ')[0]!.replace(/(?<=.)[aeiou]/, 'x');
  assert.deepEqual(index.rank('qqqq zzzz').ranked, []);
  assert.ok(index.closeNames(garbled).length > 0, garbled);
  assert.deepEqual(index.closeNames('qqqq zzzz'), []);
});
