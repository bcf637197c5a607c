import { questionWords, synonymsOf } from './abbreviations.ts';
import { lengthAt, stringAt } from './packed-strings.ts';
import type { IndexParts } from './price-index.ts';
import { sizeKind } from './size-words.ts';
import { CLASS_WEIGHT, classOf } from './word-classes.ts';
import { editDistance, folded, matchWeight, WEIGHT } from './word-match.ts';

/** An item the index found: its code and name. */
export interface FoundItem {
  kodeitem: string;
  namaitem: string;
}

export interface Ranked {
  item: FoundItem;
  /** How many words of the question this item matched. */
  matched: number;
  score: number;
}

/**
 * An answer leaves out items scoring half the best or less: when the best items have the brand
 * and the kind asked ("kabel eterna 2x2.5"), items that only share one word ("kabel", or a
 * size) are noise, not alternatives.
 */
const RELATIVE_FLOOR = 0.5;
/** Question words whose matches are kept for the next questions (staff ask for the same things all day). */
const REMEMBERED_WORDS = 5000;

/** Item → how well it matched one word of a question (its best name word). */
type Matches = Map<number, number>;

/** The first letter of a word as folded() spells it, without the cost of folding every word of a list at load. */
function foldedFirst(word: string): string {
  const two = word.slice(0, 2);
  return two === 'dj' ? 'j' : two === 'tj' ? 'c' : two === 'ph' ? 'f' : (word[0] as string);
}

/**
 * Ranks the items of one index for a question. Each word of the question is matched against
 * the list's words (question-side only: synonyms, two words written as one or one as two), and
 * an item scores the sum over the question's words of how well it matched each, weighted by
 * what the word says (word-classes.ts: a brand or product word outweighs a variant and a size).
 * A question with a brand or product word answers only items that match one of them, so a size
 * or flavour alone never brings unrelated items. Ties go to the item with fewest variant words
 * not asked for (the plain item before its variants), to the item whose name starts with a word
 * asked (CAT TEMBOK before KUAS CAT for "cat"), then to the shorter name.
 */
export class QuestionRanking {
  /** Word numbers by first letter (folded): every kind of match but a typo in the first letter agrees on it. */
  private readonly vocabulary = new Map<string, number[]>();
  private readonly wordIds = new Map<string, number>();
  private readonly remembered = new Map<string, Matches>();
  private foldedWords: string[] | undefined;
  // Per item, for the question being ranked; back to zero after each.
  private readonly score: Float64Array;
  private readonly hits: Uint8Array;
  private readonly keyHits: Uint8Array;
  private readonly variantHits: Uint8Array;
  /** The words of the question being ranked that an item's name may start with. */
  private askedHeads = new Set<number>();

  constructor(private readonly parts: IndexParts) {
    parts.words.forEach((w, n) => {
      this.wordIds.set(w, n);
      const first = foldedFirst(w);
      const bucket = this.vocabulary.get(first);
      if (bucket) bucket.push(n);
      else this.vocabulary.set(first, [n]);
    });
    const items = parts.kodeitems.ends.length;
    this.score = new Float64Array(items);
    this.hits = new Uint8Array(items);
    this.keyHits = new Uint8Array(items);
    this.variantHits = new Uint8Array(items);
  }

  item(i: number): FoundItem {
    return { kodeitem: stringAt(this.parts.kodeitems, i), namaitem: stringAt(this.parts.names, i) };
  }

  private postingsOf(word: number): Int32Array {
    return this.parts.postings.subarray(this.parts.ends[word - 1] ?? 0, this.parts.ends[word]);
  }

  /** The items whose names have every one of `words` (exactly), in list order. */
  private itemsWithAll(words: string[]): number[] {
    const ids = words.map((w) => this.wordIds.get(w));
    if (ids.some((id) => id === undefined)) return [];
    let items = Array.from(this.postingsOf(ids[0] as number));
    for (const id of ids.slice(1)) {
      const other = new Set(this.postingsOf(id as number));
      items = items.filter((i) => other.has(i));
    }
    return items;
  }

