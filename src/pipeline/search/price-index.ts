import { spelledOut, wordRules, words } from './abbreviations.ts';
import { pack, stringAt, type PackedStrings } from './packed-strings.ts';
import { QuestionRanking, type FoundItem, type Ranked } from './question-ranking.ts';
import { biggerForms, numbersIn, sizeKind } from './size-words.ts';
import { classOf, classRules } from './word-classes.ts';

export interface IndexedItem {
  kodeitem: string;
  namaitem: string;
  /** Item code and barcodes, upper case. */
  codes: string[];
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
  /** Per item: how many variant words its name has (word-classes.ts), so that the plain item comes before its variants. */
  variants: Uint8Array;
  /** Per item: the kinds of size in its name (size-words.ts sizeKind bits), so that "5 liter" prefers what is sold by the litre. */
  sizeKinds: Uint8Array;
  /** Per item: the word its name starts with, spelled out (a number of `words`; -1 for none): usually what the item is (CAT, SEMEN, KOPI). */
  heads: Int32Array;
}

function partsOf(items: IndexedItem[]): IndexParts {
  const byWord = new Map<string, number[]>();
  const codes: { code: string; item: number }[] = [];
  const variants = new Uint8Array(items.length);
  const sizeKinds = new Uint8Array(items.length);
  const headWords: (string | undefined)[] = [];
  items.forEach((item, i) => {
    // Each code of an item once, so that it is found once: lists published before the items query
    // said each code once repeat a barcode used as the item code, and hold a null for a row without one.
    for (const code of new Set(item.codes)) if (typeof code === 'string' && code) codes.push({ code, item: i });
    const written = words(item.namaitem);
    const canonical = [...new Set(spelledOut(written))];
    headWords.push(canonical[0]);
    for (const w of canonical) {
      if (classOf(w) === 'variant') variants[i] = Math.min(255, (variants[i] as number) + 1);
      sizeKinds[i] = (sizeKinds[i] as number) | sizeKind(w);
    }
    // Found by its words as written, spelled out, each size also in a bigger unit ("1500ml" as "1.5l"), and the numbers in dimensions and model codes.
    for (const w of new Set([...written, ...canonical, ...canonical.flatMap(biggerForms), ...written.flatMap(numbersIn)])) {
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
  const wordNumbers = new Map([...byWord.keys()].map((w, n) => [w, n]));
  const heads = Int32Array.from(headWords, (w) => (w === undefined ? -1 : wordNumbers.get(w) ?? -1));
  let at = 0;
  for (const list of byWord.values()) {
    postings.set(list, at);
    at += list.length;
  }
  return {
    kodeitems: pack(items.map((i) => i.kodeitem)), names: pack(items.map((i) => i.namaitem)),
    codes: pack(codes.map((c) => c.code)), codeItems: Int32Array.from(codes, (c) => c.item),
    words: [...byWord.keys()], ends, postings, variants, sizeKinds, heads,
  };
}

/** What decides the parts built from given items: a cached index built under other rules is not reused. */
export function indexRules(): string {
  return wordRules() + classRules() + String(partsOf);
}

/**
 * An in-memory search index of one store's price list: item codes and barcodes for exact
 * look-ups, and an inverted index from name words to items, ranked per question by
 * QuestionRanking (question-ranking.ts).
 */
export class PriceIndex {
  readonly parts: IndexParts;
  private readonly ranking: QuestionRanking;

  /** Built from the items, or taken as it is from `parts` (a cached index). */
  constructor(source: IndexedItem[] | IndexParts) {
    this.parts = Array.isArray(source) ? partsOf(source) : source;
    this.ranking = new QuestionRanking(this.parts);
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
    for (let at = low; at < codeItems.length && stringAt(codes, at) === code; at++) found.push(this.ranking.item(codeItems[at] as number));
    return found;
  }

  /**
   * The items a question asks for, best first (question-ranking.ts says how). Only the first
   * `need` are put in order (a page needs ten); `total` counts all.
   */
  rank(question: string, need = Infinity): { ranked: Ranked[]; total: number } {
    return this.ranking.rank(question, need);
  }

  /**
   * Names for a question that found nothing ("did you mean"): only items with a word spelled
   * close to a brand or product word of the question, so none when nothing is that close.
   */
  closeNames(question: string, n = 3): string[] {
    return this.ranking.closeNames(question, n);
  }
}
