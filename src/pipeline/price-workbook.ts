import { access, rename, unlink } from 'node:fs/promises';
import type { Lang } from '../i18n/lang.ts';
import { eachCsvRow } from './csv-rows.ts';

/**
 * The published price list as an Excel workbook, for owners: one sheet per price system the list
 * uses (iPOS's O/S single prices, L levels, J quantity tiers: shared/ipos5/README.md), numbers as
 * number cells in rupiah formats (Excel shows them with the reader's own separators: 12.500 in
 * an Indonesian Excel), the header frozen and filtered. The CSV stays the machines' format, with
 * its numbers exactly as iPOS stores them (README: price list files).
 */

export type PriceFileKind = 'csv' | 'xlsx';

/** "daftar-harga-toko1-20261129.csv": only letters, digits, '-' and '_', whatever the store's id holds. */
export function priceFileName(store: string, at: Date, kind: PriceFileKind): string {
  const day = at.toISOString().slice(0, 10).replaceAll('-', '');
  return `daftar-harga-${store.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}-${day}.${kind}`;
}

type Column = { key: string; header: Record<Lang, string>; width: number; kind: 'text' | 'rupiah' | 'count' };

const TEXT = (key: string, id: string, en: string, width: number): Column => ({ key, header: { id, en }, width, kind: 'text' });

const HEAD: Column[] = [
  TEXT('kodeitem', 'Kode', 'Code', 14), TEXT('namaitem', 'Nama barang', 'Item', 40), TEXT('jenis', 'Jenis', 'Type', 14),
  TEXT('merek', 'Merek', 'Brand', 14), TEXT('satuan', 'Satuan', 'Unit', 9),
  { key: 'konversi', header: { id: 'Isi', en: 'Per unit' }, width: 8, kind: 'count' }, TEXT('barcode', 'Barcode', 'Barcode', 16),
];
const TAIL: Column[] = [
  { key: 'hargajual', header: { id: 'Harga jual', en: 'Price' }, width: 14, kind: 'rupiah' },
  { key: 'hargapokok', header: { id: 'Harga pokok', en: 'Cost' }, width: 14, kind: 'rupiah' },
  { key: 'stok', header: { id: 'Stok', en: 'Stock' }, width: 10, kind: 'count' },
];

/** A sheet per price system, in this order; systems the list does not use get no sheet. */
const SHEETS: { systems: string[]; name: Record<Lang, string>; extra: Column[] }[] = [
  { systems: ['O', 'S'], name: { id: 'Harga', en: 'Prices' }, extra: [] },
  { systems: ['L'], name: { id: 'Level harga', en: 'Price levels' }, extra: [{ key: 'level', header: { id: 'Level', en: 'Level' }, width: 7, kind: 'count' }] },
  { systems: ['J'], name: { id: 'Harga grosir', en: 'Quantity prices' }, extra: [{ key: 'jmlsampai', header: { id: 'Sampai jumlah', en: 'Up to qty' }, width: 12, kind: 'count' }] },
];

/** Rupiah without decimals, or with two when iPOS holds a fraction (never rounded away); counts likewise. */
const FORMATS = {
  rupiah: { whole: '"Rp"#,##0', fraction: '"Rp"#,##0.00' },
  count: { whole: '#,##0', fraction: '#,##0.###' },
} as const;

export interface WorkbookResult {
  path: string;
  /** Rows written, and rows whose price system has no sheet (counted, never dropped silently: they are in the CSV). */
  rows: number;
  unsheeted: number;
}

/** Where the workbook of a published CSV is kept (next to it, so pruning the CSV prunes it: workbookOf). */
export function workbookPath(csvPath: string, lang: Lang): string {
  return csvPath.replace(/\.csv$/, '') + `.${lang}.xlsx`;
}

/** The CSV a kept workbook was made from, or null for any other name. */
export function csvOfWorkbook(name: string): string | null {
  const m = /^(.*)\.(id|en)\.xlsx$/.exec(name);
  return m ? `${m[1]}.csv` : null;
}

/** Builds one at a time: a build streams, but two at once would still double the CPU the bot and the pages wait on. */
let building: Promise<unknown> = Promise.resolve();

/**
 * The workbook of a published CSV, built once (the CSV never changes once published) and kept
 * next to it. Built under a temporary name (".tmp": a crashed build is removed with the other
 * leftovers) and renamed when complete, so a reader never gets half a workbook.
 */
export function priceWorkbook(csvPath: string, lang: Lang): Promise<WorkbookResult> {
  const mine = building.then(async () => {
    const target = workbookPath(csvPath, lang);
    const done = await access(target).then(() => true, () => false);
    const counted = await writeWorkbook(csvPath, done ? null : `${target}.${process.pid}.tmp`, lang);
    if (!done) await rename(`${target}.${process.pid}.tmp`, target);
    return { path: target, ...counted };
  });
  building = mine.catch(() => undefined);
  return mine;
}

async function writeWorkbook(csvPath: string, out: string | null, lang: Lang): Promise<{ rows: number; unsheeted: number }> {
  const systems = new Map<string, number>();
  await eachCsvRow(csvPath, (r) => systems.set(r.sistemhargajual ?? '', (systems.get(r.sistemhargajual ?? '') ?? 0) + 1));
  const sheeted = SHEETS.filter((s) => s.systems.some((x) => systems.has(x)));
  const rows = sheeted.flatMap((s) => s.systems).reduce((sum, x) => sum + (systems.get(x) ?? 0), 0);
  const all = [...systems.values()].reduce((a, b) => a + b, 0);
  if (!out) return { rows, unsheeted: all - rows };
  try {
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: false });
    book.creator = 'tokobot';
    for (const sheet of sheeted.length ? sheeted : SHEETS.slice(0, 1)) await writeSheet(book, csvPath, sheet, lang);
    await book.commit();
  } catch (err) {
    await unlink(out).catch(() => undefined);
    throw err;
  }
  return { rows, unsheeted: all - rows };
}

type Book = InstanceType<typeof import('exceljs').stream.xlsx.WorkbookWriter>;

async function writeSheet(book: Book, csvPath: string, sheet: (typeof SHEETS)[number], lang: Lang): Promise<void> {
  const columns = [...HEAD, ...sheet.extra, ...TAIL];
  const ws = book.addWorksheet(sheet.name[lang], { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ key: c.key, width: c.width }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const head = ws.addRow(columns.map((c) => c.header[lang]));
  head.font = { bold: true };
  head.commit();
  await eachCsvRow(csvPath, (r) => {
    if (!sheet.systems.includes(r.sistemhargajual ?? '')) return;
    const row = ws.addRow(columns.map((c) => cellValue(c, r[c.key] ?? '')));
    columns.forEach((c, i) => {
      if (c.kind === 'text') return;
      const v = row.getCell(i + 1).value;
      if (typeof v === 'number') row.getCell(i + 1).numFmt = Number.isInteger(v) ? FORMATS[c.kind].whole : FORMATS[c.kind].fraction;
    });
    row.commit();
  });
  ws.commit();
}

/** A number column's text as a number cell when it is one (iPOS numbers: plain decimals); anything else stays the text it was. */
function cellValue(c: Column, text: string): string | number | null {
  if (text === '') return null;
  if (c.kind === 'text') return text;
  const n = Number(text);
  return /^-?\d+(\.\d+)?$/.test(text) && Number.isFinite(n) ? n : text;
}
