import { HttpError, type Transformer } from 'grammy';
import { unreachableReason } from './telegram-client.ts';

export interface NetworkRetryOptions {
  /** Wait after the first failure, doubled after each further one up to maxDelayMs. */
  firstDelayMs?: number;
  /**
   * The longest wait between tries: after Telegram comes back, the bot hears of it within this
   * long (plus the answer). 10 s costs six small requests a minute during an outage.
   */
  maxDelayMs?: number;
  /** A call other than getUpdates (a reply, an alert) still failing after this long gets its error. */
  giveUpMs?: number;
  /**
   * A long poll asks Telegram to answer within its `timeout`; one still open this much later is
   * a connection dropped without a word (a dead NAT entry, a changed route): it is cut and tried again.
   */
  pollGraceMs?: number;
  /** Each failure that will be tried again. */
  onRetry?: (method: string, reason: string, delayMs: number) => void;
  /** A call that went through after failing `tries` times. */
  onRecovered?: (method: string, tries: number, afterMs: number) => void;
}

export const NETWORK_RETRY_DEFAULTS = { firstDelayMs: 1_000, maxDelayMs: 10_000, giveUpMs: 10 * 60_000, pollGraceMs: 15_000 };

/** Waits `ms`, or rejects as soon as `signal` aborts (tokobot stopping, or a caller's own limit). */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal?.removeEventListener('abort', abort); resolve(); }, ms);
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Retries Bot API calls that could not reach Telegram (grammY's HttpError: refused, reset, timed
 * out, an answer that is not JSON such as a proxy's 502 page) with waits that double up to a
 * short cap, and getUpdates also on a 5xx answer. It replaces the waits of @grammyjs/auto-retry
 * (which double up to an hour) and of the runner (which double without end) for these cases:
 * after a 105 s outage those left the bot deaf for another 85 s. getUpdates is retried for as
 * long as it takes; other calls for `giveUpMs`; nothing is retried once `signal` aborts.
 */
export function networkRetry(options: NetworkRetryOptions = {}): Transformer {
  const o = { ...NETWORK_RETRY_DEFAULTS, ...options };
  return async (prev, method, payload, shimSignal) => {
    // grammY types signals with the abort-controller shim; at run time they are Node's own.
    const signal = shimSignal as globalThis.AbortSignal | undefined;
    type ShimSignal = typeof shimSignal;
    const polling = method === 'getUpdates';
    const started = Date.now();
    for (let delay = o.firstDelayMs, tries = 0; ; delay = Math.min(o.maxDelayMs, delay * 2), tries++) {
      let reason: string;
      try {
        const timeoutS = polling ? Number((payload as { timeout?: number }).timeout ?? 0) : 0;
        const cut = polling ? AbortSignal.timeout(timeoutS * 1000 + o.pollGraceMs) : undefined;
        const res = await prev(method, payload, (cut ? (signal ? AbortSignal.any([signal, cut]) : cut) : signal) as ShimSignal);
        if (res.ok || !polling || res.error_code < 500) {
          if (tries) o.onRecovered?.(method, tries, Date.now() - started);
          return res;
        }
        reason = `${res.error_code} ${res.description}`;
      } catch (err) {
        if (signal?.aborted || !(err instanceof HttpError)) throw err;
        if (!polling && Date.now() - started + delay > o.giveUpMs) throw err;
        reason = unreachableReason(err);
      }
      o.onRetry?.(method, reason, delay);
      await pause(delay, signal);
    }
  };
}
