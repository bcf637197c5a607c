import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Lang } from '../i18n/lang.ts';
import type { LowStockReport, LowStockRow } from './low-stock.ts';

/**
 * The low-stock list as an Excel workbook, in the style of price-workbook.ts: one sheet per
 * office (in the report's order: office code, then the largest share of the minimum missing
 * first), the header frozen and filtered, quantities as number cells (Excel shows them with the
 * reader's own separators).
 *
 * Each workbook is a temporary file, alone in a folder of its own named tokobot-stok-* (under
 * `dir`: tokobot start gives DATA_DIR/low-stock, so nothing lands outside its data): whoever
 * sends it removes it with removeLowStockWorkbook once sent. A chat channel sends a Reply.document
 * and keeps no hook to call afterwards, so each build also removes the folders of builds older than
 * KEEP_MS: a file is never left for longer than that past the next build.
 */

const PREFIX = 'tokobot-stok-';
/** Long enough for any channel to have sent a file (Telegram's upload of a few MB takes seconds). */
const KEEP_MS = 60 * 60_000;
/** Excel's limit on a sheet name, and the characters it refuses in one. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_BAD = /[\\/?*[\]:]/g;

type Column = { key: keyof LowStockRow; header: Record<Lang, string>; width: number; number: boolean };

const COLUMNS: Column[] = [
  { key: 'kodeitem', header: { id: 'Kode', en: 'Code' }, width: 14, number: false },
  { key: 'namaitem', header: { id: 'Nama barang', en: 'Item' }, width: 40, number: false },
  { key: 'satuan', header: { id: 'Satuan', en: 'Unit' }, width: 9, number: false },
  { key: 'stok', header: { id: 'Stok', en: 'Stock' }, width: 10, number: true },
  { key: 'stokmin', header: { id: 'Stok minimum', en: 'Minimum' }, width: 13, number: true },
  { key: 'shortfall', header: { id: 'Kurang', en: 'Short by' }, width: 10, number: true },
];
const EMPTY_SHEET: Record<Lang, string> = { id: 'Stok minimum', en: 'Low stock' };
const FORMATS = { whole: '#,##0', fraction: '#,##0.###' } as const;

/** "stok-minimum-toko1-20261130.xlsx": only letters, digits, '-' and '_', whatever the store's id holds. */
export function lowStockFileName(store: string, at: Date): string {
  const day = at.toISOString().slice(0, 10).replaceAll('-', '');
  return `stok-minimum-${store.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}-${day}.xlsx`;
}

/** The report's rows grouped by office, each group with a sheet name Excel accepts, unique in the workbook. */
function sheetsOf(rows: readonly LowStockRow[]): { name: string; rows: LowStockRow[] }[] {
  const byOffice = new Map<string, LowStockRow[]>();
  for (const r of rows) {
    const group = byOffice.get(r.office);
    if (group) group.push(r);
    else byOffice.set(r.office, [r]);
  }
  const taken = new Set<string>();
  return [...byOffice.values()].map((group) => {
    const first = group[0] as LowStockRow;
    const label = (first.officeName && first.officeName !== first.office ? `${first.office} ${first.officeName}` : first.office || '-').replace(SHEET_NAME_BAD, '_');
    let name = label.slice(0, SHEET_NAME_MAX);
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${label.slice(0, SHEET_NAME_MAX - String(n).length - 1)}~${n}`;
    taken.add(name.toLowerCase());
    return { name, rows: group };
  });
}

/**
 * Writes the report's full list into a new temporary workbook (see above) and resolves with its
 * path; the file's name is lowStockFileName's. A report without rows gets one empty sheet; a
 * report of a store with no restored database has nothing to write: the caller says so instead.
 */
export async function lowStockWorkbook(report: Extract<LowStockReport, { live: true }>, lang: Lang, options: { dir?: string; now?: Date } = {}): Promise<string> {
  const parent = options.dir ?? tmpdir();
  await mkdir(parent, { recursive: true });
  await removeOldWorkbooks(parent);
  const folder = await mkdtemp(path.join(parent, PREFIX));
  const file = path.join(folder, lowStockFileName(report.store, options.now ?? new Date()));
  try {
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
    book.creator = 'tokobot';
    const sheets = sheetsOf(report.rows);
    for (const sheet of sheets.length ? sheets : [{ name: EMPTY_SHEET[lang], rows: [] }]) writeSheet(book, sheet.name, sheet.rows, lang);
    await book.commit();
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    throw err;
  }
  return file;
}

type Book = InstanceType<typeof import('exceljs').stream.xlsx.WorkbookWriter>;

function writeSheet(book: Book, name: string, rows: LowStockRow[], lang: Lang): void {
  const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  const head = ws.addRow(COLUMNS.map((c) => c.header[lang]));
  head.font = { bold: true };
  head.commit();
  for (const r of rows) {
    const row = ws.addRow(COLUMNS.map((c) => (c.number ? Number(r[c.key]) : r[c.key])));
    COLUMNS.forEach((c, i) => {
      if (c.number) row.getCell(i + 1).numFmt = /\./.test(r[c.key]) ? FORMATS.fraction : FORMATS.whole;
    });
    row.commit();
  }
  ws.commit();
}

/** Removes a workbook lowStockWorkbook made, with its folder; anything else is left alone. Idempotent. */
export async function removeLowStockWorkbook(file: string): Promise<void> {
  const folder = path.dirname(file);
  if (!path.basename(folder).startsWith(PREFIX)) return;
  await rm(folder, { recursive: true, force: true });
}

/** The folders of workbooks built more than KEEP_MS ago in `parent` (see above). */
async function removeOldWorkbooks(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const cutoff = Date.now() - KEEP_MS;
  await Promise.all(names.filter((n) => n.startsWith(PREFIX)).map(async (n) => {
    const folder = path.join(parent, n);
    const made = await stat(folder).then((s) => s.mtimeMs, () => Infinity);
    if (made < cutoff) await rm(folder, { recursive: true, force: true }).catch(() => undefined);
  }));
}
