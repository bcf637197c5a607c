import { AppError, type Detail } from '../../errors.ts';
import type { Release } from '../../store/locks.ts';
import type { RunKind } from '../../store/run-history.ts';

/** How a run ended, the same for every kind. */
export interface RunEnd {
  status: string;
  error: string | null;
}

/** When crash recovery runs: as a long-running tokobot starts, or just before a run. */
type RecoveryMoment = 'start' | 'run';

/**
 * What one kind of run (sync, backup job, and whatever runs next) brings to the lifecycle every
 * kind shares: `S` is what a run is of (a store, a job), `P` its progress, `O` how it ended.
 */
export interface Lifecycle<S, P extends { stage: string }, O> {
  kind: RunKind;
  /** The store's or job's id: runs of one id never overlap (lock `<kind>:<id>`, in every process). */
  id(subject: S): string;
  /** Takes a lock for every process on the ops database (Locks.tryLock), or null when someone holds it. */
  lock(name: string): Promise<Release | null>;
  /** What a second run of the subject is refused with. */
  busy(subject: S): Detail;
  /** Puts right what interrupted runs of the subject left (their records, files, databases); called holding its lock. */
  recover(subject: S, moment: RecoveryMoment): Promise<void>;
  /** The progress shown from the moment a run is asked for. */
  starting: P;
  /**
   * One run, lock held and recovery done: it records itself in the run log from start to end and
   * resolves with how it ended, a failure included; it stops (as failed) when `signal` is aborted.
   */
  execute(subject: S, trigger: string, onProgress: (p: P) => void, signal: AbortSignal): Promise<O>;
  /** Why a run stops when tokobot shuts down, and when someone cancels it: AppError 'interrupted', saying what was kept. */
  shutdownError(subject: S): AppError;
  cancelError(subject: S, by: string): AppError;
  /** How a run ended, and its id in the run log. */
  summary(outcome: O): RunEnd & { runId: number };
}

/**
 * One run of `subject` as every kind runs it: its lock taken (AppError 'busy' when another run,
 * here or in another process, holds it), what interrupted runs left put right, then the run.
 */
export async function runOnce<S, P extends { stage: string }, O>(kind: Lifecycle<S, P, O>, subject: S, trigger: string,
  onProgress: (p: P) => void = () => undefined, signal: AbortSignal = new AbortController().signal): Promise<O> {
  const release = await kind.lock(`${kind.kind}:${kind.id(subject)}`);
  if (!release) throw new AppError('busy', 'tokobot', kind.busy(subject), { retryable: true });
  try {
    await kind.recover(subject, 'run');
    return await kind.execute(subject, trigger, onProgress, signal);
  } finally {
    await release();
  }
}
