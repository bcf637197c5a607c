/**
 * Many strings end to end in one text, with where each ends. A list of 100,000 names is then two
 * objects instead of 100,000: read back from disk without work for the garbage collector, which
 * copies every live string of a young list (the cost of loading a cached index, more than the
 * reading itself).
 */
export interface PackedStrings {
  text: string;
  /** ends[i] is where string i ends in `text`; string i starts where string i - 1 ends. */
  ends: Int32Array;
}

export function pack(list: string[]): PackedStrings {
  const ends = new Int32Array(list.length);
  let end = 0;
  list.forEach((s, i) => {
    end += s.length;
    ends[i] = end;
  });
  return { text: list.join(''), ends };
}

export function stringAt(p: PackedStrings, i: number): string {
  return p.text.slice(p.ends[i - 1] ?? 0, p.ends[i]);
}

export function lengthAt(p: PackedStrings, i: number): number {
  return (p.ends[i] as number) - (p.ends[i - 1] ?? 0);
}

/** Whether `value` is packed strings: a text and ends that rise to its length. */
export function isPacked(value: unknown): value is PackedStrings {
  const p = value as Partial<PackedStrings> | null;
  return Boolean(p && typeof p.text === 'string' && p.ends instanceof Int32Array && rises(p.ends, p.text.length));
}

/** Whether `ends` never falls, from 0 up to `last` (a plain loop: it runs once per load, before the JIT warms up). */
export function rises(ends: Int32Array, last: number): boolean {
  let previous = 0;
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i] as number;
    if (e < previous) return false;
    previous = e;
  }
  return previous === last;
}
