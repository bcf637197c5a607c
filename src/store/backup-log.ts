import type { StageRecord } from './run-history.ts';
import type { ErrorFacts } from '../errors.ts';

export type BackupStatus = 'pending' | 'running' | 'success' | 'failed';

export interface DeliveredCopy {
  destination: string;
  location?: string;
  error?: string;
}

/** One table's rows: in the source when the backup was made, and after the verification restore; null where the table is missing. */
export interface TableRows {
  /** "schema.table" for PostgreSQL, the table's name for MySQL. */
  table: string;
  source: number | null;
  restored: number | null;
}

/** Why a verification restore could not be compared table by table: what in the dump tokobot cannot read. */
export type RestoreCheckGap = 'lz4' | 'zstd' | 'newer-format';

/**
 * The verification restore compared with the source, table by table (issue 17). A run whose
 * counts differ fails, and keeps its check, so the owner sees which tables differ.
 */
export interface RestoreCheck {
  /** Tables compared (0 when `notMade`). */
  checked: number;
  /** Of those, the tables whose rows differ or that are missing on one side. */
  mismatches: number;
  /** Every table compared, by name. */
  tables: TableRows[];
  /** Set when no per-table comparison could be made (the restore's totals still count). */
  notMade?: RestoreCheckGap;
}

export interface Verification {
  ok: boolean;
  detail: string;
  /** Totals of what the verification found (older runs have only these). */
  tables?: number;
  rows?: number;
  restoreCheck?: RestoreCheck;
}

export interface BackupRun {
  id: number;
  job: string;
  trigger: string;
  status: BackupStatus;
  stage: string | null;
  /** Each stage so far, as the sync runs record theirs. */
  stages: StageRecord[];
  startedAt: Date;
  finishedAt: Date | null;
  fileName: string | null;
  bytes: number | null;
  sha256: string | null;
  destinations: DeliveredCopy[];
  verification: Verification | null;
  /** The error in English: what the run log keeps (its tables hold one language). */
  error: string | null;
  /** The same error in Indonesian, on the run as it ends, when it was written (for the reader's language; not stored). */
  errorId?: string;
  /** What the error was about (for the owner's message); null when it was not a known kind. */
  failure: ErrorFacts | null;
}

/** Fields a run fills in as it goes. */
export interface BackupRunDetails {
  stage?: string;
  stages?: StageRecord[];
  fileName?: string;
  bytes?: number;
  sha256?: string;
  destinations?: DeliveredCopy[];
  verification?: Verification;
  error?: string;
  failure?: ErrorFacts;
}

/**
 * The backup jobs' run log: one record per run, shared by every tokobot process on the same ops
 * database. Times are the store's clock (the database's in PostgreSQL), so that runs recorded by
 * several processes order the same way. Ordering ties (same time) go to the higher id, which
 * grows with each start().
 */
export interface BackupLog {
  /** Records a new run of `job`, status "pending", started now; returns its id. */
  start(job: string, trigger: string): Promise<number>;

  /**
   * Sets the fields given (undefined ones are left as they are) and, when given, the status;
   * "success" and "failed" also set the finish time to now. An unknown id changes nothing.
   */
  update(id: number, details: BackupRunDetails, status?: BackupStatus): Promise<void>;

  /**
   * A job's runs left pending or running, oldest first. Called while holding the job's lock, so
   * each belongs to a process that died (crash, restart, power cut) and is ended with failInterrupted().
   */
  interrupted(job: string): Promise<BackupRun[]>;

  /**
   * Ends an interrupted run as failed, finished now; `error` says what the crash left and what was
   * done about it. A run that is no longer pending or running is left as it is.
   */
  failInterrupted(id: number, error: string): Promise<void>;

  /**
   * Every run of a job that named a file, newest finished first (runs not finished before all
   * others): what retention goes by (which file came from which run, whether it succeeded, where
   * it was delivered, when it finished).
   */
  runsWithFiles(job: string): Promise<BackupRun[]>;

  /** The run with this id, or null. */
  get(id: number): Promise<BackupRun | null>;

  /** The newest successful run that made the file called `name`, when this log has one. */
  madeFile(name: string): Promise<BackupRun | null>;

  /** The latest `limit` runs (of `job`, or of every job), newest started first. */
  recent(job?: string, limit?: number): Promise<BackupRun[]>;

  /**
   * Per job that has runs: its latest started run, and its latest started successful one. Of the
   * jobs named when `jobs` is given (each found through the index: what the dashboard asks every
   * few seconds), else of every job in the log.
   */
  latest(jobs?: string[]): Promise<Map<string, { last: BackupRun; lastGood?: BackupRun }>>;

  /** Every run (of every job) started at `from` or later and before `to`, oldest started first: what a report covers. */
  between(from: Date, to: Date): Promise<BackupRun[]>;
}
