import type { Logger } from 'pino';
import { AppError, isAppError, type ErrorFacts } from '../../errors.ts';
import type { JobRun } from '../ports.ts';

/** How a run the job started ended, as far as the queue cares. */
interface Ended {
  status: string;
  failure?: ErrorFacts | null;
}

export interface RunTaskDeps<S> {
  /** 'sync' or 'backup': what the job runs. */
  kind: string;
  /** The store or backup job the payload names, if it is still configured. */
  find(id: string): S | undefined;
  run(subject: S, trigger: string): Promise<Ended>;
  /** True once this process is shutting down: a run it stopped is tried again (here after a restart, or by another worker). */
  stopping(): boolean;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What a job of `kind` must carry; anything else in the queue is logged and dropped, never guessed at. */
function readPayload(payload: unknown, key: string): { id: string; trigger: string } | null {
  if (!payload || typeof payload !== 'object') return null;
  const p = payload as Record<string, unknown>;
  const id = p[key];
  const trigger = p.trigger ?? 'schedule';
  return typeof id === 'string' && id.length > 0 && id.length <= 64 && typeof trigger === 'string' ? { id, trigger: trigger.slice(0, 32) } : null;
}

/**
 * A failure that may pass when tried later: a system out of reach, the store busy in another
 * process (a sync asked from a chat), a run stopped because its worker shut down. A cancel by a
 * person, a refused or corrupt backup and a bug are not tried again: the run log has the failure
 * and the alerts tell it, once.
 */
function worthRetrying(facts: ErrorFacts | null | undefined, stopping: boolean): boolean {
  if (!facts) return false;
  return facts.kind === 'unreachable' || facts.kind === 'busy' || (facts.kind === 'interrupted' && stopping);
}

/**
 * The task for one kind of run: reads the job, runs it through the kind's runner (its lock, crash
 * recovery and run log, as every run), and throws only when the engine should try again later —
 * and not on the last try, which ends the job like any other: recorded, alerted, done.
 */
export function runTask<S>(deps: RunTaskDeps<S>, key: string): (job: JobRun) => Promise<void> {
  return async (job) => {
    const asked = readPayload(job.payload, key);
    if (!asked) return void deps.logger.error({ kind: deps.kind, payload: job.payload }, `a queued ${deps.kind} job names no ${key}; it was dropped`);
    const subject = deps.find(asked.id);
    if (!subject) return void deps.logger.warn({ kind: deps.kind, [key]: asked.id }, `${key} ${asked.id} is no longer configured; its queued ${deps.kind} was dropped`);
    let facts: ErrorFacts | null | undefined;
    try {
      const ended = await deps.run(subject, asked.trigger);
      if (ended.status !== 'failed') return;
      facts = ended.failure;
    } catch (err) {
      // The runner refuses before a run starts: busy here or elsewhere, or shutting down.
      if (!isAppError(err)) throw err;
      facts = { kind: err.kind, system: err.system };
    }
    const retry = worthRetrying(facts, deps.stopping());
    if (!retry) return;
    if (job.attempt >= job.maxAttempts) {
      return void deps.logger.warn({ kind: deps.kind, [key]: asked.id, attempts: job.attempt }, `${deps.kind} of ${asked.id} given up after ${job.attempt} tries`);
    }
    throw new AppError(facts!.kind, facts!.system, `${deps.kind} of ${asked.id}: try ${job.attempt} of ${job.maxAttempts} failed (${facts!.kind}, ${facts!.system}); tried again later`, { retryable: true });
  };
}
