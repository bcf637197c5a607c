import type { Message } from '../message.ts';
import type { Channel } from '../pipeline/alerts/ports.ts';
import type { OutboxEvent } from './alerts.ts';

/** A queued message, as a deliverer takes it. */
export interface OutboxRow {
  id: number;
  batch: number;
  channel: Channel;
  recipient: string;
  /** A report is its recipient's own: never handed to someone else when its channel is down. */
  event: OutboxEvent;
  /** As the engine composed it; each channel renders it. */
  message: Message;
  /** Attempts so far, the one it was taken for included (taking a row counts it: it is also the row's fence). */
  attempts: number;
}

/**
 * The alert outbox (filled by AlertStore.flush), as deliverers see it. Every method is one short
 * step that leaves nothing open (no transaction, no lock) when it returns, so that a message can
 * be on its way for minutes without holding anything in the store. Several deliverers, in one
 * process or several, may work at once.
 */
export interface AlertOutboxStore {
  /**
   * Takes the oldest row due at `now` (not delivered, not given up, next attempt at or before
   * now), or null when none is: counts the attempt and leases the row to the taker by moving its
   * next attempt to `leaseUntil`, in one step. Two takes at once never get the same row.
   */
  take(now: Date, leaseUntil: Date): Promise<OutboxRow | null>;

  /**
   * The outcome of a taken row: delivered (via what; `note`, when given, replaces the last error),
   * tried again at `at`, or given up. Written only while the row is still the taker's (its
   * attempts unchanged since take(); otherwise its lease ran out and another deliverer took it,
   * and nothing is written).
   */
  delivered(row: OutboxRow, at: Date, via: string, note: string | null): Promise<void>;
  /**
   * `rest`, when given, becomes the row's message: what is still to send after a send that got part
   * of it through (the text of a report, not its PDF), so that the next try never repeats that part.
   */
  retryAt(row: OutboxRow, at: Date, error: string, rest?: Message): Promise<void>;
  giveUp(row: OutboxRow, at: Date, error: string): Promise<void>;

  /** Whether `batch` has a message for `recipient` on `channel` equal to `message`, whatever became of it. */
  hasCopy(batch: number, channel: Channel, recipient: string, message: Message): Promise<boolean>;
}
