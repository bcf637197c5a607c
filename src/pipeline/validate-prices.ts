import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { z } from 'zod';
import { examplesText, PRICE_COLUMNS, type PriceRuleFindings } from './price-rules.ts';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'is not a plain number');
const nonNegative = decimal.refine((v) => !v.startsWith('-'), 'is negative');
const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]);

const rowSchema = z.object({
  store: z.string().min(1, 'is empty'),
  kodeitem: z.string().trim().min(1, 'is empty'),
  namaitem: z.string().trim().min(1, 'is empty'),
  jenis: z.string(),
  merek: z.string(),
  satuan: z.string().trim().min(1, 'is empty'),
  konversi: decimal.refine((v) => Number(v) > 0, 'must be greater than 0'),
  barcode: z.string(),
  sistemhargajual: z.enum(['O', 'S', 'L', 'J'], { message: 'is not one of O, S, L, J' }),
  level: optional(z.string().regex(/^-?\d+$/, 'is not a whole number')),
  jmlsampai: optional(decimal),
  hargapokok: optional(nonNegative),
  hargajual: nonNegative,
  stok: decimal,
});

export type PriceRow = z.infer<typeof rowSchema>;

export interface Finding {
  row: number;
  message: string;
}

export interface ValidationReport {
  ok: boolean;
  rows: number;
  errorCount: number;
  warningCount: number;
  /** The first problems, with the data row number (1 = first row after the header). */
  errors: Finding[];
  warnings: Finding[];
  previousRows: number | null;
  /** What the export left out or kept on an uncertain reading (price-rules.ts): not errors, but the owner should know. */
  priceRules: PriceRuleFindings;
  summary: string;
}

export interface ValidationRules {
  /** Row count of the list published before, if any. */
  previousRows: number | null;
  /** Largest allowed drop against previousRows, as a share (0.2 = 20%). */
  maxDrop: number;
  /** How many findings of each kind to quote. */
  quote?: number;
  /** What the export reported beside the file (exportPriceCsv); none when left out. */
  priceRules?: PriceRuleFindings;
}

const NO_FINDINGS: PriceRuleFindings = { unknownSystem: { items: 0, examples: [] }, oddFlags: { items: 0, examples: [] } };

/** The report's lines about the price rules' findings, e.g. "items with an unknown sistemhargajual (left out): 2 (e.g. A 'X', B 'Q')". */
function priceRuleLines(f: PriceRuleFindings): string[] {
  const lines: string[] = [];
  if (f.unknownSystem.items) lines.push(`items with an unknown sistemhargajual (left out): ${f.unknownSystem.items} (e.g. ${examplesText(f.unknownSystem, 'sistemhargajual')})`);
  if (f.oddFlags.items) lines.push(`items with a flag value other than Y/N (kept): ${f.oddFlags.items} (e.g. ${examplesText(f.oddFlags)})`);
  return lines;
}

function summarize(r: Omit<ValidationReport, 'summary' | 'ok'>, datasetErrors: string[]): string {
  const parts = [`${r.rows} rows`, `${r.errorCount} errors`, `${r.warningCount} warnings`];
  const first = r.errors.slice(0, 3).map((f) => `row ${f.row}: ${f.message}`);
  return [parts.join(', '), ...datasetErrors, ...first, ...priceRuleLines(r.priceRules)].join('; ');
}

/**
 * Checks an exported price list CSV before it is published: the exact columns, each row, and the
 * list as a whole (not empty, no duplicate entries, no sudden drop in size). Streams the file.
 * "Price below cost" is only a warning: shops do sell at a loss.
 */
export async function validatePriceCsv(path: string, rules: ValidationRules): Promise<ValidationReport> {
  const quote = rules.quote ?? 10;
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  let errorCount = 0;
  let warningCount = 0;
  const error = (row: number, message: string) => { errorCount++; if (errors.length < quote) errors.push({ row, message }); };
  const warn = (row: number, message: string) => { warningCount++; if (warnings.length < quote) warnings.push({ row, message }); };

  const seen = new Set<string>();
  let rows = 0;
  let headerChecked = false;
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, skipEmptyLines: true });
  const datasetErrors: string[] = [];
  parser.on('error', () => undefined);
  for await (const raw of createReadStream(path).pipe(parser) as AsyncIterable<Record<string, string>>) {
    if (!headerChecked) {
      headerChecked = true;
      const columns = Object.keys(raw);
      if (columns.join(',') !== PRICE_COLUMNS.join(',')) {
        datasetErrors.push(`columns are [${columns.join(', ')}], expected [${PRICE_COLUMNS.join(', ')}]`);
        break;
      }
    }
    rows++;
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) error(rows, `${String(issue.path[0])} ${issue.message}`);
      continue;
    }
    const r = parsed.data;
    const key = `${r.kodeitem}\u0000${r.satuan}\u0000${r.level}\u0000${r.jmlsampai}`;
    if (seen.has(key)) error(rows, `duplicate entry for item ${r.kodeitem} unit ${r.satuan} level ${r.level || '-'} up to ${r.jmlsampai || '-'}`);
    seen.add(key);
    if (r.hargapokok !== '' && Number(r.hargajual) < Number(r.hargapokok)) {
      warn(rows, `item ${r.kodeitem} ${r.satuan}: price ${r.hargajual} is below cost ${r.hargapokok}`);
    }
  }

  if (rows === 0 && datasetErrors.length === 0) datasetErrors.push('the price list is empty');
  if (rules.previousRows && rows < rules.previousRows * (1 - rules.maxDrop)) {
    const drop = Math.round((1 - rows / rules.previousRows) * 100);
    datasetErrors.push(`row count fell by ${drop}% (${rules.previousRows} → ${rows}), more than the allowed ${Math.round(rules.maxDrop * 100)}%`);
  }
  errorCount += datasetErrors.length;
  const base = { rows, errorCount, warningCount, errors, warnings, previousRows: rules.previousRows, priceRules: rules.priceRules ?? NO_FINDINGS };
  return { ...base, ok: errorCount === 0, summary: summarize(base, datasetErrors) };
}
