import { eachCsvRow } from './csv-rows.ts';

/**
 * What a publication changed against the list before it, every change counted (the pages and
 * messages cap only what they show). Items are compared by code; within an item, by unit
 * (satuan), and within a unit by its price entry (level and quantity tier, jmlsampai): see
 * shared/ipos5/README.md for the price systems.
 */
export type ChangeKind =
  | 'item-added' | 'item-removed'
  | 'unit-added' | 'unit-removed'
  | 'level-added' | 'level-removed'
  | 'tier-added' | 'tier-removed'
  | 'price-up' | 'price-down';

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'price-up', 'price-down', 'item-added', 'item-removed', 'unit-added', 'unit-removed', 'level-added', 'level-removed', 'tier-added', 'tier-removed',
];

/**
 * Why a change looks like a typo at the till: its price below its cost (owners only: cost is
 * never shown to others), a change of more than half, or a unit's price per base unit ten times
 * another unit's of the same item (or a tenth of it).
 */
export type ChangeFlag = 'below-cost' | 'big-change' | 'unit-ratio';

/** A change above this percent (either way) is flagged: shops move prices by a few percent; 50 % is a slipped digit or a wrong unit. */
export const BIG_CHANGE_PERCENT = 50;
/** Units of one item whose prices per base unit differ more than this many times: a box priced like a piece, or the reverse. */
export const UNIT_RATIO = 10;

/**
 * One change. Item changes carry the item only (satuan, level and jmlsampai '', no prices); unit
 * changes the unit and the price of its first entry (after for a unit added, before for one
 * removed); the rest one price entry. Prices and cost as the CSV wrote them; cost is the list's
 * hargapokok after the change (before it, for what was removed), null when it has none.
 */
export interface PriceChange {
  kind: ChangeKind;
  kodeitem: string;
  namaitem: string;
  satuan: string;
  konversi: string;
  level: string;
  jmlsampai: string;
  before: string | null;
  after: string | null;
  cost: string | null;
  flags: ChangeFlag[];
}

interface Entry {
  namaitem: string;
  satuan: string;
  konversi: string;
  system: string;
  level: string;
  jmlsampai: string;
  price: string;
  cost: string;
}

/** A list as compared: by item, its units, and each unit's entries by level and tier. */
type ListRead = Map<string, Map<string, Map<string, Entry>>>;

const SEP = '\u0000';

async function readList(file: string): Promise<ListRead> {
  const items: ListRead = new Map();
  await eachCsvRow(file, (r) => {
    const e: Entry = {
      namaitem: r.namaitem ?? '', satuan: r.satuan ?? '', konversi: r.konversi ?? '1', system: (r.sistemhargajual ?? '').toUpperCase(),
      level: r.level ?? '', jmlsampai: r.jmlsampai ?? '', price: r.hargajual ?? '', cost: r.hargapokok ?? '',
    };
    const code = r.kodeitem ?? '';
    const units = items.get(code) ?? items.set(code, new Map()).get(code)!;
    const entries = units.get(e.satuan) ?? units.set(e.satuan, new Map()).get(e.satuan)!;
    entries.set(`${e.level}${SEP}${e.jmlsampai}`, e);
  });
  return items;
}

/** The change in rupiah and percent (null when there was no price before, or it was 0). */
export function changeAmount(c: Pick<PriceChange, 'before' | 'after'>): { amount: number | null; percent: number | null } {
  if (c.before === null || c.after === null) return { amount: null, percent: null };
  const [was, now] = [Number(c.before), Number(c.after)];
  return { amount: now - was, percent: was === 0 ? null : ((now - was) / was) * 100 };
}

const belowCost = (e: Entry) => e.cost !== '' && Number(e.cost) > 0 && Number(e.price) < Number(e.cost);

/** Each unit's lowest entry (first level, smallest tier: the retail price) per base unit, for the unit-ratio flag. */
function perBaseUnit(units: Map<string, Map<string, Entry>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [satuan, entries] of units) {
    const first = [...entries.values()].sort((a, b) => Number(a.level || 0) - Number(b.level || 0) || Number(a.jmlsampai || Infinity) - Number(b.jmlsampai || Infinity))[0];
    const konversi = Number(first?.konversi);
    if (first && konversi > 0 && Number(first.price) > 0) out.set(satuan, Number(first.price) / konversi);
  }
  return out;
}

/** Whether a unit's price per base unit is UNIT_RATIO times another unit's of the item, or a UNIT_RATIO-th of it. */
function oddUnit(perUnit: Map<string, number>, satuan: string): boolean {
  const mine = perUnit.get(satuan);
  if (mine === undefined) return false;
  return [...perUnit].some(([other, p]) => other !== satuan && (mine > p * UNIT_RATIO || mine * UNIT_RATIO < p));
}

function flagsOf(e: Entry, perUnit: Map<string, number>, percent: number | null): ChangeFlag[] {
  const flags: ChangeFlag[] = [];
  if (belowCost(e)) flags.push('below-cost');
  if (percent !== null && Math.abs(percent) > BIG_CHANGE_PERCENT) flags.push('big-change');
  if (oddUnit(perUnit, e.satuan)) flags.push('unit-ratio');
  return flags;
}

