/**
 * How well a word of a question matches a word of an item name, from 1 (the same) down to 0.
 * Typos, unfinished words and iPOS-style shorthand ("grg" for "goreng") all count, weaker.
 */
export const WEIGHT = { exact: 1, prefix: 0.85, typo1: 0.75, typo2: 0.6, shorthand: 0.6 } as const;

const MAX_WORD = 64;
// Three rolling rows, allocated once: this runs for every vocabulary word a question is checked against.
const rows = [new Int32Array(MAX_WORD + 1), new Int32Array(MAX_WORD + 1), new Int32Array(MAX_WORD + 1)] as const;

/** Damerau-Levenshtein distance (adjacent swaps count one), giving up (returning max + 1) once it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length > MAX_WORD || b.length > MAX_WORD) return a === b ? 0 : max + 1;
  let [older, prev, row] = rows;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, older[j - 2]! + 1);
      row[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [older, prev, row] = [prev, row, older];
  }
  return prev[b.length]!;
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
