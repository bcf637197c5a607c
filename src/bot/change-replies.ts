import type { StoreConfig } from '../config/load-config.ts';
import { decimal, number } from '../i18n/format-number.ts';
import { formatTime } from '../i18n/format-time.ts';
import { t } from '../i18n/text.ts';
import type { Lang } from '../i18n/lang.ts';
import { BIG_CHANGE_PERCENT, biggestFirst, CHANGE_KINDS, changeAmount, countChanges, UNIT_RATIO, withoutCost, type ChangeFlag, type PriceChange } from '../pipeline/price-changes.ts';
import { FLAG_TEXT, KIND_TEXT, type ChangeReader } from '../pipeline/price-change-workbook.ts';
import type { RecordedChange } from '../store/price-changes.ts';
import type { CoreDeps, Who } from './context.ts';
import type { Reply } from './reply.ts';

/** /changes reaches a month back: what an owner compares, and what the log keeps with room to spare (KEEP_CHANGES_DAYS). */
export const MAX_CHANGE_DAYS = 31;
/** Changes a message lists: the biggest, flagged first; the rest are in the workbook. */
export const SHOWN_CHANGES = 5;

const rp = (s: string, lang: Lang) => `Rp ${number(Math.round(Number(s)), lang)}`;
const flagText = (f: ChangeFlag, lang: Lang) => t(lang, FLAG_TEXT[f], { percent: BIG_CHANGE_PERCENT, ratio: UNIT_RATIO });
const qty = (s: string, lang: Lang) => number(Number(s), lang);

/** "O12 BARANG O12 (PCS, level 2): Rp 1.000 → Rp 3.000 (+200,0 %) ⚠️ berubah lebih dari 50 %". */
export function changeLine(c: PriceChange, lang: Lang): string {
  const where = [c.satuan, c.level && c.kind.startsWith('level') ? t(lang, 'changeLevel', { level: c.level }) : '',
    c.jmlsampai ? t(lang, 'changeUpTo', { qty: qty(c.jmlsampai, lang) }) : ''].filter(Boolean).join(', ');
  const head = `${c.kodeitem} ${c.namaitem}${where ? ` (${where})` : ''}`;
  const { percent } = changeAmount(c);
  const body = c.before !== null && c.after !== null
    ? `${rp(c.before, lang)} → ${rp(c.after, lang)}${percent === null ? '' : ` (${percent > 0 ? '+' : ''}${decimal(percent, lang)} %)`}`
    : c.after !== null ? `${t(lang, 'changeNew')} ${rp(c.after, lang)}`
    : c.before !== null ? `${t(lang, 'changeGone')} (${rp(c.before, lang)})`
    : t(lang, KIND_TEXT[c.kind], { n: '' }).trim();
  const flags = c.flags.length ? ` ⚠️ ${c.flags.map((f) => flagText(f, lang)).join(', ')}` : '';
  return `${head}: ${body}${flags}`;
}

/** "naik 5, turun 3, barang baru 2": the kinds there are, in CHANGE_KINDS order. */
function kindCounts(changes: readonly PriceChange[], lang: Lang): string {
  const counts = countChanges(changes);
  return CHANGE_KINDS.filter((k) => counts[k] > 0).map((k) => t(lang, KIND_TEXT[k], { n: number(counts[k], lang) })).join(', ');
}

/** Counts and what to check, then the biggest changes, for a reader (cost only for owners). */
export function changeSummary(all: readonly PriceChange[], reader: ChangeReader): { counts: string[]; biggest: string[] } {
  const changes = reader.withCost ? [...all] : withoutCost(all);
  const lines = [t(reader.lang, 'changesCounts', { list: kindCounts(changes, reader.lang) })];
  const flagged = changes.filter((c) => c.flags.length);
  if (flagged.length) {
    const byFlag = (['below-cost', 'big-change', 'unit-ratio'] as const).map((f) => [f, flagged.filter((c) => c.flags.includes(f)).length] as const).filter(([, n]) => n > 0);
    lines.push(t(reader.lang, 'changesFlagged', { n: number(flagged.length, reader.lang), list: byFlag.map(([f, n]) => `${flagText(f, reader.lang)}: ${number(n, reader.lang)}`).join(', ') }));
  }
  return { counts: lines, biggest: [t(reader.lang, 'changesBiggest'), ...biggestFirst(changes).slice(0, SHOWN_CHANGES).map((c) => `• ${changeLine(c, reader.lang)}`)] };
}

/** Telegram's limit for a document's caption. */
const CAPTION_LIMIT = 1024;

