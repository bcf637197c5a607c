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

/**
 * Tells when a store's source got a new backup, ahead of the schedule. watch() calls `onChange`
 * once a new or changed `.i5bu`/`.zip` directly in the store's folder has stopped growing (several
 * files at once: one call), keeps watching until `signal` aborts, and then resolves. It never
 * rejects: a source that cannot be reached is tried again after a bounded wait.
 */
export interface BackupSourceWatch {
  watch(onChange: () => void, signal: AbortSignal): Promise<void>;
}

/** Replays a custom-format archive into a database through pg: the pipeline's TypeScript restorer, for targets without pg_restore. */
export type ArchiveRestorer = (file: string, client: Client, options: { signal?: AbortSignal; onTable?: (table: string) => void }) => Promise<unknown>;

export interface RestoreOptions {
  /** Parallel jobs for pg_restore; 1 streams the archive, more needs the file on the server side. */
  jobs?: number;
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
}

/** Row counts per table of a restored database ("schema.table" → rows). */
export type RestoredCounts = Record<string, number>;

/**
 * The PostgreSQL server that holds the restored stores and the ops database. The pipeline asks it
 * to create, restore, analyze, read, export and drop databases; it never opens a connection to a
 * restored database itself.
 *
 * ensure() is idempotent: it starts (or creates) the server when needed, makes sure the restore
 * role exists with no privileges, and resolves once the server accepts connections. Every other
 * method expects ensure() to have resolved.
 *
 * Two logins do the work. The administrator creates and drops databases and holds the ops
 * database. The restore role does everything that touches a restored archive (restore, analyze,
 * read, export): a login that is not superuser, cannot create databases or roles, belongs to no
 * role (so none of pg_execute_server_program, pg_read_server_files, pg_write_server_files), and
 * cannot connect to the ops database. An archive's functions, triggers and views run with its
 * rights only.
 */
export interface RestoreTarget {
  readonly kind: 'docker' | 'external' | 'embedded';
  ensure(onStatus?: (text: string) => void): Promise<void>;
  /**
   * The administrator's connection settings, for the ops database ONLY (and the server's
   * `postgres` database, from which the ops database is created). Never for a restored database:
   * an archive's code must never run with the administrator's rights.
   */
  opsConnection(database: string): ClientConfig;
  databaseExists(name: string): Promise<boolean>;
  /** Creates an empty database (from template0) owned by the restore role, which alone restores into and reads it. Rejects when it exists. */
  createDatabase(name: string): Promise<void>;
  /**
   * Drops each of the databases named that exists, ending the sessions on it first, over one
   * connection; idempotent (a missing database is no error, and costs no DROP).
   */
  dropDatabase(...names: string[]): Promise<void>;
  /**
   * Restores a custom-format archive into an existing, empty database made by createDatabase, as
   * the restore role, without the archive's owners and grants, and rejects with an AppError:
   * refused by postgres quoting the restorer's own error lines (corrupt backup-file when tokobot's
   * own restorer finds the file cut or damaged), interrupted when `signal` aborted.
   */
  restore(archivePath: string, database: string, options?: RestoreOptions): Promise<void>;
  /** Major version of what restore() runs (pg_restore, or the server for tokobot's own restorer), e.g. 15. */
  pgRestoreMajor(): Promise<number>;
  /** Gathers the planner's statistics of a restored database (ANALYZE), as the restore role. */
  analyze(database: string): Promise<void>;
  /**
   * Runs one SELECT on a restored database, as the restore role, with search_path pinned to
   * pg_catalog (so `upper`, `=`, `coalesce` are PostgreSQL's own, whatever the archive defines in
   * public; name its tables public.tbl_...), in a read-only transaction, and resolves with its
   * rows. Server errors reject as they come (with their SQLSTATE in `code`).
   */
  readRestored<Row = Record<string, unknown>>(database: string, sql: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Streams the result of one SELECT on a restored database into a CSV file at `destPath`
   * (created or replaced, mode 0640; header line, then one line per row), the same way as
   * readRestored (restore role, pinned search_path, read-only), with memory flat whatever the size.
   * Server errors reject as they come (with their SQLSTATE in `code`); the caller removes `destPath`.
   */
  exportCsv(database: string, sql: string, destPath: string): Promise<{ bytes: number }>;
  /** The rows of every table of a restored database (all schemas but the system ones), counted as the restore role. */
  countRows(database: string): Promise<RestoredCounts>;
  /** A one-line account of the server for `tokobot doctor`, changing nothing; rejects with an AppError saying what to fix. */
  diagnose(): Promise<string>;
  /** Stops a server this process started (the embedded one); the others keep running. */
  stop?(): Promise<void>;
}

/**
 * The job queue on the ops database: work that any worker process (tokobot start or tokobot
 * worker, on any machine) may take. A store's syncs run one at a time; asks made before its
 * sync starts are that one sync; an ask made while it syncs is one more sync after it.
 */
export interface JobQueue {
  /** `urgent`: asked by a person (chat, dashboard), taken before the scheduled ones waiting. */
  sync(store: string, trigger: string, options?: { urgent?: boolean }): Promise<void>;
  backup(job: string, trigger: string): Promise<void>;
}

/** A job as its task sees it: what it asks (untrusted: the queue is a table), and which try this is (1 first). */
export interface JobRun {
  payload: unknown;
  attempt: number;
  maxAttempts: number;
}
