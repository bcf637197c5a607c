import type { HelloAnswer, ReportAnswer, ReportBatch } from './protocol.ts';

/**
 * The head office's tokobot as a shop agent reaches it (protocol.ts). Both reject with an AppError
 * of system 'head-office': kind 'refused' for a refusal that sending again will not fix (the token
 * unknown or revoked, the wrong store, a bad report: `refusal` says which), 'unreachable' with
 * `retryable` for what later may fix (no connection, a timeout, 5xx, 429 and 503, where
 * `retryAfterMs` says how long the head office asked to wait). The token never appears in an error.
 */
export interface HeadOffice {
  /** Whether the head office answers and takes the token: what enrolment and doctor ask. */
  hello(signal?: AbortSignal): Promise<HelloAnswer>;
  /** Sends one batch; resolves once the head office stored it. */
  send(batch: ReportBatch, signal?: AbortSignal): Promise<ReportAnswer>;
}
