import { AppError } from '../../errors.ts';
import type { RunDetails, StageRecord, SyncRunLog } from '../../store/sync-runs.ts';

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

/** Records each stage of one run in the history as it starts and ends, and reports progress. */
export class RunTracker {
  readonly stages: StageRecord[] = [];
  current: SyncStage | null = null;

  constructor(
    private readonly runs: Pick<SyncRunLog, 'update'>,
    readonly runId: number,
    private readonly onProgress: SyncProgressFn = () => undefined,
    private readonly signal?: AbortSignal,
  ) {}

  /** Starts a stage; a run asked to stop (shutdown) ends here, between stages. */
  async begin(stage: SyncStage, text?: string): Promise<void> {
    if (this.signal?.aborted) {
      throw new AppError('interrupted', 'tokobot', 'Stopped because tokobot is shutting down; nothing was published. The next sync will try again.');
    }
    this.close();
    this.current = stage;
    this.stages.push({ name: stage, startedAt: new Date().toISOString() });
    await this.runs.update(this.runId, { stage, stages: this.stages });
    this.onProgress({ stage, text });
  }

  progress(done: number, total: number, text?: string): void {
    if (this.current) this.onProgress({ stage: this.current, done, total, text });
  }

  async record(details: RunDetails): Promise<void> {
    await this.runs.update(this.runId, details);
  }

  close(): void {
    const last = this.stages.at(-1);
    if (last && !last.endedAt) last.endedAt = new Date().toISOString();
  }

  durations(): Record<string, number> {
    return Object.fromEntries(this.stages.map((s) => [s.name, s.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : 0]));
  }
}