  /** Each item's best match for one question word, over the list's words. */
  private wordMatches(token: string): Matches {
    const cached = this.remembered.get(token);
    if (cached) return cached;
    const best: Matches = new Map();
    const known = this.wordIds.has(token);
    for (const word of this.vocabulary.get(foldedFirst(token)) ?? []) {
      const weight = matchWeight(token, this.parts.words[word] as string, known);
      if (weight === 0) continue;
      for (const i of this.postingsOf(word)) {
        if ((best.get(i) ?? 0) < weight) best.set(i, weight);
      }
    }
    if (this.remembered.size >= REMEMBERED_WORDS) this.remembered.delete(this.remembered.keys().next().value as string);
    this.remembered.set(token, best);
    return best;
  }

  /**
   * What matches question word `t` in the context of the question: its own matches, its
   * synonyms', and items where it and a neighbour are one word ("silver queen" for SILVERQUEEN)
   * or where it is two ("soklin" for SO KLIN).
   */
  private tokenMatches(tokens: string[], t: number): Matches {
    const token = tokens[t] as string;
    const extra: [number[] | Int32Array, number][] = [];
    for (const phrase of synonymsOf(token)) extra.push([this.itemsWithAll(phrase), WEIGHT.synonym]);
    for (const joined of [t > 0 ? `${tokens[t - 1]}${token}` : '', t + 1 < tokens.length ? `${token}${tokens[t + 1]}` : '']) {
      const id = joined ? this.wordIds.get(joined) : undefined;
      if (id !== undefined) extra.push([this.postingsOf(id), WEIGHT.exact]);
    }
    if (/^[a-z]{5,}$/.test(token)) extra.push(...this.splits(token).map((items) => [items, WEIGHT.spelling] as [number[], number]));
    const own = this.wordMatches(token);
    if (!extra.some(([items]) => items.length)) return own;
    const all = new Map(own);
    for (const [items, weight] of extra) {
      for (const i of items) if ((all.get(i) ?? 0) < weight) all.set(i, weight);
    }
    return all;
  }

  /** The items of each reading of `token` as two words of the list ("soklin": so klin), or when there is none and nothing else matches it, as three ("djisamsoe"). */
  private splits(token: string): number[][] {
    const found: number[][] = [];
    for (let at = 2; at <= token.length - 2; at++) {
      const items = this.itemsWithAll([token.slice(0, at), token.slice(at)]);
      if (items.length) found.push(items);
    }
    if (found.length || this.wordIds.has(token) || this.wordMatches(token).size) return found;
    for (let a = 2; a <= token.length - 4; a++) {
      for (let b = a + 2; b <= token.length - 2; b++) {
        const items = this.itemsWithAll([token.slice(0, a), token.slice(a, b), token.slice(b)]);
        if (items.length) found.push(items);
      }
    }
    return found;
  }

  /** Whether item a comes before item b (scores of the question being ranked). */
  private better(a: number, b: number): boolean {
    const d = (this.score[a] as number) - (this.score[b] as number);
    if (Math.abs(d) > 1e-9) return d > 0;
    const { variants, names, heads } = this.parts;
    const ha = this.askedHeads.has(heads[a] as number);
    if (ha !== this.askedHeads.has(heads[b] as number)) return ha;
    const va = Math.max(0, (variants[a] as number) - (this.variantHits[a] as number));
    const vb = Math.max(0, (variants[b] as number) - (this.variantHits[b] as number));
    if (va !== vb) return va < vb;
    const la = lengthAt(names, a);
    const lb = lengthAt(names, b);
    return la !== lb ? la < lb : stringAt(names, a) < stringAt(names, b);
  }

