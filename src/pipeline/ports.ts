import type { Client, ClientConfig } from 'pg';

/** A backup file as a source lists it. */
export interface BackupFile {
  /** Source-specific id (Dropbox file id, or the absolute path for a folder). */
  id: string;
  name: string;
  size: number;
  modifiedAt: Date;
  /** Dropbox content_hash of the file, when the source knows it before downloading. */
  contentHash?: string;
}

export interface DownloadResult {
  bytes: number;
  /** Dropbox content_hash computed over the bytes actually written. */
  contentHash: string;
}

export type ProgressFn = (done: number, total: number) => void;

/**
 * Where a store's iPOS backups come from (a Dropbox folder, a local folder).
 * list() returns only `.i5bu` and `.zip` files, in any order.
 * download() streams the file to `destPath` (creating or replacing it) with bounded memory and
 * rejects with an AppError if the bytes do not match what the source announced; the caller owns
 * temp naming and cleanup of `destPath` on failure.
 */
export interface BackupSource {
  readonly description: string;
  list(): Promise<BackupFile[]>;
  download(file: BackupFile, destPath: string, onProgress?: ProgressFn): Promise<DownloadResult>;
}

/** Replays a custom-format archive into a database through pg: the pipeline's TypeScript restorer, for targets without pg_restore. */
export type ArchiveRestorer = (file: string, client: Client, options: { signal?: AbortSignal; onTable?: (table: string) => void }) => Promise<unknown>;

export interface RestoreOptions {
  /** Parallel jobs for pg_restore; 1 streams the archive, more needs the file on the server side. */
  jobs?: number;
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
}

/**
 * The PostgreSQL server that holds the restored stores and the ops database.
 * ensure() is idempotent: it starts (or creates) the server when needed, makes sure the
 * restore role exists with no privileges (see restoreConnection), and resolves once the server
 * accepts connections. restore() runs pg_restore --no-owner --no-privileges of a custom-format
 * archive into an existing, empty database owned by the restore role, connected as that role,
 * and rejects with an AppError that quotes pg_restore's own error lines.
 */
export interface RestoreTarget {
  readonly kind: 'docker' | 'external' | 'embedded';
  ensure(onStatus?: (text: string) => void): Promise<void>;
  /** The administrator: creates, renames and drops databases, and holds the ops database. Never used to read a restored archive. */
  connection(database: string): ClientConfig;
  /**
   * The restore role, for everything that touches a restored archive (restore, ANALYZE, export,
   * stock): a login that is not superuser, cannot create databases or roles, belongs to no role
   * (so none of pg_execute_server_program, pg_read_server_files, pg_write_server_files), and
   * cannot connect to the ops database. An archive's functions, triggers and views run with its
   * rights only. Its `user` is the owner that restored databases are created with.
   */
  restoreConnection(database: string): ClientConfig;
  /** Major version of the pg_restore that restore() runs, e.g. 15. */
  pgRestoreMajor(): Promise<number>;
  restore(archivePath: string, database: string, options?: RestoreOptions): Promise<void>;
  /** A one-line account of the server for `tokobot doctor`, changing nothing; rejects with an AppError saying what to fix. */
  diagnose(): Promise<string>;
  /** Stops a server this process started (the embedded one); the others keep running. */
  stop?(): Promise<void>;
}