/**
 * The caption of the workbook: the title, the counts and what to check. Telegram shows a reply
 * with a document as the document and its caption alone, so this is what a /changes there reads.
 */
function captionOf(title: string, counts: string[]): string {
  const text = [title, ...counts].join('\n');
  return text.length <= CAPTION_LIMIT ? text : `${text.slice(0, CAPTION_LIMIT - 1)}…`;
}

/** The reader of a person: owners see cost. */
const readerOf = (who: Pick<Who, 'access' | 'lang'>): ChangeReader => ({ lang: who.lang, withCost: who.access === 'owner' });

const ON = new Set(['on', 'nyala', 'ya']);
const OFF = new Set(['off', 'mati', 'tidak']);

/** /changes [days|on|off] (/perubahan): the store's changes over the last days, with every one of them in a workbook; or the message after each sync, on or off. */
export async function changesReply(deps: CoreDeps, who: Who, args: string): Promise<Reply> {
  const log = deps.priceChanges;
  if (!log) return { severity: 'warning', lines: [t(who.lang, 'changesNoLog')] };
  const word = args.trim().toLowerCase();
  if (ON.has(word) || OFF.has(word)) {
    await log.subscribe(who.id, ON.has(word));
    return { severity: 'info', lines: [t(who.lang, ON.has(word) ? 'changesOn' : 'changesOff')] };
  }
  const days = word === '' ? 1 : Number(word);
  if (!Number.isInteger(days) || days < 1 || days > MAX_CHANGE_DAYS) return { severity: 'warning', lines: [t(who.lang, 'changesUsage', { max: MAX_CHANGE_DAYS })] };
  const to = new Date((deps.now ?? Date.now)());
  const changes = await log.since(who.store.id, new Date(to.getTime() - days * 86_400_000), to);
  const period = days === 1 ? t(who.lang, 'changesSinceDay') : t(who.lang, 'changesSinceDays', { days });
  const title = `${t(who.lang, 'changesTitle', { store: who.store.name })} · ${period}`;
  if (!changes.length) return { severity: 'info', title, lines: [t(who.lang, 'changesNone', { store: who.store.name, period })] };
  const reader = readerOf(who);
  const file = await log.workbook(who.store.id, changes, days, reader);
  const { counts, biggest } = changeSummary(changes, reader);
  const caption = captionOf(t(who.lang, 'changesCaption', { store: who.store.name, period, n: number(changes.length, who.lang) }), counts);
  return {
    severity: 'info', title,
    lines: [...counts, ...biggest, t(who.lang, 'changesAllInFile', { n: number(changes.length, who.lang) })],
    document: { path: file.path, filename: file.filename, caption },
  };
}

/** The workbook's caption after a sync (the message before it says the rest). */
export const changesCaption = (store: string, n: number, lang: Lang) => t(lang, 'changesCaption', { store, period: t(lang, 'changesAfterSyncPeriod'), n: number(n, lang) });

/** The message after a publication: when it was published, its changes summed up, and where all of them are. */
export function changeNotice(store: StoreConfig, publishedAt: Date, changes: readonly RecordedChange[], reader: ChangeReader, zone: string, dashboard?: string): Reply {
  const flagged = (reader.withCost ? changes : withoutCost(changes)).some((c) => c.flags.length);
  const { counts, biggest } = changeSummary(changes, reader);
  return {
    severity: flagged ? 'warning' : 'info',
    title: t(reader.lang, 'changesTitle', { store: store.name }),
    lines: [
      t(reader.lang, 'changesAfterSync', { time: formatTime(publishedAt, store.timeZone ?? zone, reader.lang) }),
      ...counts, ...biggest,
      t(reader.lang, 'changesAllInFile', { n: number(changes.length, reader.lang) }),
      ...(dashboard ? [t(reader.lang, 'changesLink', { url: dashboard })] : []),
    ],
  };
}

/**
 * One line for a daily digest: "Toko Pusat: naik 5, turun 3, barang baru 2 · ⚠️ 2 perlu dicek",
 * or null without changes. The digest reads the changes with PriceChangeLog.since(store, from, to).
 */
export function changeDigestLine(storeName: string, all: readonly PriceChange[], reader: ChangeReader): string | null {
  if (!all.length) return null;
  const changes = reader.withCost ? [...all] : withoutCost(all);
  const flagged = changes.filter((c) => c.flags.length).length;
  return `${storeName}: ${kindCounts(changes, reader.lang)}${flagged ? ` · ⚠️ ${t(reader.lang, 'changesToCheck', { n: number(flagged, reader.lang) })}` : ''}`;
}