  /** The first `need` of `items` in order, without sorting the rest (a page needs ten). */
  private first(items: number[], need: number): number[] {
    if (need >= items.length) return items.sort((a, b) => (this.better(a, b) ? -1 : this.better(b, a) ? 1 : 0));
    const best: number[] = [];
    for (const i of items) {
      if (best.length === need && !this.better(i, best[need - 1] as number)) continue;
      let at = best.length;
      while (at > 0 && this.better(i, best[at - 1] as number)) at--;
      best.splice(at, 0, i);
      if (best.length > need) best.pop();
    }
    return best;
  }

  rank(question: string, need: number): { ranked: Ranked[]; total: number } {
    const tokens = questionWords(question);
    const classes = tokens.map(classOf);
    const lists = tokens.map((_, t) => this.tokenMatches(tokens, t));
    this.askedHeads = new Set(tokens.filter((_, t) => classes[t] === 'key').map((w) => this.wordIds.get(w) ?? -1));
    const { score, hits, keyHits, variantHits } = this;
    const touched: number[] = [];
    try {
      lists.forEach((list, t) => {
        const cls = classes[t] as keyof typeof CLASS_WEIGHT;
        for (const [i, weight] of list) {
          if (hits[i] === 0) touched.push(i);
          hits[i] = (hits[i] as number) + 1;
          score[i] = (score[i] as number) + CLASS_WEIGHT[cls] * weight;
          if (cls === 'key') keyHits[i] = (keyHits[i] as number) + 1;
          else if (cls === 'variant') variantHits[i] = (variantHits[i] as number) + 1;
        }
      });
      // A size not matched exactly still counts a little on items sold in that kind of size.
      tokens.forEach((token, t) => {
        const kind = classes[t] === 'size' ? sizeKind(token) : 0;
        if (!kind) return;
        for (const i of touched) {
          if (!lists[t]?.has(i) && ((this.parts.sizeKinds[i] as number) & kind)) score[i] = (score[i] as number) + CLASS_WEIGHT.size * WEIGHT.sameKind;
        }
      });
      const keyAsked = classes.includes('key');
      const eligible = touched.filter((i) => !keyAsked || (keyHits[i] as number) > 0);
      const top = eligible.reduce((m, i) => Math.max(m, score[i] as number), 0);
      const kept = eligible.filter((i) => (score[i] as number) > top * RELATIVE_FLOOR);
      const ranked = this.first(kept, need).map((i) => ({ item: this.item(i), matched: hits[i] as number, score: score[i] as number }));
      return { ranked, total: kept.length };
    } finally {
      for (const i of touched) {
        score[i] = 0;
        hits[i] = 0;
        keyHits[i] = 0;
        variantHits[i] = 0;
      }
    }
  }

  /** Names with a word spelled close to a brand or product word of the question (any first letter); none when nothing is that close. */
  closeNames(question: string, n: number): string[] {
    const tokens = questionWords(question).filter((t) => t.length >= 4 && classOf(t) === 'key');
    if (!tokens.length) return [];
    const foldedWords = (this.foldedWords ??= this.parts.words.map(folded));
    const near = new Map<number, number>();
    for (const token of tokens) {
      const wanted = folded(token);
      const allowed = token.length >= 8 ? 2 : 1;
      const closest = new Map<number, number>();
      this.parts.words.forEach((word, w) => {
        if (/\d/.test(word)) return;
        // Letters apart as written; spellings that sound the same (folded) are the same word, but folding
        // brings no other word closer ("tangga" is not "tangan").
        const d = foldedWords[w] === wanted ? 0 : editDistance(token, word, allowed);
        if (d > allowed) return;
        for (const i of this.postingsOf(w)) closest.set(i, Math.max(closest.get(i) ?? 0, allowed + 1 - d));
      });
      for (const [i, closeness] of closest) near.set(i, (near.get(i) ?? 0) + closeness);
    }
    const { names } = this.parts;
    return [...near].sort((a, b) => b[1] - a[1] || lengthAt(names, a[0]) - lengthAt(names, b[0]))
      .slice(0, n).map(([i]) => stringAt(names, i));
  }
}
