import { AppError } from '../../errors.ts';
import { restoreCheckDetail } from '../../i18n/restore-check-words.ts';
import type { RestoreCheck, RestoreCheckGap, TableRows } from '../../store/backup-log.ts';
import type { TocEntry } from '../archive/archive-reader.ts';
import { checkArchive } from './check-backup-file.ts';
import type { TableCounts } from './ports.ts';

/**
 * Rows of one table's COPY text as pg_dump wrote it: one line per row, up to the line `\.` that
 * ends the data (pg_dump writes blank lines after it). Fed in pieces cut anywhere.
 */
class CopyRows {
  rows = 0;
  #ended = false;
  /** The current line's length so far and its first bytes (enough to tell the end line). */
  #length = 0;
  #head = '';

  add(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1 && !this.#ended; nl = chunk.indexOf(10, nl + 1)) {
      const head = (this.#head + chunk.toString('latin1', start, Math.min(nl, start + 3))).slice(0, 3);
      if (this.#length + nl - start === 2 && head === '\\.') this.#ended = true;
      else this.rows++;
      this.#length = 0;
      this.#head = '';
      start = nl + 1;
    }
    if (this.#ended) return;
    this.#length += chunk.length - start;
    if (this.#head.length < 3) this.#head = (this.#head + chunk.toString('latin1', start, Math.min(chunk.length, start + 3))).slice(0, 3);
  }
}

/** "schema.table", as RestoreTarget.countRows names a table. */
const tableName = (e: TocEntry) => `${e.namespace ? `${e.namespace}.` : ''}${e.tag ?? e.dumpId}`;

/** What a pg_dump archive holds per table, read to its end once (checkArchive: a damaged archive is refused). */
export interface ArchiveRows {
  /** TABLE DATA entries of its table of contents; undefined for a format newer than tokobot reads. */
  tables?: number;
  /**
   * Rows per "schema.table": what pg_dump read inside its snapshot, so the source's rows when the
   * backup was made. Absent when the data could not be read (then `gap` says why).
   */
  counts?: TableCounts;
  gap?: RestoreCheckGap;
  compression?: string;
}

/** Reads the archive as pg_restore would (checkArchive) and counts each table's COPY rows. */
export async function archiveRows(file: string): Promise<ArchiveRows> {
  const copies = new Map<number, CopyRows>();
  const read = await checkArchive(file, (entry, chunk) => {
    const rows = copies.get(entry.dumpId) ?? copies.set(entry.dumpId, new CopyRows()).get(entry.dumpId) as CopyRows;
    rows.add(chunk);
  });
  if (!read) return { gap: 'newer-format' };
  const withData = read.info.entries.filter((e) => e.desc === 'TABLE DATA');
  const compression = read.info.compression.algorithm;
  if (!read.dataRead) return { tables: withData.length, gap: compression === 'lz4' ? 'lz4' : 'zstd', compression };
  const counts: TableCounts = {};
  for (const e of withData) counts[tableName(e)] = (counts[tableName(e)] ?? 0) + (copies.get(e.dumpId)?.rows ?? 0);
  return { tables: withData.length, counts, compression };
}

/**
 * Each table's rows in the source beside its rows after the restore, by name. `sourceTablesOnly`:
 * only the tables the source counted (a PostgreSQL archive counts the tables whose data it holds;
 * the restored database may also hold materialized views, filled by REFRESH and not by COPY,
 * partitioned parents, whose rows are their partitions', and tables whose data pg_dump was told
 * to leave out). A MySQL snapshot counts every base table, so a table only in the restore differs.
 */
export function compareRows(source: TableCounts, restored: TableCounts, { sourceTablesOnly = false } = {}): RestoreCheck {
  const names = [...new Set([...Object.keys(source), ...(sourceTablesOnly ? [] : Object.keys(restored))])].sort();
  const tables: TableRows[] = names.map((table) => ({ table, source: source[table] ?? null, restored: restored[table] ?? null }));
  return { checked: tables.length, mismatches: tables.filter(differs).length, tables };
}

export const differs = (t: TableRows): boolean => t.source !== t.restored;

/** The check, when no comparison could be made: the reason kept, so the owner is told (not a silent pass). */
export const notMade = (gap: RestoreCheckGap): RestoreCheck => ({ checked: 0, mismatches: 0, tables: [], notMade: gap });

/** A verification that restored rows other than the source's fails: corrupt backup file, naming the first tables that differ. */
export function mismatchError(check: RestoreCheck): AppError {
  return new AppError('corrupt', 'backup-file', {
    en: `The backup does not restore to the same data: ${restoreCheckDetail(check, 'en')}.`,
    id: `Backup ini tidak pulih ke data yang sama: ${restoreCheckDetail(check, 'id')}.`,
  });
}
