import type { Readable, Writable } from 'node:stream';
import type { JobConfig } from '../../config/jobs-from.ts';

export type ByteProgress = (done: number, total: number) => void;

/** A finished backup file as a destination holds it. */
export interface StoredBackupFile {
  name: string;
  size: number;
  modifiedAt: Date;
}

/**
 * Where finished backup files go (a local folder, a Dropbox folder). put() copies a complete local
 * file under its temporary name (partialName), checks what arrived (size and checksum) and only
 * then renames it to `name`; a failed put leaves no file under `name`. A put killed on the way
 * (kill -9, power cut) can leave the temporary file: removeLeftovers() deletes those whose final
 * name `isOurs` accepts and returns the final names. list() returns the finished files directly in
 * the destination (never temporary ones); remove() deletes one by name and is idempotent. read()
 * streams a finished file's bytes (never buffering it whole); a name that is not there rejects.
 * Callers pass only names that list() returned: names are never trusted as paths.
 */
/** Where a destination is, as data: pages say it in the reader's language ("folder /srv/backup", "the folder /srv/backup"). */
export interface DestinationPlace {
  kind: 'folder' | 'dropbox' | 'ftp' | 'ftps' | 'sftp';
  location: string;
}

export interface BackupDestination {
  /** In English; also what the run log records a copy's destination by, so it never changes for a destination. */
  readonly description: string;
  /** The same as data, for readers of other languages; without it the description is shown. */
  readonly place?: DestinationPlace;
  put(localPath: string, name: string, options?: { onProgress?: ByteProgress; signal?: AbortSignal }): Promise<{ location: string }>;
  list(): Promise<StoredBackupFile[]>;
  remove(name: string): Promise<void>;
  read(name: string): Promise<Readable>;
  removeLeftovers(isOurs: (name: string) => boolean): Promise<string[]>;
}

/** The name a file has at a destination while it is being put: hidden, and never taken for a backup. */
export function partialName(name: string): string {
  return `.${name}.partial`;
}

/** The final name behind a temporary one, or null for any other name. */
export function nameOfPartial(file: string): string | null {
  return file.startsWith('.') && file.endsWith('.partial') && file.length > '..partial'.length ? file.slice(1, -'.partial'.length) : null;
}

/** Row counts per table, as read inside the dump's snapshot (table name → rows). */
export type TableCounts = Record<string, number>;

/** The last line of every MySQL dump tokobot writes: a dump whose text does not end with it stopped early. */
export const SQL_DUMP_END = '-- dump complete';

/**
 * A MySQL/MariaDB server reached by a URL naming one database. dump() writes that database as
 * plain (uncompressed) SQL text from one consistent snapshot, never holding a table in memory,
 * ending with the line SQL_DUMP_END, and resolves with the row counts it wrote. load() runs such a
 * dump into another, existing and empty, database on the same server. Everything rejects with an
 * AppError whose message says what to do.
 */
export interface MysqlServer {
  readonly database: string;
  dump(out: Writable, options?: { signal?: AbortSignal; onRows?: (rows: number) => void }): Promise<TableCounts>;
  load(input: Readable, database: string, options?: { signal?: AbortSignal }): Promise<void>;
  countRows(database: string): Promise<TableCounts>;
  databaseExists(name: string): Promise<boolean>;
  createDatabase(name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A PostgreSQL database dumped in pg_dump's custom format (-Fc). dump() writes the archive to
 * `out` (without ending it) and rejects with an AppError quoting pg_dump's own error lines.
 */
export interface PostgresDumper {
  readonly description: string;
  dump(out: Writable, options?: { signal?: AbortSignal }): Promise<void>;
}

/** What a good run tells another monitor: how long it took and, in English, what it made and where it went. */
export interface PingSummary {
  durationMs: number;
  text: string;
}

/**
 * Another monitor the jobs' runs are reported to (a Healthchecks check, an Uptime Kuma push
 * monitor), for jobs whose config names one (`job.ping`); other jobs are not pinged. start() as a
 * run begins, then success() or fail() with the same `runId`, a UUID that lets the monitor pair the
 * two when runs overlap. Each call resolves once the monitor took the ping or a bounded number of
 * tries is spent (seconds, never the run's length), and never rejects: a monitor that cannot be
 * reached is logged (its host only: the URL's path is the secret), never the backup's failure.
 */
export interface RunPings {
  start(job: JobConfig, runId: string): Promise<void>;
  success(job: JobConfig, runId: string, summary: PingSummary): Promise<void>;
  /** `message`: why the run failed, as the run log keeps it (English). */
  fail(job: JobConfig, runId: string, message: string): Promise<void>;
}
