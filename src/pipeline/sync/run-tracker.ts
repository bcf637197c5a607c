import type { RunDetails, SyncRunLog } from '../../store/sync-runs.ts';
import { StageTracker } from '../runs/stage-tracker.ts';

/** A sync's stages in the order they run (extract only for zips). */
export const SYNC_STAGES = ['check', 'download', 'extract', 'inspect', 'restore', 'analyze', 'export', 'validate', 'publish'] as const;
export type SyncStage = typeof SYNC_STAGES[number];

export interface SyncProgress {
  stage: SyncStage;
  /** Bytes or items done and expected, when the stage can tell. */
  done?: number;
  total?: number;
  text?: string;
}

export type SyncProgressFn = (p: SyncProgress) => void;

/** One sync run's stages in the sync run log, and what else the run records there as it goes. */
export class RunTracker extends StageTracker<SyncProgress> {
  constructor(private readonly runs: Pick<SyncRunLog, 'update'>, readonly runId: number, onProgress?: SyncProgressFn, signal?: AbortSignal) {
    super((stage, stages) => runs.update(runId, { stage, stages }), onProgress, signal);
  }

  async record(details: RunDetails): Promise<void> {
    await this.runs.update(this.runId, details);
  }
}
