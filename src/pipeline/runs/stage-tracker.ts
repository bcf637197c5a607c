import { AppError } from '../../errors.ts';
import type { StageRecord } from '../../store/run-history.ts';

/** Why a run stops at a stage boundary: the reason its signal was aborted with (shutdown, cancel, time limit). */
function stopReason(signal: AbortSignal, stage: string): Error {
  return signal.reason instanceof Error ? signal.reason : new AppError('interrupted', 'tokobot', { en: `Stopped before the ${stage} stage.`, id: `Dihentikan sebelum tahap ${stage}.` });
}

/** How long each stage took, in ms (0 for one not ended): a run's own, or one read back from the run log. */
export function stageDurations(stages: readonly StageRecord[]): Record<string, number> {
  return Object.fromEntries(stages.map((s) => [s.name, s.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : 0]));
}

/**
 * The stages of one run, of any kind: each stage's start and end recorded in the run log as it
 * begins (through `save`), and reported as progress. A run whose signal is aborted stops at the
 * next stage boundary, with the reason it was aborted with.
 */
export class StageTracker<P extends { stage: string }> {
  readonly stages: StageRecord[] = [];
  current: P['stage'] | null = null;

  constructor(
    private readonly save: (stage: P['stage'], stages: StageRecord[]) => Promise<void>,
    private readonly onProgress: (p: P) => void = () => undefined,
    private readonly signal?: AbortSignal,
  ) {}

  /** Ends the stage before (if any) and starts `stage`, with what the first progress report says of it. */
  async begin(stage: P['stage'], details?: Omit<P, 'stage'>): Promise<void> {
    if (this.signal?.aborted) throw stopReason(this.signal, stage);
    this.close();
    this.current = stage;
    this.stages.push({ name: stage, startedAt: new Date().toISOString() });
    await this.save(stage, this.stages);
    this.onProgress({ ...details, stage } as P);
  }

  /** How far the current stage is (bytes, rows...). */
  progress(details: Omit<P, 'stage'>): void {
    if (this.current) this.onProgress({ ...details, stage: this.current } as P);
  }

  /** Ends the current stage (in memory: the next save records it). */
  close(): void {
    const last = this.stages.at(-1);
    if (last && !last.endedAt) last.endedAt = new Date().toISOString();
  }

  durations(): Record<string, number> {
    return stageDurations(this.stages);
  }
}
