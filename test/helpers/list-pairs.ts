import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../fixtures/prng.ts';
import { PRICE_COLUMNS } from '../../src/pipeline/price-rules.ts';
import type { ChangeFlag, ChangeKind } from '../../src/pipeline/price-changes.ts';

/** One row of a published list, every column as the CSV holds it. */
export type Row = Record<(typeof PRICE_COLUMNS)[number], string>;

const row = (store: string, code: string, system: string, over: Partial<Row>): Row => ({
  store, kodeitem: code, namaitem: `BARANG ${code}`, jenis: 'UMUM', merek: '', satuan: 'PCS', konversi: '1', barcode: '',
  sistemhargajual: system, level: '', jmlsampai: '', hargapokok: '', hargajual: '', stok: '10', ...over,
});

/**
 * A store's list: `n` items of each price system, prices that hold together (a BOX of 10 costs
 * 9.5 pieces, costs are 80 % of prices), so that nothing in it is flagged before a change.
 */
export function generateStore(store: string, n: number, seed: number): Row[] {
  const next = mulberry32(seed);
  const price = () => 1000 * (1 + Math.floor(next() * 50));
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const [p, q, r, s] = [price(), price(), price(), price()];
    rows.push(row(store, `O${i}`, 'O', { hargajual: String(p), hargapokok: String(p * 0.8) }));
    rows.push(row(store, `S${i}`, 'S', { hargajual: String(q), hargapokok: String(q * 0.8) }),
      row(store, `S${i}`, 'S', { satuan: 'BOX', konversi: '10', hargajual: String(q * 9.5), hargapokok: String(q * 8) }));
    for (const level of [1, 2, 3]) rows.push(row(store, `L${i}`, 'L', { level: String(level), hargajual: String(r - (level - 1) * 100), hargapokok: String(r * 0.8) }));
    for (const [k, upTo] of [2, 11, 9999].entries()) rows.push(row(store, `J${i}`, 'J', { level: '1', jmlsampai: String(upTo), hargajual: String(s - k * 100), hargapokok: String(s * 0.8) }));
  }
  return rows;
}

/** What `mutate` changed, as the comparison must count it. */
export interface Expected {
  counts: Record<ChangeKind, number>;
  flags: Record<ChangeFlag, number>;
}

/** How many of each change `mutate` makes (each on items of its own). */
export interface Mutations {
  added: number; removed: number; raised: number; lowered: number;
  unitsAdded: number; unitsRemoved: number; levelsAdded: number; levelsRemoved: number; tiersAdded: number; tiersRemoved: number;
  /** Prices lowered under their cost (by 44 %: not a big change). */
  belowCost: number;
  /** Prices tripled (+200 %). */
  tripled: number;
  /** BOX prices made 12 times their worth: a big change, and a BOX ten times a PCS per piece. */
  oddBoxes: number;
  /** Units added priced at 1/1000 of the piece per piece: a unit-ratio flag on a unit that came. */
  oddUnitsAdded: number;
}

/**
 * The list after the given changes, each on items of its own chosen from `rows` (at most a
 * tenth of the items of a system per kind), and the changes as they must be counted.
 */
export function mutate(rows: Row[], m: Mutations, seed: number): { after: Row[]; expected: Expected } {
  const next = mulberry32(seed);
  const store = rows[0]!.store;
  const codes = (prefix: string) => [...new Set(rows.map((r) => r.kodeitem).filter((c) => c.startsWith(prefix)))].sort(() => next() - 0.5);
  const pools = { O: codes('O'), S: codes('S'), L: codes('L'), J: codes('J') };
  const take = (system: keyof typeof pools, k: number) => {
    if (pools[system].length < k) throw new Error(`not enough ${system} items for the mutations`);
    return new Set(pools[system].splice(0, k));
  };
  const removed = take('O', m.removed), raised = take('O', m.raised), lowered = take('O', m.lowered), belowCost = take('O', m.belowCost), tripled = take('O', m.tripled);
  const unitsAdded = take('S', m.unitsAdded), unitsRemoved = take('S', m.unitsRemoved), oddBoxes = take('S', m.oddBoxes), oddUnits = take('S', m.oddUnitsAdded);
  const levelsAdded = take('L', m.levelsAdded), levelsRemoved = take('L', m.levelsRemoved);
  const tiersAdded = take('J', m.tiersAdded), tiersRemoved = take('J', m.tiersRemoved);
  const after: Row[] = [];
  const scaled = (r: Row, f: number) => ({ ...r, hargajual: String(Math.round(Number(r.hargajual) * f)) });
  for (const r of rows) {
    const c = r.kodeitem;
    if (removed.has(c)) continue;
    if (unitsRemoved.has(c) && r.satuan === 'BOX') continue;
    if (levelsRemoved.has(c) && r.level === '3') continue;
    if (tiersRemoved.has(c) && r.jmlsampai === '11') continue;
    if (raised.has(c)) after.push(scaled(r, 1.1));
    else if (lowered.has(c)) after.push(scaled(r, 0.9));
    else if (belowCost.has(c)) after.push({ ...r, hargajual: String(Number(r.hargapokok) * 0.7) });
    else if (tripled.has(c)) after.push(scaled(r, 3));
    else if (oddBoxes.has(c) && r.satuan === 'BOX') after.push(scaled(r, 12));
    else after.push(r);
    if (r.satuan !== 'PCS') continue;
    if (unitsAdded.has(c)) after.push({ ...r, satuan: 'DUS', konversi: '40', hargajual: String(Number(r.hargajual) * 38) });
    if (oddUnits.has(c)) after.push({ ...r, satuan: 'RENTENG', konversi: '1000', hargajual: String(Number(r.hargajual)) });
    if (levelsAdded.has(c) && r.level === '3') after.push({ ...r, level: '4', hargajual: String(Number(r.hargajual) - 100) });
    if (tiersAdded.has(c) && r.jmlsampai === '9999') after.push({ ...r, jmlsampai: '50', hargajual: String(Number(r.hargajual) - 50) });
  }
  for (let i = 0; i < m.added; i++) after.push(row(store, `NEW${seed}-${i}`, 'O', { hargajual: '5000', hargapokok: '4000' }));
  return {
    after,
    expected: {
      counts: {
        'price-up': m.raised + m.tripled + m.oddBoxes, 'price-down': m.lowered + m.belowCost, 'item-added': m.added, 'item-removed': m.removed,
        'unit-added': m.unitsAdded + m.oddUnitsAdded, 'unit-removed': m.unitsRemoved, 'level-added': m.levelsAdded, 'level-removed': m.levelsRemoved,
        'tier-added': m.tiersAdded, 'tier-removed': m.tiersRemoved,
      },
      flags: { 'below-cost': m.belowCost, 'big-change': m.tripled + m.oddBoxes, 'unit-ratio': m.oddBoxes + m.oddUnitsAdded },
    },
  };
}

const quoted = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes rows as a published CSV (header PRICE_COLUMNS) at dir/name; returns its path. */
export function writeList(dir: string, name: string, rows: Row[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${[PRICE_COLUMNS.join(','), ...rows.map((r) => PRICE_COLUMNS.map((c) => quoted(r[c])).join(','))].join('\n')}\n`);
  return file;
}
