import path from 'node:path';
import type { StoreConfig } from '../config/load-config.ts';
import { number } from '../i18n/format-number.ts';
import { t, type Lang } from '../i18n/text.ts';
import { decimalSum } from '../pipeline/decimal-text.ts';
import { lowStockByOffice, type LowStockReport, type OfficeLowStock } from '../pipeline/low-stock.ts';
import type { PriceItem } from '../pipeline/search/price-search.ts';
import type { ButtonCodec } from './button-codec.ts';
import type { CoreDeps, Who } from './context.ts';
import type { Button, Reply } from './reply.ts';

/** Items a /stok question offers to pick from: a short list of buttons; a longer one asks for more of the name. */
export const STOCK_PICK = 8;
/** What a chat message shows of the low-stock list: the first rows of each office. The file has all. */
export const LOW_STOCK_TOP = 5;
/**
 * Characters the offices' part of the message may take: Telegram takes 4096 in all and the HTML
 * renderer cuts beyond 4000, which would lose the notes and the file hint at the end; so offices
 * that do not fit are counted instead of shown.
 */
export const LOW_STOCK_CHARS = 3000;
/** An item name in a line is cut here, so that one long name cannot take an office's room. */
const NAME_CHARS = 48;

/** An exact iPOS quantity ("-1234.5", as the pipeline gives it) as the reader writes it: "-1.234,5" / "-1,234.5". Never rounded. */
export function quantityText(value: string, lang: Lang): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction] = value.replace(/^-/, '').split('.');
  const [group, point] = lang === 'id' ? ['.', ','] : [',', '.'];
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, group)}${fraction ? `${point}${fraction}` : ''}`;
}

/** The item's base unit: the unit of the list that holds one base unit (konversi 1), '' when the list has none. */
const baseUnit = (item: PriceItem) => item.entries.find((e) => e.konversi === '1')?.satuan ?? '';

/** One item's stock in each office (officeStock), in its base unit, with the total when there are several offices. */
export async function itemStockReply(deps: Pick<CoreDeps, 'search' | 'officeStock'>, who: Who, store: StoreConfig, kodeitem: string): Promise<Reply | null> {
  const item = await deps.search.item(store.id, kodeitem);
  if (!item) return null;
  const unit = baseUnit(item);
  const amount = (n: string) => `${quantityText(n, who.lang)}${unit ? ` ${unit}` : ''}`;
  const offices = await deps.officeStock(store.id, kodeitem);
  const lines = [t(who.lang, 'stockItem', { name: item.namaitem, code: item.kodeitem })];
  if (!offices.length) lines.push(t(who.lang, 'stockNoOffices', { n: amount(item.stok) }));
  lines.push(...offices.map((o) => `${o.name}: ${amount(o.stok)}`));
  if (offices.length > 1) lines.push(t(who.lang, 'stockTotal', { n: amount(decimalSum(offices.map((o) => o.stok))) }));
  return { severity: 'info', title: store.name, lines };
}

/** /stok NAME: the one item found (a code, a barcode, a single match) at once; several, as buttons to pick from. */
export async function stockSearchReply(deps: Pick<CoreDeps, 'search' | 'officeStock'>, buttons: Pick<ButtonCodec, 'encode'>, who: Who, query: string): Promise<Reply> {
  const store = who.store;
  const result = await deps.search.search(store.id, query, { limit: STOCK_PICK });
  if (!result.listed) return { severity: 'warning', title: store.name, lines: [t(who.lang, 'noList')] };
  const [first] = result.items;
  const found = first && result.total === 1 ? await itemStockReply(deps, who, store, first.kodeitem) : null;
  if (found) return found;
  if (!first || result.total === 1) {
    const close = await deps.search.suggest(store.id, query);
    return { severity: 'warning', title: store.name, lines: [t(who.lang, 'noMatch', { q: query }), ...(close.length ? [t(who.lang, 'didYouMean', { s: close.join(' · ') })] : [])] };
  }
  const rows: Button[][] = await Promise.all(result.items.map(async (item) => [{
    text: `${item.namaitem} (${item.kodeitem})`.slice(0, 60), data: await buttons.encode({ kind: 'stock', store: store.id, kodeitem: item.kodeitem }),
  }]));
  const lines = [t(who.lang, 'stockPick', { total: number(result.total, who.lang), q: query })];
  if (result.total > result.items.length) lines.push(t(who.lang, 'stockPickMore', { shown: result.items.length }));
  return { severity: 'info', title: store.name, lines, buttons: rows };
}

/** One office's part of the low-stock message: its name and count, its first rows, how many more. */
function officeLines(o: OfficeLowStock, lang: Lang): string[] {
  const n = (x: number) => number(x, lang);
  const office = o.officeName && o.officeName !== o.office ? `${o.officeName} (${o.office})` : o.office;
  const lines = ['', t(lang, 'lowStockOffice', { office, rows: n(o.rows) })];
  for (const r of o.top) {
    const name = r.namaitem.length > NAME_CHARS ? `${r.namaitem.slice(0, NAME_CHARS - 1)}…` : r.namaitem;
    lines.push(t(lang, 'lowStockLine', { name, code: r.kodeitem, stok: `${quantityText(r.stok, lang)}${r.satuan ? ` ${r.satuan}` : ''}`,
      min: quantityText(r.stokmin, lang), short: quantityText(r.shortfall, lang) }));
  }
  if (o.rows > o.top.length) lines.push(t(lang, 'lowStockMore', { n: n(o.rows - o.top.length) }));
  return lines;
}

/**
 * The low-stock list as message lines: the counts, the first LOW_STOCK_TOP rows of each office
 * while they fit in LOW_STOCK_CHARS, then what was left out. Also what the daily digest can show.
 */
export function lowStockLines(report: Extract<LowStockReport, { live: true }>, lang: Lang): string[] {
  const c = report.counts;
  const n = (x: number) => number(x, lang);
  const lines: string[] = [];
  if (!c.rows) lines.push(t(lang, 'lowStockNone'));
  else lines.push(t(lang, 'lowStockHead', { items: n(c.items), rows: n(c.rows), offices: n(c.offices) }));
  const offices = lowStockByOffice(report.rows, LOW_STOCK_TOP);
  let room = LOW_STOCK_CHARS;
  let shown = 0;
  for (const o of offices) {
    const block = officeLines(o, lang);
    room -= block.join('\n').length + 1;
    if (room < 0) break;
    lines.push(...block);
    shown++;
  }
  if (shown < offices.length) lines.push(t(lang, 'lowStockMoreOffices', { n: n(offices.length - shown) }));
  const notes: string[] = [];
  if (c.deleted || c.notForSale) notes.push(t(lang, 'lowStockLeftOut', { deleted: n(c.deleted), notForSale: n(c.notForSale) }));
  if (c.noStockRows) notes.push(t(lang, 'lowStockNoRows', { n: n(c.noStockRows) }));
  if (c.noMinimum) notes.push(t(lang, 'lowStockNoMinimum', { n: n(c.noMinimum) }));
  return notes.length ? [...lines, '', ...notes] : lines;
}

const noLive = (who: Who): Reply => ({ severity: 'warning', title: who.store.name, lines: [t(who.lang, 'stockNoLive', { store: who.store.name })] });

/** /stok alone: the store's items under their minimum stock, as a message. */
export async function lowStockReply(deps: Pick<CoreDeps, 'lowStock'>, who: Who): Promise<Reply> {
  const report = await deps.lowStock(who.store.id);
  if (!report.live) return noLive(who);
  const lines = lowStockLines(report, who.lang);
  if (report.counts.rows) lines.push('', t(who.lang, 'lowStockFileHint'));
  return { severity: report.counts.rows ? 'warning' : 'info', title: who.store.name, lines };
}

/** /stok excel: the whole list as an Excel file (one sheet per office); none when nothing is under its minimum. */
export async function lowStockFileReply(deps: Pick<CoreDeps, 'lowStock' | 'lowStockWorkbook'>, who: Who): Promise<Reply> {
  const report = await deps.lowStock(who.store.id);
  if (!report.live) return noLive(who);
  if (!report.counts.rows) return { severity: 'info', title: who.store.name, lines: [t(who.lang, 'lowStockNone')] };
  const file = await deps.lowStockWorkbook(report, who.lang);
  const caption = t(who.lang, 'lowStockCaption', { store: who.store.name, items: number(report.counts.items, who.lang), rows: number(report.counts.rows, who.lang) });
  return { severity: 'warning', title: who.store.name, lines: [caption], document: { path: file, filename: path.basename(file), caption } };
}
