import type { RunKind } from './run-history.ts';

/** How many runs of one store or job are recorded with one status. */
export interface RunTally {
  subject: string;
  status: string;
  runs: number;
}

/** The last finished run of one store or job: how it ended and how long it took. */
export interface LastRunTime {
  subject: string;
  status: string;
  seconds: number;
}

/**
 * Read-only views across the ops database for the monitors, /healthz and /metrics, counting
 * every process's runs. Nothing here changes anything.
 */
export interface OpsWatch {
  /** Resolves when the ops database answers now; rejects with the reason it does not. */
  ping(): Promise<void>;

  /** Runs recorded per store (sync) or job (backup) and status, running ones included. */
  tally(kind: RunKind): Promise<RunTally[]>;

  /** Per store or job, its latest started run among those finished. */
  lastFinished(kind: RunKind): Promise<LastRunTime[]>;
}
