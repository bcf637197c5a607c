import { isBareNumber, numberOf } from './size-words.ts';

/**
 * How well a word of a question matches a word of an item name, from 1 (the same) down to 0.
 * Other spellings, unfinished words, typos and iPOS-style shorthand ("grg" for "goreng") all
 * count, weaker; a synonym (abbreviations.ts) a little below the word itself; a size of the
 * same kind but another amount ("5000ml" for "2000ml") barely.
 */
export const WEIGHT = { exact: 1, spelling: 0.9, prefix: 0.85, synonym: 0.8, typo1: 0.75, typo2: 0.6, shorthand: 0.6, sameKind: 0.2 } as const;

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

/**
 * Indonesian spellings that sound the same, old and new (djarum/jarum, tjap/cap, sampoerna/
 * sampurna) and doubled letters (sedaap/sedap): words equal after this are the same word.
 */
export function folded(word: string): string {
  return word.replace(/dj/g, 'j').replace(/tj/g, 'c').replace(/oe/g, 'u').replace(/ph/g, 'f').replace(/([a-z])\1+/g, '$1');
}

/**
 * "grg" shortens "goreng": three letters or more, the same first letter, then only consonants,
 * each found in order in the long word. Vowels rule out ordinary short words ("la", "sam"), which
 * shorten nothing.
 */
export function isShorthand(short: string, long: string): boolean {
  if (short.length < 3 || short.length >= long.length || short[0] !== long[0] || !/^[a-z][b-df-hj-np-tv-z]+$/.test(short)) return false;
  let j = 1;
  for (let i = 1; i < short.length; i++) {
    j = long.indexOf(short[i] as string, j);
    if (j < 0) return false;
    j++;
  }
  return true;
}

/** Endings a question may add to a name's word: "-nya" (its), "-er" (roller), "-s" (plural in English). */
const ENDINGS = new Set(['nya', 'er', 's']);

/**
 * How well `query` matches `word`. `known`: the query is itself a word of the list, so a typo
 * reading is not tried ("mild" is not "milo").
 */
export function matchWeight(query: string, word: string, known = false): number {
  if (query === word) return WEIGHT.exact;
  if (/\d/.test(query)) return isBareNumber(query) && numberOf(query, word) ? WEIGHT.prefix : 0;
  if (/\d/.test(word)) return 0;
  if (query.length >= 4 && word.startsWith(query)) return WEIGHT.prefix;
  if (query.length >= 4 && folded(query) === folded(word)) return WEIGHT.spelling;
  const allowed = known ? 0 : query.length >= 8 ? 2 : query.length >= 4 ? 1 : 0;
  if (allowed > 0) {
    const d = editDistance(query, word, allowed);
    if (d <= allowed) return d === 1 ? WEIGHT.typo1 : WEIGHT.typo2;
  }
  // The question's word with an ending the name has not ("pipanya", "roller" for ROLL).
  if (!known && word.length >= 4 && query.startsWith(word) && ENDINGS.has(query.slice(word.length))) return WEIGHT.typo1;
  if (isShorthand(query, word) || isShorthand(word, query)) return WEIGHT.shorthand;
  return 0;
}
