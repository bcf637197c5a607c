import type { Logger } from 'pino';
import { AppError, describeError } from '../../errors.ts';
import { runOnce, type Lifecycle, type RunEnd } from './lifecycle.ts';

interface Running<S, P, O> {
  subject: S;
  progress: P;
  stop: AbortController;
  done: Promise<O>;
}

/**
 * The runs of one kind that a tokobot process starts (schedule, chat, CLI), all through the same
 * lifecycle: one run per store or job at a time (here and, by its lock, in every process), crash
 * recovery at start and before each run, progress, cancel, a report of every finished run, and a
 * clean stop on shutdown — so that no run is ever left "running" in the history.
 */
export class Runner<S, P extends { stage: string }, O> {
  private readonly running = new Map<string, Running<S, P, O>>();
  private stopping = false;
  private readonly listeners: ((outcome: O, subject: S) => Promise<void> | void)[] = [];
  private readonly startListeners: ((subject: S, trigger: string) => void)[] = [];

  constructor(
    private readonly lifecycle: Lifecycle<S, P, O>,
    private readonly subjects: readonly S[],
    protected readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  ) {}

  /** Called with every finished run, good or failed (alerts listen here); a listener's failure is logged, never the run's. */
  onFinished(listener: (outcome: O, subject: S) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  /**
   * Called once per run as it begins (lock taken, recovery done, recorded in the run log, its first
   * stage under way), so a run refused busy is never heard of; other monitors listen here. The
   * listener is called synchronously and must not hold the run: its failure is logged, never the run's.
   */
  onStarted(listener: (subject: S, trigger: string) => void): void {
    this.startListeners.push(listener);
  }

  /** What this process's run of the store or job is doing now, if it runs one. */
  progress(id: string): P | null {
    return this.running.get(id)?.progress ?? null;
  }

  /**
   * Starts a run; rejects with AppError 'busy' when one of the subject runs (here or in another
   * process) and 'interrupted' once shutdown has begun. Resolves with how the run ended.
   */
  run(subject: S, trigger: string, onProgress?: (p: P) => void): Promise<O> {
    const id = this.lifecycle.id(subject);
    if (this.stopping) return Promise.reject(new AppError('interrupted', 'tokobot', {
      en: 'tokobot is shutting down; try again when it is back.',
      id: 'tokobot sedang dimatikan; coba lagi setelah tokobot berjalan kembali.',
    }, { retryable: true }));
    if (this.running.has(id)) return Promise.reject(new AppError('busy', 'tokobot', this.lifecycle.busy(subject), { retryable: true }));
    const stop = new AbortController();
    const entry = { subject, progress: this.lifecycle.starting, stop } as Running<S, P, O>; // its `done` is set below
    let begun = false;
    const report = (p: P) => {
      entry.progress = p;
      if (!begun) { begun = true; this.started(subject, trigger); }
      onProgress?.(p);
    };
    entry.done = runOnce(this.lifecycle, subject, trigger, report, stop.signal)
      .then(async (outcome) => { await this.finished(id, subject, outcome); return outcome; })
      .finally(() => { this.running.delete(id); });
    this.running.set(id, entry);
    return entry.done;
  }

  private started(subject: S, trigger: string): void {
    for (const listener of this.startListeners) {
      try {
        listener(subject, trigger);
      } catch (err) {
        this.logger.warn({ err, kind: this.lifecycle.kind }, `a listener of started ${this.lifecycle.kind} runs failed`);
      }
    }
  }

  private async finished(id: string, subject: S, outcome: O): Promise<void> {
    const { runId, status, error } = this.lifecycle.summary(outcome);
    const kind = this.lifecycle.kind;
    this.logger[status === 'failed' ? 'error' : 'info']({ kind, subject: id, run: runId, status, error }, `${kind} finished`);
    for (const listener of this.listeners) {
      await Promise.resolve().then(() => listener(outcome, subject)).catch((err) => this.logger.warn({ err, kind }, `a listener of finished ${kind} runs failed`));
    }
  }

  /**
   * Stops this process's run of the store or job `id`: it ends as failed, saying who cancelled it
   * (`by`) and what was kept. Null when none runs here; else the stage it was in and how it ends
   * (it may still succeed, when past the point where it could stop).
   */
  cancel(id: string, by: string): { stage: string; ended: Promise<RunEnd> } | null {
    const run = this.running.get(id);
    if (!run) return null;
    const { stage } = run.progress;
    run.stop.abort(this.lifecycle.cancelError(run.subject, by));
    const ended = run.done.then((outcome): RunEnd => {
      const { status, error } = this.lifecycle.summary(outcome);
      return { status, error };
    }, (err: unknown): RunEnd => ({ status: 'failed', error: describeError(err) }));
    return { stage, ended };
  }

  /**
   * At start: what runs interrupted by a crash left is put right, for every store or job not
   * running in another process now. A recovery that fails is logged; it is tried again before the next run.
   */
  async recover(): Promise<void> {
    const { kind } = this.lifecycle;
    for (const subject of this.subjects) {
      const id = this.lifecycle.id(subject);
      try {
        const release = await this.lifecycle.lock(`${kind}:${id}`);
        if (!release) continue;
        try {
          await this.lifecycle.recover(subject, 'start');
        } finally {
          await release();
        }
      } catch (err) {
        this.logger.warn({ err, kind, subject: id }, `crash recovery of ${kind} ${id} failed; it is tried again before its next run`);
      }
    }
  }

  /** Refuses new runs, waits up to `graceMs` for running ones, then stops them (each ends failed, saying why). */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    const all = () => Promise.allSettled([...this.running.values()].map((r) => r.done));
    const timer = new Promise<'late'>((resolve) => { const t = setTimeout(() => resolve('late'), graceMs); t.unref(); });
    if ((await Promise.race([all().then(() => 'done' as const), timer])) === 'late') {
      this.logger.warn({ running: this.running.size }, `stopping running ${this.lifecycle.kind} runs for shutdown`);
      for (const r of this.running.values()) r.stop.abort(this.lifecycle.shutdownError(r.subject));
    }
    await all();
  }
}
