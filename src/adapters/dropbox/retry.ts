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

export const defaultRetry: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(fn: () => Promise<T>, judge: (err: unknown) => RetryVerdict, policy: RetryPolicy,
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const verdict = judge(err);
      if (!verdict.retry || attempt >= policy.attempts) throw err;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const wait = Math.min(policy.maxDelayMs, verdict.afterMs ?? backoff);
      onRetry?.(err, attempt, wait);
      await sleep(wait);
    }
  }
}
