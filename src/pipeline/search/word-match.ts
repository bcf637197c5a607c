/**
 * How well a word of a question matches a word of an item name, from 1 (the same) down to 0.
 * Typos, unfinished words and iPOS-style shorthand ("grg" for "goreng") all count, weaker.
 */
export const WEIGHT = { exact: 1, prefix: 0.85, typo1: 0.75, typo2: 0.6, shorthand: 0.6 } as const;

/** Damerau-Levenshtein distance, giving up (returning max + 1) once it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    rows.push(row);
  }
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2] as number[])[j - 2] as number + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** "grg" shortens "goreng": same first letter, and every letter of it appears in order. */
export function isShorthand(short: string, long: string): boolean {
  if (short.length < 2 || short.length >= long.length || short[0] !== long[0] || /\d/.test(short)) return false;
  let j = 1;
  for (let i = 1; i < short.length; i++) {
    j = long.indexOf(short[i] as string, j);
    if (j < 0) return false;
    j++;
  }
  return true;
}

export function matchWeight(query: string, word: string): number {
  if (query === word) return WEIGHT.exact;
  if (query.length >= 2 && word.startsWith(query) && (query.length >= 3 || /^\d/.test(query))) return WEIGHT.prefix;
  const allowed = query.length >= 8 ? 2 : query.length >= 4 ? 1 : 0;
  if (allowed > 0) {
    const d = editDistance(query, word, allowed);
    if (d <= allowed) return d === 1 ? WEIGHT.typo1 : WEIGHT.typo2;
  }
  if (isShorthand(query, word) || isShorthand(word, query)) return WEIGHT.shorthand;
  return 0;
}
