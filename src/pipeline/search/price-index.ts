import { canonicalWords, questionWords, wordRules, words } from './abbreviations.ts';
import { lengthAt, pack, stringAt, type PackedStrings } from './packed-strings.ts';
import { editDistance, matchWeight } from './word-match.ts';

export interface IndexedItem {
  kodeitem: string;
  namaitem: string;
  /** Item code and barcodes, upper case. */
  codes: string[];
}

/** An item the index found: its code and name. */
type FoundItem = Pick<IndexedItem, 'kodeitem' | 'namaitem'>;

export interface Ranked {
  item: FoundItem;
  /** How many words of the question this item matched. */
  matched: number;
  score: number;
}

/**
 * An index as a few flat arrays and nothing derived from them at load: what a cached index is
 * written as and read back from (index-cache.ts) in a few milliseconds, where building it takes
 * a pass of the word rules over every name.
 */
export interface IndexParts {
  kodeitems: PackedStrings;
  names: PackedStrings;
  /** Every item code and barcode, sorted (code unit order), with the item each belongs to. */
  codes: PackedStrings;
  codeItems: Int32Array;
  /** Name words in the order first met; the items of words[w] are postings[ends[w - 1] ?? 0 .. ends[w]), ascending. */
  words: string[];
  ends: Int32Array;
  postings: Int32Array;
}

function partsOf(items: IndexedItem[]): IndexParts {
  const byWord = new Map<string, number[]>();
  const codes: { code: string; item: number }[] = [];
  items.forEach((item, i) => {
    // Each code of an item once, so that it is found once: lists published before the items query
    // said each code once repeat a barcode used as the item code, and hold a null for a row without one.
    for (const code of new Set(item.codes)) if (typeof code === 'string' && code) codes.push({ code, item: i });
    for (const w of new Set([...words(item.namaitem), ...canonicalWords(item.namaitem)])) {
      const list = byWord.get(w);
      if (list) list.push(i);
      else byWord.set(w, [i]);
    }
  });
  // A stable sort: items sharing a code stay in item order.
  codes.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const ends = new Int32Array(byWord.size);
  let total = 0;
  [...byWord.values()].forEach((list, w) => { total += list.length; ends[w] = total; });
  const postings = new Int32Array(total);
  let at = 0;
  for (const list of byWord.values()) {
    postings.set(list, at);
    at += list.length;
  }
  return {
    kodeitems: pack(items.map((i) => i.kodeitem)), names: pack(items.map((i) => i.namaitem)),
    codes: pack(codes.map((c) => c.code)), codeItems: Int32Array.from(codes, (c) => c.item),
    words: [...byWord.keys()], ends, postings,
  };
}

/** What decides the parts built from given items: a cached index built under other rules is not reused. */
export function indexRules(): string {
  return wordRules() + String(partsOf);
}

/**
 * An in-memory search index of one store's price list: item codes and barcodes for exact
 * look-ups, and an inverted index from name words to items. A question's words are matched
 * against the vocabulary (exact, unfinished, typo, shorthand), so ranking costs a vocabulary
 * scan plus the postings of the matching words, not a pass over every item.
 */
export class PriceIndex {
  readonly parts: IndexParts;
  /** Word numbers by first character: every kind of match but a typo in the first letter agrees on it. */
  private readonly vocabulary = new Map<string, number[]>();
  /** What each question word matched, kept for the next questions (staff ask for the same things all day). */
  private readonly matches = new Map<string, Map<number, number>>();

  /** Built from the items, or taken as it is from `parts` (a cached index). */
  constructor(source: IndexedItem[] | IndexParts) {
    this.parts = Array.isArray(source) ? partsOf(source) : source;
    this.parts.words.forEach((w, n) => {
      const bucket = this.vocabulary.get(w[0] as string);
      if (bucket) bucket.push(n);
      else this.vocabulary.set(w[0] as string, [n]);
    });
  }

  private item(i: number): FoundItem {
    return { kodeitem: stringAt(this.parts.kodeitems, i), namaitem: stringAt(this.parts.names, i) };
  }

