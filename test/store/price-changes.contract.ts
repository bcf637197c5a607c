import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PriceChange } from '../../src/pipeline/price-changes.ts';
import type { MakeStores } from './stores-under-test.ts';

const change = (kodeitem: string, over: Partial<PriceChange> = {}): PriceChange => ({
  kind: 'price-up', kodeitem, namaitem: `BARANG ${kodeitem}`, satuan: 'PCS', konversi: '1', level: '', jmlsampai: '',
  before: '1000', after: '1250.5', cost: '800', flags: [], ...over,
});

const HOUR = 3_600_000;
const around = (from: Date, hours: number) => [new Date(from.getTime() - hours * HOUR), new Date(from.getTime() + hours * HOUR)] as const;

/** The contract of PriceChangeLog (src/store/price-changes.ts). */
export function priceChangeLogContract(make: MakeStores, skip?: string): void {
  test('price changes: counted once the run succeeds, as recorded; a failed run never shows and is removed', { skip }, async () => {
    const { runs, priceChanges } = await make();
    const ok = await runs.start('pusat', 'cli');
    const recorded = [change('A', { flags: ['big-change', 'below-cost'] }), change('B', { kind: 'item-added', satuan: '', konversi: '', before: null, after: null, cost: null }),
      change('C', { kind: 'tier-removed', level: '1', jmlsampai: '11', before: '900', after: null, cost: null })];
    await priceChanges.record('pusat', ok, 'pusat_1.csv', recorded);
    const [from, to] = around(new Date(), 1);
    assert.deepEqual(await priceChanges.since('pusat', from, to), [], 'not before the publication commits');
    await runs.update(ok, {}, 'success');
    const seen = await priceChanges.since('pusat', from, to);
    assert.deepEqual(seen.map(({ publishedAt, ...c }) => c), recorded.map((c) => ({ ...c, store: 'pusat', runId: ok })));
    assert.ok(seen.every((c) => c.publishedAt instanceof Date));
    const bad = await runs.start('pusat', 'cli');
    await priceChanges.record('pusat', bad, 'pusat_2.csv', [change('X')]);
    await runs.update(bad, { error: 'x' }, 'failed');
    assert.equal((await priceChanges.since('pusat', from, to)).length, 3);
    const again = await runs.start('pusat', 'cli');
    await priceChanges.record('pusat', again, 'pusat_2.csv', [change('D')]);
    await priceChanges.record('pusat', again, 'pusat_2.csv', [change('E'), change('F')]);
    await runs.update(again, {}, 'success');
    assert.deepEqual((await priceChanges.since('pusat', from, to)).map((c) => c.kodeitem), ['A', 'B', 'C', 'E', 'F'], 'a run recorded again is replaced');
    assert.deepEqual((await priceChanges.claimAnnouncements(from)).map((a) => a.runId), [ok, again], 'the failed run is never announced');
  });

  test('price changes: since reads one store or all, within [from, to)', { skip }, async () => {
    const { runs, priceChanges } = await make();
    for (const store of ['pusat', 'cabang']) {
      const id = await runs.start(store, 'cli');
      await priceChanges.record(store, id, null, [change(`${store}-1`)]);
      await runs.update(id, {}, 'success');
    }
    const [from, to] = around(new Date(), 1);
    assert.deepEqual((await priceChanges.since('cabang', from, to)).map((c) => c.kodeitem), ['cabang-1']);
    assert.deepEqual((await priceChanges.since(null, from, to)).map((c) => c.kodeitem).sort(), ['cabang-1', 'pusat-1']);
    assert.deepEqual(await priceChanges.since(null, to, new Date(to.getTime() + HOUR)), []);
    assert.deepEqual(await priceChanges.since(null, new Date(from.getTime() - HOUR), from), []);
  });

  test('price changes: each publication is announced once; those before notBefore are passed over for good', { skip }, async () => {
    const { runs, priceChanges } = await make();
    const a = await runs.start('pusat', 'cli');
    await priceChanges.record('pusat', a, null, [change('A'), change('B')]);
    await runs.update(a, {}, 'success');
    const [past, future] = around(new Date(), 1);
    const [first, second] = await Promise.all([priceChanges.claimAnnouncements(past), priceChanges.claimAnnouncements(past)]);
    const claimed = [...first!, ...second!];
    assert.equal(claimed.length, 1, 'two claims at once tell it once');
    assert.deepEqual(claimed[0]!.changes.map((c) => c.kodeitem), ['A', 'B']);
    assert.equal(claimed[0]!.store, 'pusat');
    assert.deepEqual(await priceChanges.claimAnnouncements(past), []);
    const b = await runs.start('pusat', 'cli');
    await priceChanges.record('pusat', b, null, [change('C')]);
    await runs.update(b, {}, 'success');
    assert.deepEqual(await priceChanges.claimAnnouncements(future), [], 'too old to tell');
    assert.deepEqual(await priceChanges.claimAnnouncements(past), [], 'and not told later either');
  });

  test('price changes: a publication that changed everything is kept whole (12,345 changes)', { skip }, async () => {
    const { runs, priceChanges } = await make();
    const id = await runs.start('pusat', 'cli');
    await priceChanges.record('pusat', id, null, Array.from({ length: 12_345 }, (_, i) => change(`K${i}`)));
    await runs.update(id, {}, 'success');
    const all = await priceChanges.since('pusat', ...around(new Date(), 1));
    assert.equal(all.length, 12_345);
    assert.equal(all.at(-1)!.kodeitem, 'K12344');
  });

  test('price changes: who asked to be told, or not', { skip }, async () => {
    const { priceChanges } = await make();
    assert.equal(await priceChanges.subscribed(7), null);
    await priceChanges.subscribe(7, true);
    await priceChanges.subscribe(8, false);
    await priceChanges.subscribe(7, false);
    assert.equal(await priceChanges.subscribed(7), false);
    assert.deepEqual([...await priceChanges.subscriptions()].sort(), [[7, false], [8, false]]);
  });
}
