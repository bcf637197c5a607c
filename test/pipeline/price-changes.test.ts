import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { biggestFirst, changeAmount, comparePriceFiles, countChanges, withoutCost, type ChangeFlag, type PriceChange } from '../../src/pipeline/price-changes.ts';
import { recordChanges } from '../../src/pipeline/record-changes.ts';
import { generateStore, mutate, writeList, type Mutations, type Row } from '../helpers/list-pairs.ts';

const dir = mkdtempSync(path.join(tmpdir(), `tokobot-F-changes-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

const flagCounts = (changes: PriceChange[]) => {
  const counts: Record<ChangeFlag, number> = { 'below-cost': 0, 'big-change': 0, 'unit-ratio': 0 };
  for (const c of changes) for (const f of c.flags) counts[f]++;
  return counts;
};

const NONE: Mutations = { added: 0, removed: 0, raised: 0, lowered: 0, unitsAdded: 0, unitsRemoved: 0, levelsAdded: 0, levelsRemoved: 0,
  tiersAdded: 0, tiersRemoved: 0, belowCost: 0, tripled: 0, oddBoxes: 0, oddUnitsAdded: 0 };

async function compare(name: string, before: Row[], after: Row[]) {
  return comparePriceFiles(writeList(dir, `${name}-before.csv`, before), writeList(dir, `${name}-after.csv`, after));
}

// Pairs of stores of different sizes and seeds, each with every kind of difference in known numbers.
for (const [store, n, seed, m] of [
  ['kecil', 40, 1, { added: 3, removed: 2, raised: 4, lowered: 1, unitsAdded: 2, unitsRemoved: 1, levelsAdded: 2, levelsRemoved: 3, tiersAdded: 1, tiersRemoved: 2, belowCost: 1, tripled: 2, oddBoxes: 1, oddUnitsAdded: 1 }],
  ['besar', 600, 7, { added: 25, removed: 30, raised: 50, lowered: 40, unitsAdded: 11, unitsRemoved: 9, levelsAdded: 13, levelsRemoved: 17, tiersAdded: 19, tiersRemoved: 23, belowCost: 7, tripled: 5, oddBoxes: 3, oddUnitsAdded: 4 }],
] as const) {
  test(`store ${store}: every change counted exactly, by kind and by flag`, async () => {
    const before = generateStore(store, n, seed);
    const { after: changed, expected } = mutate(before, m, seed + 100);
    const changes = await compare(store, before, changed);
    assert.deepEqual(countChanges(changes), expected.counts);
    assert.deepEqual(flagCounts(changes), expected.flags);
    assert.equal(changes.length, Object.values(expected.counts).reduce((a, b) => a + b, 0), 'no change counted twice');
  });
}

test('an unchanged list has no changes, and a price written "3500.0" is the price 3500', async () => {
  const rows = generateStore('sama', 30, 3);
  assert.deepEqual(await compare('same', rows, rows), []);
  const rewritten = rows.map((r) => ({ ...r, hargajual: `${r.hargajual}.0` }));
  assert.deepEqual(await compare('same-decimals', rows, rewritten), []);
});

test('a price change carries its amount and percent; flags and cost as an admin sees them', async () => {
  const before = generateStore('satu', 1, 9);
  const o = before.find((r) => r.kodeitem === 'O0')!;
  const after = before.map((r) => (r === o ? { ...r, hargajual: String(Number(r.hargapokok) - 100) } : r));
  const [c] = await compare('one', before, after);
  assert.ok(c);
  assert.equal(c.kind, 'price-down');
  assert.equal(c.before, o.hargajual);
  assert.equal(c.cost, o.hargapokok);
  const { amount, percent } = changeAmount(c);
  assert.equal(amount, Number(o.hargapokok) - 100 - Number(o.hargajual));
  assert.equal(percent, (amount! / Number(o.hargajual)) * 100);
  assert.deepEqual(c.flags.includes('below-cost'), true);
  const [shown] = withoutCost([c]);
  assert.equal(shown!.cost, null);
  assert.ok(!shown!.flags.includes('below-cost'), 'an admin is not told a price is under its cost');
});

test('biggest first: flagged changes, then by percent', async () => {
  const before = generateStore('urut', 20, 4);
  const { after } = mutate(before, { ...NONE, raised: 3, lowered: 3, tripled: 1 }, 44);
  const ordered = biggestFirst(await compare('order', before, after));
  assert.ok(ordered[0]!.flags.includes('big-change'));
  const rest = ordered.slice(1).map((c) => Math.abs(changeAmount(c).percent!));
  assert.deepEqual(rest, [...rest].sort((a, b) => b - a));
});

test('recording never fails a sync: no list before, a list before gone, a log that refuses', async () => {
  const rows = generateStore('catat', 5, 8);
  const now = writeList(dir, 'record-now.csv', rows);
  const { after: changed } = mutate(rows, { ...NONE, raised: 2 }, 88);
  const before = writeList(dir, 'record-before.csv', changed);
  const recorded: [string, number, string | null, number][] = [];
  const warned: unknown[] = [];
  const deps = (fail = false) => ({
    log: { record: async (store: string, runId: number, previous: string | null, changes: readonly PriceChange[]) => {
      if (fail) throw new Error('ops database gone');
      recorded.push([store, runId, previous, changes.length]);
    } },
    logger: { warn: (o: unknown) => { warned.push(o); } },
  });
  assert.equal(await recordChanges(deps(), 'catat', 1, null, now), null, 'the first publication has nothing to compare with');
  assert.equal(await recordChanges(deps(), 'catat', 2, before, now), 2);
  assert.deepEqual(recorded, [['catat', 2, 'record-before.csv', 2]]);
  assert.equal(await recordChanges(deps(), 'catat', 3, path.join(dir, 'gone.csv'), now), null);
  assert.equal(await recordChanges(deps(true), 'catat', 4, before, now), null);
  assert.equal(warned.length, 2);
});
