import { pause } from '../pause.ts';

/**
 * Calls `fn` again after failures that say they may pass (429, 5xx, network), waiting the time
 * the server asked for or an exponential backoff; anything else is thrown at once.
 */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryVerdict {
  retry: boolean;
  /** The wait the server asked for (Retry-After), if any. */
  afterMs?: number;
}

/** No single wait is longer than 20 s, so a shutdown (30 s of grace in tokobot start) never waits on one. */
export const defaultRetry: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 20_000 };

/** With `signal`, a wait between attempts ends when it fires, and the last failure is thrown. */
export async function withRetry<T>(fn: () => Promise<T>, judge: (err: unknown) => RetryVerdict, policy: RetryPolicy,
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const verdict = judge(err);
      if (!verdict.retry || attempt >= policy.attempts || signal?.aborted) throw err;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const wait = Math.min(policy.maxDelayMs, verdict.afterMs ?? backoff);
      onRetry?.(err, attempt, wait);
      if (await pause(wait, signal)) throw err;
    }
  }
}
