import { canonicalWords, questionWords, words } from './abbreviations.ts';
import { editDistance, matchWeight } from './word-match.ts';

export interface IndexedItem {
  kodeitem: string;
  namaitem: string;
  /** Item code and barcodes, upper case. */
  codes: string[];
}

export interface Ranked {
  item: IndexedItem;
  /** How many words of the question this item matched. */
  matched: number;
  score: number;
}

/**
 * An in-memory search index of one store's price list: item codes and barcodes for exact
 * look-ups, and an inverted index from name words to items. A question's words are matched
 * against the vocabulary (exact, unfinished, typo, shorthand), so ranking costs a vocabulary
 * scan plus the postings of the matching words, not a pass over every item.
 */
export class PriceIndex {
  private readonly byCode = new Map<string, number[]>();
  private readonly postings = new Map<string, number[]>();
  /** Vocabulary by first character: every kind of match but a typo in the first letter agrees on it. */
  private readonly vocabulary = new Map<string, string[]>();
  /** What each question word matched, kept for the next questions (staff ask for the same things all day). */
  private readonly matches = new Map<string, Map<number, number>>();

  constructor(readonly items: IndexedItem[]) {
    items.forEach((item, i) => {
      for (const code of item.codes) {
        const list = this.byCode.get(code);
        if (list) list.push(i);
        else this.byCode.set(code, [i]);
      }
      for (const w of new Set([...words(item.namaitem), ...canonicalWords(item.namaitem)])) {
        const list = this.postings.get(w);
        if (list) list.push(i);
        else this.postings.set(w, [i]);
      }
    });
    for (const w of this.postings.keys()) {
      const bucket = this.vocabulary.get(w[0] as string);
      if (bucket) bucket.push(w);
      else this.vocabulary.set(w[0] as string, [w]);
    }
  }

  exact(text: string): IndexedItem[] {
    const code = text.trim().toUpperCase();
    if (!code || /\s/.test(code)) return [];
    // Each item once, though several of its codes are the same (a barcode used as the item code).
    return [...new Set(this.byCode.get(code))].map((i) => this.items[i] as IndexedItem);
  }

  private bestPerItem(token: string): Map<number, number> {
    const cached = this.matches.get(token);
    if (cached) return cached;
    const best = new Map<number, number>();
    for (const word of this.vocabulary.get(token[0] as string) ?? []) {
      const weight = matchWeight(token, word);
      if (weight === 0) continue;
      for (const i of this.postings.get(word) as number[]) {
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
          const d = editDistance(token, word, 3);
          if (d > 3) continue;
          for (const i of this.postings.get(word) as number[]) near.set(i, (near.get(i) ?? 0) + (4 - d));
        }
      }
    }
    return [...near].sort((a, b) => b[1] - a[1]).slice(0, n).map(([i]) => (this.items[i] as IndexedItem).namaitem);
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
      const na = (this.items[a] as IndexedItem).namaitem;
      const nb = (this.items[b] as IndexedItem).namaitem;
      return na.length !== nb.length ? na.length < nb.length : na < nb;
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
      for (const i of best) ranked.push({ item: this.items[i] as IndexedItem, matched: level, score: score.get(i) as number });
    }
    return { ranked: ranked.slice(0, need), total: matched.size };
  }
}
