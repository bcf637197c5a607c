import type { StoreConfig } from '../config/load-config.ts';
import type { PriceEntry, PriceItem, SearchResult } from '../pipeline/search/price-search.ts';
import type { ButtonCodec } from './button-codec.ts';
import type { RecentSearches } from './recent-searches.ts';
import type { CoreDeps, Who } from './context.ts';
import { entryLabel, marginPercent, priceLine, rupiah, tierLabels } from './format-price.ts';
import { t } from '../i18n/text.ts';
import type { Button, Reply } from './reply.ts';

/** Results per page (and per `tokobot ask`). */
export const PAGE = 10;

/**
 * A page of search results: one line per item, a button per item for its card, ◀ ▶ to turn
 * pages. `buttons` null: a channel that shows none (tokobot ask), so none are made or kept.
 * A page that shows items becomes the person's last search in `searches` ("lanjut" goes on from it).
 */
export async function searchReply(deps: Pick<CoreDeps, 'search'>, buttons: Pick<ButtonCodec, 'encode'> | null, who: Who, store: StoreConfig, query: string,
  page: number, searches?: Pick<RecentSearches, 'set'>): Promise<Reply> {
  const result = await deps.search.search(store.id, query, { limit: PAGE, offset: page * PAGE });
  if (result.items.length) searches?.set(who.id, { store: store.id, query, page, total: result.total });
  return resultReply(deps, buttons, who, store, result, page);
}

/** The reply to a search already made (page `page` of PAGE items): before the store's first list, that there is none yet. */
export async function resultReply(deps: Pick<CoreDeps, 'search'>, buttons: Pick<ButtonCodec, 'encode'> | null, who: Who, store: StoreConfig, result: SearchResult, page: number): Promise<Reply> {
  const query = result.query;
  if (!result.listed) return { severity: 'warning', title: store.name, lines: [t(who.lang, 'noList')] };
  if (result.items.length === 0) {
    if (result.total === 0 && page === 0) {
      const close = await deps.search.suggest(store.id, query);
      const lines = [t(who.lang, 'noMatch', { q: query })];
      if (close.length) lines.push(t(who.lang, 'didYouMean', { s: close.join(' · ') }));
      return { severity: 'warning', title: store.name, lines };
    }
  }
  const lines = result.items.map(priceLine);
  const pages = Math.ceil(result.total / PAGE);
  const pageOf = () => t(who.lang, 'pageOf', { from: page * PAGE + 1, to: page * PAGE + result.items.length, total: result.total });
  if (!buttons) return { severity: 'info', title: store.name, lines: pages > 1 ? [...lines, pageOf()] : lines };
  const rows: Button[][] = await Promise.all(result.items.map(async (item, i) => [{
    text: `${page * PAGE + i + 1}. ${item.namaitem}`.slice(0, 60),
    data: await buttons.encode({ kind: 'item', store: store.id, kodeitem: item.kodeitem }),
  }]));
  if (pages > 1) {
    const turn = async (text: string, to: number): Promise<Button> => ({ text, data: await buttons.encode({ kind: 'page', store: store.id, query, page: to }) });
    const nav: Button[] = [];
    if (page > 0) nav.push(await turn('◀', page - 1));
    if (page < pages - 1) nav.push(await turn('▶', page + 1));
    rows.push(nav);
    lines.push(pageOf());
  }
  return { severity: 'info', title: store.name, lines, buttons: rows };
}

/** "lanjut": the page after the person's last search, or why there is none. */
export async function nextPageReply(deps: Pick<CoreDeps, 'search' | 'stores'>, buttons: Pick<ButtonCodec, 'encode'> | null, who: Who,
  searches: Pick<RecentSearches, 'get' | 'set'>): Promise<Reply> {
  const last = searches.get(who.id);
  if (!last) return { severity: 'info', lines: [t(who.lang, 'nothingToContinue')] };
  if ((last.page + 1) * PAGE >= last.total) return { severity: 'info', lines: [t(who.lang, 'noMorePages', { total: last.total })] };
  const store = deps.stores.find((s) => s.id === last.store) ?? who.store;
  return searchReply(deps, buttons, who, store, last.query, last.page + 1, searches);
}

function entryLine(item: PriceItem, e: PriceItem['entries'][number], tiers: Map<PriceEntry, string>, owner: boolean): string {
  let line = `${entryLabel(item, e, tiers)}: ${rupiah(e.hargajual)}`;
  if (owner && e.hargapokok !== null) {
    const margin = marginPercent(e);
    line += ` — pokok ${rupiah(e.hargapokok)}${margin ? ` (${margin})` : ''}`;
  }
  return line + (e.barcode ? ` — ${e.barcode}` : '');
}

/** An item's card: code, units with konversi and barcode, every level or tier, stock per office, its picture where iPOS has one; cost only for owners. */
export async function cardReply(deps: CoreDeps, who: Who, storeId: string, kodeitem: string): Promise<Reply | null> {
  const item = await deps.search.item(storeId, kodeitem);
  if (!item) return null;
  const store = deps.stores.find((s) => s.id === storeId);
  const [stock, picture] = await Promise.all([deps.officeStock(storeId, kodeitem),
    // A picture that cannot be had is no reason to hold back the card.
    deps.itemPicture?.(storeId, kodeitem).catch(() => null) ?? null]);
  const owner = who.access === 'owner';
  const tiers = item.sistemhargajual === 'J' ? tierLabels(item.entries) : new Map<PriceEntry, string>();
  const lines = [
    `${item.namaitem}`,
    `Kode: ${item.kodeitem}${item.merek ? ` · ${item.merek}` : ''}${item.jenis ? ` · ${item.jenis}` : ''}`,
    ...item.entries.map((e) => entryLine(item, e, tiers, owner)),
    `Stok: ${item.stok.replace('.', ',')}${stock.length ? ` (${stock.map((s) => `${s.name} ${s.stok.replace('.', ',')}`).join(', ')})` : ''}`,
  ];
  return { severity: 'info', title: store?.name ?? storeId, lines, ...(picture ? { picture } : {}) };
}
