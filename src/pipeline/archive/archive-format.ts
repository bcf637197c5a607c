/** Facts of PostgreSQL's custom archive format (pg_dump -Fc), from pg_backup_archiver.[ch] and pg_backup_custom.c. */

export const MAGIC = 'PGDMP';
export const FORMAT_CUSTOM = 1;

/** Format versions tokobot reads: 1.12 (pg_dump 9.0) to 1.16 (pg_dump 17). */
export const OLDEST = [1, 12] as const;
export const NEWEST = [1, 16] as const;

export const version = (major: number, minor: number) => major * 100 + minor;

/** The oldest pg_restore that reads each format version (by major release). */
const FIRST_READER: Record<string, number> = { '1.12': 9, '1.13': 10, '1.14': 12, '1.15': 16, '1.16': 17 };

export function minimumPgRestoreMajor(formatVersion: string): number {
  return FIRST_READER[formatVersion] ?? 99;
}

/** "9.5.3" → 9, "15.4 (Debian 15.4-1)" → 15; null when unreadable. */
export function serverMajor(versionText: string | null | undefined): number | null {
  const m = /^(\d+)/.exec(versionText ?? '');
  return m ? Number(m[1]) : null;
}

export const SECTIONS: Record<number, Section> = { 1: 'none', 2: 'pre-data', 3: 'data', 4: 'post-data' };
export type Section = 'none' | 'pre-data' | 'data' | 'post-data';

export const COMPRESSION_ALGORITHMS: Record<number, CompressionAlgorithm> = { 0: 'none', 1: 'gzip', 2: 'lz4', 3: 'zstd' };
export type CompressionAlgorithm = 'none' | 'gzip' | 'lz4' | 'zstd';

/** Data offset flags written before each entry's data position. */
export const OFFSET = { notSet: 1, set: 2, noData: 3 } as const;
export type DataState = 'pos-not-set' | 'pos-set' | 'no-data';

/** Block types at the start of an entry's data. */
export const BLOCK = { data: 1, blobs: 3 } as const;