const change = (kind: ChangeKind, code: string, e: Entry, part: 'item' | 'unit' | 'entry', prices: { before: string | null; after: string | null }, flags: ChangeFlag[]): PriceChange => ({
  kind, kodeitem: code, namaitem: e.namaitem,
  satuan: part === 'item' ? '' : e.satuan, konversi: part === 'item' ? '' : e.konversi,
  level: part === 'entry' ? e.level : '', jmlsampai: part === 'entry' ? e.jmlsampai : '',
  ...prices, cost: part === 'item' || e.cost === '' ? null : e.cost, flags,
});

/** Flags of a whole unit or item that came: those of any of its entries, each once. */
const unionFlags = (entries: Iterable<Entry>, perUnit: Map<string, number>) => [...new Set([...entries].flatMap((e) => flagsOf(e, perUnit, null)))];

function compareUnit(code: string, was: Map<string, Entry>, now: Map<string, Entry>, perUnit: Map<string, number>, out: PriceChange[]): void {
  for (const [key, e] of now) {
    const old = was.get(key);
    const entryKind = (x: Entry, what: 'added' | 'removed'): ChangeKind => (x.system === 'L' ? `level-${what}` : `tier-${what}`);
    if (!old) { out.push(change(entryKind(e, 'added'), code, e, 'entry', { before: null, after: e.price }, flagsOf(e, perUnit, null))); continue; }
    if (Number(old.price) === Number(e.price)) continue;
    const prices = { before: old.price, after: e.price };
    out.push(change(Number(e.price) > Number(old.price) ? 'price-up' : 'price-down', code, e, 'entry', prices, flagsOf(e, perUnit, changeAmount(prices).percent)));
  }
  for (const [key, old] of was) {
    if (!now.has(key)) out.push(change(old.system === 'L' ? 'level-removed' : 'tier-removed', code, old, 'entry', { before: old.price, after: null }, []));
  }
}

function compareItem(code: string, was: Map<string, Map<string, Entry>>, now: Map<string, Map<string, Entry>>, out: PriceChange[]): void {
  const perUnit = perBaseUnit(now);
  for (const [satuan, entries] of now) {
    const old = was.get(satuan);
    if (old) compareUnit(code, old, entries, perUnit, out);
    else { const first = entries.values().next().value!; out.push(change('unit-added', code, first, 'unit', { before: null, after: first.price }, unionFlags(entries.values(), perUnit))); }
  }
  for (const [satuan, entries] of was) {
    if (!now.has(satuan)) { const first = entries.values().next().value!; out.push(change('unit-removed', code, first, 'unit', { before: first.price, after: null }, [])); }
  }
}

/** Every change from the list `before` to the list `after` (both read with readList), items in the new list's order, removed items last. */
export function compareLists(before: ListRead, after: ListRead): PriceChange[] {
  const out: PriceChange[] = [];
  for (const [code, units] of after) {
    const was = before.get(code);
    if (was) { compareItem(code, was, units, out); continue; }
    const perUnit = perBaseUnit(units);
    const first = units.values().next().value!.values().next().value!;
    out.push(change('item-added', code, first, 'item', { before: null, after: null }, unionFlags([...units.values()].flatMap((u) => [...u.values()]), perUnit)));
  }
  for (const [code, units] of before) {
    if (!after.has(code)) out.push(change('item-removed', code, units.values().next().value!.values().next().value!, 'item', { before: null, after: null }, []));
  }
  return out;
}

/** compareLists of two published CSV files (columns PRICE_COLUMNS). */
export async function comparePriceFiles(beforeFile: string, afterFile: string): Promise<PriceChange[]> {
  const [before, after] = await Promise.all([readList(beforeFile), readList(afterFile)]);
  return compareLists(before, after);
}

/** How many changes of each kind (every kind present, 0 when none). */
export function countChanges(changes: readonly Pick<PriceChange, 'kind'>[]): Record<ChangeKind, number> {
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const c of changes) counts[c.kind]++;
  return counts;
}

/**
 * What a reader without cost may see: the below-cost flag tells that the price is under the cost,
 * so it goes with the cost.
 */
export function withoutCost<T extends PriceChange>(changes: readonly T[]): T[] {
  return changes.map((c) => ({ ...c, cost: null, flags: c.flags.filter((f) => f !== 'below-cost') }));
}

/** The changes to show first: flagged ones, then by the size of the change (percent, then rupiah), then what came and went. */
export function biggestFirst<T extends PriceChange>(changes: readonly T[]): T[] {
  const size = (c: T) => {
    const { amount, percent } = changeAmount(c);
    return [c.flags.length ? 1 : 0, percent === null ? -1 : Math.abs(percent), amount === null ? -1 : Math.abs(amount)];
  };
  return [...changes].map((c) => ({ c, s: size(c) })).sort((a, b) => b.s[0]! - a.s[0]! || b.s[1]! - a.s[1]! || b.s[2]! - a.s[2]!).map((x) => x.c);
}
