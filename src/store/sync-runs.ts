import type { StageRecord } from './run-history.ts';

export type RunStatus = 'running' | 'success' | 'no-change' | 'failed';
export type Trigger = string; // 'cli', 'schedule', 'watch' (a new backup seen), or 'chat:<user id>'

export interface SyncRun {
  id: number;
  store: string;
  trigger: string;
  status: RunStatus;
  stage: string | null;
  stages: StageRecord[];
  startedAt: Date;
  finishedAt: Date | null;
  sourceFile: string | null;
  sourceModified: Date | null;
  contentHash: string | null;
  bytes: number | null;
  archive: unknown;
  rowCount: number | null;
  validation: unknown;
  error: string | null;
  /** What a later run did about this one after a crash, e.g. finished putting its price list file in place. */
  note: string | null;
}

/** Fields a run fills in as it goes. */
export interface RunDetails {
  stage?: string;
  stages?: StageRecord[];
  sourceFile?: string;
  sourceModified?: Date;
  contentHash?: string;
  bytes?: number;
  archive?: unknown;
  rowCount?: number;
  validation?: unknown;
  error?: string;
  note?: string;
}

/** The error of a run found "running" after its process died; `%s` is the stage it was in ('first' when none). */
export const INTERRUPTED_ERROR = 'interrupted: tokobot stopped during the %s stage (crash or restart); nothing was published from this run';

/**
 * The log of sync runs, one record per run, kept across restarts and shared by every tokobot
 * process on the ops database. `stages`, `archive` and `validation` come back as JSON would
 * bring them (dates as strings). Newest first means by start time, then by id.
 */
export interface SyncRunLog {
  /** Records a new run, 'running' from now; resolves with its id (ids grow). */
  start(store: string, trigger: Trigger): Promise<number>;
  /**
   * Sets the given details (undefined ones are left as they are). With a `status` the run's
   * outcome is given too, with its finish time unless still 'running', and only while the run is
   * still 'running': an outcome is given once, so a late failure never overwrites a success.
   */
  update(id: number, details: RunDetails, status?: RunStatus): Promise<void>;
  /**
   * Marks the store's runs left "running" as failed (INTERRUPTED_ERROR with their stage) and
   * resolves with how many. Only call while holding the store's sync lock, so that no live run
   * is mistaken for a dead one.
   */
  failInterrupted(store: string): Promise<number>;
  /** The newest `limit` runs of a store, or of all stores when `store` is null; newest first. */
  recent(store: string | null, limit: number): Promise<SyncRun[]>;
  /** The store's successful runs (each published a list) started at `since` or later; oldest first. */
  successesSince(store: string, since: Date): Promise<SyncRun[]>;
  /** The newest run of a store with one of these statuses, or null. */
  lastWith(store: string, statuses: RunStatus[]): Promise<SyncRun | null>;
  /** The run that saw the newest backup at the source (by its modification time), from any run that got that far; or null. */
  newestSeen(store: string): Promise<SyncRun | null>;
  /** For each store named: recent(store, 1), lastWith(store, ['success']), lastWith(store, ['failed']) and newestSeen(store) in one go (a store's status, for many stores), each run's `stages` left out ([]). */
  statusRuns(stores: string[]): Promise<Map<string, StatusRuns>>;
  /** Every run (of every store) started at `from` or later and before `to`, oldest started first, `stages` left out ([]): what a report covers. */
  between(from: Date, to: Date): Promise<SyncRun[]>;
}

/** The runs a store's status is read from. */
export interface StatusRuns {
  last: SyncRun | null;
  success: SyncRun | null;
  failure: SyncRun | null;
  newest: SyncRun | null;
}