  private postingsOf(word: number): Int32Array {
    return this.parts.postings.subarray(this.parts.ends[word - 1] ?? 0, this.parts.ends[word]);
  }

  exact(text: string): FoundItem[] {
    const code = text.trim().toUpperCase();
    if (!code || /\s/.test(code)) return [];
    const { codes, codeItems } = this.parts;
    let low = 0;
    let high = codeItems.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (stringAt(codes, mid) < code) low = mid + 1;
      else high = mid;
    }
    const found: FoundItem[] = [];
    for (let at = low; at < codeItems.length && stringAt(codes, at) === code; at++) found.push(this.item(codeItems[at] as number));
    return found;
  }

  private bestPerItem(token: string): Map<number, number> {
    const cached = this.matches.get(token);
    if (cached) return cached;
    const best = new Map<number, number>();
    for (const word of this.vocabulary.get(token[0] as string) ?? []) {
      const weight = matchWeight(token, this.parts.words[word] as string);
      if (weight === 0) continue;
      for (const i of this.postingsOf(word)) {
        if ((best.get(i) ?? 0) < weight) best.set(i, weight);
      }
    }
    if (this.matches.size >= 5000) this.matches.delete(this.matches.keys().next().value as string);
    this.matches.set(token, best);
    return best;
  }

  /** Names close to a question that matched nothing: each word against the whole vocabulary, a few letters apart. */
  closeNames(question: string, n = 3): string[] {
    const tokens = questionWords(question);
    const near = new Map<number, number>();
    for (const token of tokens) {
      if (token.length < 3) continue;
      for (const bucket of this.vocabulary.values()) {
        for (const word of bucket) {
          const d = editDistance(token, this.parts.words[word] as string, 3);
          if (d > 3) continue;
          for (const i of this.postingsOf(word)) near.set(i, (near.get(i) ?? 0) + (4 - d));
        }
      }
    }
    return [...near].sort((a, b) => b[1] - a[1]).slice(0, n).map(([i]) => stringAt(this.parts.names, i));
  }

  /**
   * Items matching any word of the question: most words matched first, then best matches, then
   * shorter names. Only the first `need` are put in order (a page needs ten); `total` counts all.
   */
  rank(question: string, need = Infinity): { ranked: Ranked[]; total: number } {
    const tokens = questionWords(question);
    const matched = new Map<number, number>();
    const score = new Map<number, number>();
    for (const token of tokens) {
      for (const [i, weight] of this.bestPerItem(token)) {
        matched.set(i, (matched.get(i) ?? 0) + 1);
        score.set(i, (score.get(i) ?? 0) + weight);
      }
    }
    // Ordering is by words matched first: sort only the best groups that fill what is needed.
    const byMatched = new Map<number, number[]>();
    for (const [i, m] of matched) {
      const group = byMatched.get(m);
      if (group) group.push(i);
      else byMatched.set(m, [i]);
    }
    const levels = [...byMatched.keys()].sort((a, b) => b - a);
    const better = (a: number, b: number) => {
      const d = (score.get(b) as number) - (score.get(a) as number);
      if (d !== 0) return d < 0;
      const { names } = this.parts;
      const la = lengthAt(names, a);
      const lb = lengthAt(names, b);
      return la !== lb ? la < lb : stringAt(names, a) < stringAt(names, b);
    };
    const ranked: Ranked[] = [];
    for (const level of levels) {
      if (ranked.length >= need) break;
      // Keep only the best `want` of the group in order (a page needs ten), not the whole group sorted.
      const want = need - ranked.length;
      const best: number[] = [];
      for (const i of byMatched.get(level) as number[]) {
        if (best.length === want && !better(i, best[best.length - 1] as number)) continue;
        let at = best.length;
        while (at > 0 && better(i, best[at - 1] as number)) at--;
        best.splice(at, 0, i);
        if (best.length > want) best.pop();
      }
      for (const i of best) ranked.push({ item: this.item(i), matched: level, score: score.get(i) as number });
    }
    return { ranked: ranked.slice(0, need), total: matched.size };
  }
}
