import type { RestoreCheck, RestoreCheckGap, TableRows } from '../store/backup-log.ts';
import { number } from './format-number.ts';
import { t, type Lang } from './text.ts';

/** How many differing tables a line names; the rest are counted ("and 7 more"). */
export const TABLES_NAMED = 5;

function tableText(row: TableRows, lang: Lang): string {
  if (row.restored === null) return t(lang, 'restoreCheckMissing', { table: row.table });
  if (row.source === null) return t(lang, 'restoreCheckExtra', { table: row.table });
  return t(lang, 'restoreCheckRows', { table: row.table, source: number(row.source, lang), restored: number(row.restored, lang) });
}

/** The check in a few words: "312 tables, 1,234,567 rows, all equal", or the first tables that differ. */
export function restoreCheckDetail(check: RestoreCheck, lang: Lang): string {
  if (check.notMade) return t(lang, 'restoreCheckNotMade', { what: t(lang, `restoreCheckGap_${check.notMade satisfies RestoreCheckGap}`) });
  if (!check.mismatches) {
    const rows = check.tables.reduce((sum, r) => sum + (r.restored ?? 0), 0);
    return t(lang, 'restoreCheckEqual', { tables: number(check.checked, lang), rows: number(rows, lang) });
  }
  const differing = check.tables.filter((r) => r.source !== r.restored);
  const named = differing.slice(0, TABLES_NAMED).map((r) => tableText(r, lang));
  const more = differing.length - named.length;
  const list = `${named.join('; ')}${more > 0 ? `; ${t(lang, 'restoreCheckMore', { count: number(more, lang) })}` : ''}`;
  return t(lang, 'restoreCheckDiffer', { mismatches: number(check.mismatches, lang), tables: number(check.checked, lang), list });
}

/** "Restore check: …", one line for /backup and the CLI. */
export const restoreCheckLine = (check: RestoreCheck, lang: Lang): string => t(lang, 'restoreCheckLine', { detail: restoreCheckDetail(check, lang) });
