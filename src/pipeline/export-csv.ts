import { priceExportSql, ruleFindings, ruleFindingsSql, type PriceRuleFindings, type RuleFindingRow } from './price-rules.ts';
import type { RestoreTarget } from './ports.ts';
import { AppError, isAppError } from '../errors.ts';

/**
 * Streams the price list of a restored iPOS database into a CSV file (header + one row per
 * item, unit and price entry). COPY does the quoting, so memory stays flat whatever the size.
 * Resolves with what the price rules left out or kept on an uncertain reading, for the report.
 */
export async function exportPriceCsv(target: Pick<RestoreTarget, 'exportCsv' | 'readRestored'>, database: string, storeId: string, destPath: string): Promise<{ bytes: number; findings: PriceRuleFindings }> {
  try {
    const { bytes } = await target.exportCsv(database, priceExportSql(storeId), destPath);
    const findings = ruleFindings(await target.readRestored<RuleFindingRow>(database, ruleFindingsSql()));
    return { bytes, findings };
  } catch (err) {
    if (isAppError(err)) throw err;
    const pgErr = err as { code?: string; message?: string };
    // 42P01 undefined_table, 42703 undefined_column: not the iPOS schema the export reads.
    if (pgErr.code === '42P01' || pgErr.code === '42703') {
      throw new AppError('refused', 'backup-file',
        `The backup does not look like an iPOS 5 database (${pgErr.message}). Check that the folder holds iPOS backups.`, { cause: err });
    }
    throw new AppError('refused', 'postgres', `Exporting the price list failed: ${pgErr.message ?? String(err)}`, { cause: err });
  }
}
