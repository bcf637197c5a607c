import type { BackupStatus } from './backup-log.ts';
import type { RunStatus } from './sync-runs.ts';

/** Syncs (of a store) or backup job runs (of a job). */
export type RunKind = 'sync' | 'backup';

/** One stage of a run: when it started and, once over, when it ended (ISO times, as JSON keeps them). */
export interface StageRecord {
  name: string;
  startedAt: string;
  endedAt?: string;
}

/** What every kind of run records alike: the ops database's view `runs` over sync_runs and backup_runs. */
export interface RunRecord {
  kind: RunKind;
  /** The run's id in its own kind's log (a sync and a backup may share one). */
  id: number;
  /** The store (sync) or the job (backup). */
  subject: string;
  trigger: string;
  status: RunStatus | BackupStatus;
  stage: string | null;
  stages: StageRecord[];
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

/**
 * The runs of every kind, read together from every tokobot process's records: what the monitors,
 * the dashboard and later workers read. Nothing here changes anything. Newest first means by
 * start time, then the higher id, then the kind.
 */
export interface RunHistory {
  /** Every run recorded as running or pending (stuck ones included: the reader judges), of one kind or all; oldest started first. */
  running(kind?: RunKind): Promise<RunRecord[]>;
  /** The newest `limit` runs, of one kind and one subject when given; newest first. */
  recent(options: { kind?: RunKind; subject?: string; limit: number }): Promise<RunRecord[]>;
}
