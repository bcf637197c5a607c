/** Facts of PostgreSQL's custom archive format (pg_dump -Fc), from pg_backup_archiver.[ch] and pg_backup_custom.c. */

export const MAGIC = 'PGDMP';
export const FORMAT_CUSTOM = 1;

/** Format versions tokobot reads: 1.12 (pg_dump 9.0) to 1.16 (pg_dump 17). */
export const OLDEST = [1, 12] as const;
export const NEWEST = [1, 16] as const;

export const version = (major: number, minor: number) => major * 100 + minor;

/**
 * The oldest pg_restore major release that reads each format version. 1.13 came with the
 * CVE-2018-1058 search_path fix, back-patched to minor releases (9.3.22, 9.4.17, 9.5.12, 9.6.8,
 * 10.3), so an up-to-date 9.x reads it; 1.14 came with 12 (table access methods), 1.15 with 16
 * (compression algorithm in the header), 1.16 with 17 (relkind, BLOB METADATA).
 */
const FIRST_READER: Record<string, number> = { '1.12': 9, '1.13': 9, '1.14': 12, '1.15': 16, '1.16': 17 };

/** Which pg_dump writes a format version, for messages about archives tokobot cannot read. */
export function writtenBy(major: number, minor: number): string {
  if (major !== 1) return 'no pg_dump tokobot knows of';
  if (minor < 12) return 'pg_dump 8.4 or older';
  if (minor > 16) return 'a pg_dump newer than 17';
  return ({ 12: 'pg_dump 9.0 to 10.2', 13: 'pg_dump 9.3.22 to 11', 14: 'pg_dump 12 to 15', 15: 'pg_dump 16', 16: 'pg_dump 17' } as Record<number, string>)[minor] as string;
}

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
