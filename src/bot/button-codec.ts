import { isDeepStrictEqual } from 'node:util';
import { BUTTON_MEMORY_ID, type ButtonMemory } from '../store/button-memory.ts';

/** What a chat button does when pressed. */
export type ButtonData =
  | { kind: 'page'; store: string; query: string; page: number }
  | { kind: 'item'; store: string; kodeitem: string }
  | { kind: 'stock'; store: string; kodeitem: string }
  | { kind: 'store'; store: string }
  | { kind: 'backup'; job: string };

export type ButtonKind = ButtonData['kind'];

/**
 * A button's data as it travels through a channel: the data itself (page, item, stock, store
 * choice, backup job) or `m:` and the id under which ButtonMemory keeps it. `st:` and `bk:` are spelled
 * as before typed buttons, so store and backup buttons sent by older versions still work.
 */
export type ButtonText = `${'p' | 'i' | 'sk' | 'st' | 'bk' | 'm'}:${string}`;

/** Telegram's limit for callback_data (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
export const BUTTON_DATA_BYTES = 64;
/** Store and backup job ids, as the config allows them (a-z, 0-9, _ and -, at most 40). */
const NAME = /^[a-z0-9_-]{1,40}$/;
/** Questions are cut to 200 characters before they are searched; item codes are far shorter. */
const MAX_TEXT = 200;
const MAX_PAGE = 9999;

const isName = (v: unknown): v is string => typeof v === 'string' && NAME.test(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= MAX_TEXT;

/** The button data if `v` is well formed, else null. Every button is untrusted input (anyone can forge callback data). */
function checked(v: unknown): ButtonData | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  switch (o.kind) {
    case 'page': {
      const { store, query, page } = o;
      return isName(store) && isText(query) && Number.isInteger(page) && (page as number) >= 0 && (page as number) <= MAX_PAGE
        ? { kind: 'page', store, query, page: page as number } : null;
    }
    case 'item': return isName(o.store) && isText(o.kodeitem) ? { kind: 'item', store: o.store, kodeitem: o.kodeitem } : null;
    case 'stock': return isName(o.store) && isText(o.kodeitem) ? { kind: 'stock', store: o.store, kodeitem: o.kodeitem } : null;
    case 'store': return isName(o.store) ? { kind: 'store', store: o.store } : null;
    case 'backup': return isName(o.job) ? { kind: 'backup', job: o.job } : null;
    default: return null;
  }
}

/** The data spelled out in the button itself; the free text (question, item code) comes last, so it may hold ':'. */
function spelled(b: ButtonData): ButtonText {
  switch (b.kind) {
    case 'page': return `p:${b.store}:${b.page}:${b.query}`;
    case 'item': return `i:${b.store}:${b.kodeitem}`;
    case 'stock': return `sk:${b.store}:${b.kodeitem}`;
    case 'store': return `st:${b.store}`;
    case 'backup': return `bk:${b.job}`;
  }
}

function unspelled(text: string): ButtonData | null {
  const [, prefix, rest] = /^([a-z]+):(.*)$/s.exec(text) ?? [];
  if (rest === undefined) return null;
  if (prefix === 'p') {
    const [, store, page, query] = /^([^:]*):(\d{1,4}):(.*)$/s.exec(rest) ?? [];
    return checked({ kind: 'page', store, page: Number(page), query });
  }
  if (prefix === 'i' || prefix === 'sk') {
    const [, store, kodeitem] = /^([^:]*):(.*)$/s.exec(rest) ?? [];
    return checked({ kind: prefix === 'i' ? 'item' : 'stock', store, kodeitem });
  }
  if (prefix === 'st') return checked({ kind: 'store', store: rest });
  if (prefix === 'bk') return checked({ kind: 'backup', job: rest });
  return null;
}

/**
 * The one way buttons are written and read. Data that fits in Telegram's 64 bytes travels in the
 * button (no storage, survives anything); longer data is kept in ButtonMemory, which outlives a
 * restart too.
 */
export class ButtonCodec {
  constructor(private readonly memory: ButtonMemory) {}

  async encode(b: ButtonData): Promise<ButtonText> {
    const text = spelled(b);
    if (Buffer.byteLength(text) <= BUTTON_DATA_BYTES && isDeepStrictEqual(unspelled(text), b)) return text;
    return `m:${await this.memory.put(b)}`;
  }

  /** null for anything not made by `encode` (or kept no longer): never throws on bad input. */
  async decode(text: string): Promise<ButtonData | null> {
    if (typeof text !== 'string' || Buffer.byteLength(text) > BUTTON_DATA_BYTES) return null;
    if (!text.startsWith('m:')) return unspelled(text);
    const id = text.slice(2);
    return BUTTON_MEMORY_ID.test(id) ? checked(await this.memory.get(id)) : null;
  }
}
