import type { PriceItem } from '../pipeline/search/price-search.ts';
import type { CoreDeps } from './context.ts';
import { unitPriceLines } from './format-price.ts';
import type { Reply } from './reply.ts';

/**
 * Inline mode: a configured person types `@bot gula` in any chat and picks an item to drop its
 * prices into that chat. The chat may be read by anyone (customers, suppliers), so an answer is
 * at most what staff see on a price list: the name and the unit prices, never cost or margin.
 */

/** One result: what the person picks from, and the message it drops into the chat. */
export interface InlineItem {
  /** Unique within one answer, 1–64 bytes (Telegram's rule). */
  id: string;
  title: string;
  description: string;
  /** The message sent into the chat: the item's name and its unit prices. */
  message: Reply;
}

export interface InlineAnswer {
  items: InlineItem[];
  /** How long Telegram may show this answer again to the same person for the same text (0: not at all). */
  cacheSeconds: number;
}

/** Results per answer: what fits on a phone's screen above the keyboard; more is a longer word away. */
export const INLINE_RESULTS = 10;
/**
 * How long an answer is kept, by Telegram (per person: is_personal) and by this process: long
 * enough for a person typing and deleting, short enough that a newly synced price shows soon.
 */
export const INLINE_CACHE_SECONDS = 30;
/**
 * Inline queries one person may send in a minute: Telegram sends one for every pause in typing,
 * so more than messages, yet a flood (a stranger's too) is not answered beyond it.
 */
export const INLINE_PER_MINUTE = 60;
/** Answers kept in this process; the oldest is forgotten first. */
const CACHE_ENTRIES = 500;

/** The answer of nothing: to strangers, and to an empty text. */
export const NOTHING: InlineAnswer = { items: [], cacheSeconds: INLINE_CACHE_SECONDS };

/** `i:kodeitem`, or `i` alone where a long code would pass Telegram's 64 bytes: the index keeps ids unique. */
const idOf = (i: number, kodeitem: string) => (Buffer.byteLength(`${i}:${kodeitem}`) <= 64 ? `${i}:${kodeitem}` : String(i));

/** The results of a search as inline items: name, unit prices; cost is never read. */
function inlineItems(items: PriceItem[]): InlineItem[] {
  return items.map((item, i) => {
    const prices = unitPriceLines(item);
    return { id: idOf(i, item.kodeitem), title: item.namaitem, description: prices.join(' · '), message: { severity: 'info', title: item.namaitem, lines: prices } };
  });
}

/**
 * Answers of allowed people, kept per person, store and text for INLINE_CACHE_SECONDS: Telegram
 * sends a query for every pause in typing, and the same text again after a deletion.
 */
export class InlineAnswers {
  private readonly kept = new Map<string, { at: number; items: InlineItem[] }>();

  constructor(private readonly deps: Pick<CoreDeps, 'search' | 'stores' | 'chat' | 'now'>) {}

  /** `text`: the query already cleaned and cut by the core. */
  async answer(userId: number, text: string): Promise<InlineAnswer> {
    if (!text) return NOTHING;
    const saved = await this.deps.chat.user(userId);
    const store = this.deps.stores.find((s) => s.id === saved.store) ?? this.deps.stores[0];
    if (!store) return NOTHING;
    const key = `${userId}\n${store.id}\n${text.toLowerCase()}`;
    const now = (this.deps.now ?? Date.now)();
    const kept = this.kept.get(key);
    if (kept && now - kept.at < INLINE_CACHE_SECONDS * 1000) return { items: kept.items, cacheSeconds: INLINE_CACHE_SECONDS };
    const result = await this.deps.search.search(store.id, text, { limit: INLINE_RESULTS });
    const items = inlineItems(result.items);
    this.kept.delete(key);
    this.kept.set(key, { at: now, items });
    if (this.kept.size > CACHE_ENTRIES) this.kept.delete(this.kept.keys().next().value as string);
    return { items, cacheSeconds: INLINE_CACHE_SECONDS };
  }
}
