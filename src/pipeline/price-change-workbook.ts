import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { t, type TextKey } from '../i18n/text.ts';
import type { Lang } from '../i18n/lang.ts';
import type { RecordedChange } from '../store/price-changes.ts';
import { BIG_CHANGE_PERCENT, changeAmount, UNIT_RATIO, type ChangeFlag, type ChangeKind } from './price-changes.ts';

/** How a reader sees changes: in their language, and with cost (owners) or without. */
export interface ChangeReader {
  lang: Lang;
  withCost: boolean;
}

export const KIND_TEXT: Record<ChangeKind, TextKey> = {
  'price-up': 'kindPriceUp', 'price-down': 'kindPriceDown', 'item-added': 'kindItemAdded', 'item-removed': 'kindItemRemoved',
  'unit-added': 'kindUnitAdded', 'unit-removed': 'kindUnitRemoved', 'level-added': 'kindLevelAdded', 'level-removed': 'kindLevelRemoved',
  'tier-added': 'kindTierAdded', 'tier-removed': 'kindTierRemoved',
};

export const FLAG_TEXT: Record<ChangeFlag, TextKey> = { 'below-cost': 'flagBelowCost', 'big-change': 'flagBigChange', 'unit-ratio': 'flagUnitRatio' };

/** A change's kind as a word of the reader's language ("naik", "barang baru"), without its count. */
export const kindWord = (kind: ChangeKind, lang: Lang) => t(lang, KIND_TEXT[kind], { n: '' }).trim();

type Column = { header: TextKey; width: number; kind: 'text' | 'rupiah' | 'count' | 'percent' | 'time'; value: (c: RecordedChange, lang: Lang) => unknown };

const num = (s: string | null) => (s === null || s === '' ? null : Number(s));

const COLUMNS: Column[] = [
  { header: 'colPublished', width: 17, kind: 'time', value: (c) => c.publishedAt },
  { header: 'colStore', width: 12, kind: 'text', value: (c) => c.store },
  { header: 'colChange', width: 20, kind: 'text', value: (c, lang) => kindWord(c.kind, lang) },
  { header: 'colCode', width: 14, kind: 'text', value: (c) => c.kodeitem },
  { header: 'colItem', width: 40, kind: 'text', value: (c) => c.namaitem },
  { header: 'colUnit', width: 9, kind: 'text', value: (c) => c.satuan },
  { header: 'colPerUnit', width: 8, kind: 'count', value: (c) => num(c.konversi) },
  { header: 'colLevel', width: 7, kind: 'count', value: (c) => num(c.level) },
  { header: 'colUpTo', width: 12, kind: 'count', value: (c) => num(c.jmlsampai) },
  { header: 'colBefore', width: 14, kind: 'rupiah', value: (c) => num(c.before) },
  { header: 'colAfter', width: 14, kind: 'rupiah', value: (c) => num(c.after) },
  { header: 'colAmount', width: 12, kind: 'rupiah', value: (c) => changeAmount(c).amount },
  { header: 'colPercent', width: 8, kind: 'percent', value: (c) => { const p = changeAmount(c).percent; return p === null ? null : p / 100; } },
  { header: 'colCost', width: 14, kind: 'rupiah', value: (c) => num(c.cost) },
  { header: 'colFlags', width: 30, kind: 'text', value: (c, lang) => c.flags.map((f) => flagWords(f, lang)).join('; ') },
];

const flagWords = (f: ChangeFlag, lang: Lang) => t(lang, FLAG_TEXT[f], { percent: BIG_CHANGE_PERCENT, ratio: UNIT_RATIO });

const FORMAT = { rupiah: '"Rp"#,##0', count: '#,##0.###', percent: '0.0%', time: 'yyyy-mm-dd hh:mm', text: '@' } as const;

/** Workbooks of changes are sent right away; older than this they are removed when the next is made. */
const KEEP_MS = 3_600_000;
/** Two workbooks asked for at once never share a file. */
let made = 0;

/** "perubahan-harga-toko1-20261129-1d.xlsx": letters, digits, '-' and '_' only. */
export function changesFileName(store: string, to: Date, days: number): string {
  return `perubahan-harga-${store.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}-${to.toISOString().slice(0, 10).replaceAll('-', '')}-${days}d.xlsx`;
}

async function pruneOld(dir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = path.join(dir, name);
    const s = await stat(file).catch(() => null);
    if (s && now - s.mtimeMs > KEEP_MS) await unlink(file).catch(() => undefined);
  }
}

/**
 * Every change as one row of an Excel sheet in `dir` (DATA_DIR/changes), numbers as number cells,
 * the header frozen and filtered; cost and below-cost only for a reader with cost. Written under a
 * temporary name and renamed, so that no half workbook is ever sent. Times in `zone`'s wall clock.
 */
export async function changesWorkbook(dir: string, name: string, changes: readonly RecordedChange[], reader: ChangeReader, zone: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  await pruneOld(dir);
  const file = path.join(dir, `${name.replace(/\.xlsx$/, '')}.${reader.lang}${reader.withCost ? '' : '.staff'}.${process.pid}-${++made}.xlsx`);
  const columns = COLUMNS.filter((c) => reader.withCost || c.header !== 'colCost');
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${file}.tmp`, useStyles: true, useSharedStrings: false });
  try {
    book.creator = 'tokobot';
    const ws = book.addWorksheet(t(reader.lang, 'sheetChanges'), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ width: c.width }));
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    const head = ws.addRow(columns.map((c) => t(reader.lang, c.header)));
    head.font = { bold: true };
    head.commit();
    const wall = (d: Date) => new Date(`${d.toLocaleString('sv-SE', { timeZone: zone }).replace(' ', 'T')}Z`);
    for (const change of changes) {
      const shown = reader.withCost ? change : { ...change, flags: change.flags.filter((f) => f !== 'below-cost') };
      const row = ws.addRow(columns.map((c) => { const v = c.value(shown, reader.lang); return v instanceof Date ? wall(v) : v; }));
      columns.forEach((c, i) => { if (c.kind !== 'text') row.getCell(i + 1).numFmt = FORMAT[c.kind]; });
      row.commit();
    }
    ws.commit();
    await book.commit();
    await rename(`${file}.tmp`, file);
  } catch (err) {
    await unlink(`${file}.tmp`).catch(() => undefined);
    throw err;
  }
  return file;
}
