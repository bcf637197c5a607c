import type { Message } from '../message.ts';
import type { OpenAlert } from '../pipeline/alerts/alert-types.ts';
import type { Channel } from '../pipeline/alerts/ports.ts';

/** What is still to be told about an alert: that it opened, that it is still open (a reminder), that it was resolved. */
export type AlertEvent = 'open' | 'remind' | 'resolve';

/** What a queued message tells: an alert's change, a digest of several alerts, or a person's own report. */
export type OutboxEvent = AlertEvent | 'digest' | 'report';

/** An alert as stored: open (resolvedAt null) or resolved, and what is still to be told about it. */
export interface AlertRecord extends OpenAlert {
  updatedAt: Date;
  resolvedAt: Date | null;
  pending: AlertEvent | null;
}

/**
 * One queued message: to `recipient` on `channel`; alertKey null for a digest of several alerts
 * and for a report. A report (a scheduled report, a publication's price changes) is that person's
 * own: it may go to them on another channel, never to someone else instead.
 */
export interface OutboxMessage {
  alertKey: string | null;
  event: OutboxEvent;
  channel: Channel;
  recipient: string;
  message: Message;
}

/**
 * Alerts as state, keyed by what is wrong and where ("sync:pusat"), shared by every tokobot
 * process on the ops database. The rules (when an alert opens, what is told) are the
 * AlertEngine's; the store keeps each change whole.
 */
export interface AlertStore {
  /**
   * Reads alert `key` (null when it was never raised), asks `decide` what it becomes, and stores
   * that record whole (unless decide answers next: null), atomically: no other change of this
   * alert, from any process, comes between the read and the write. decide is called once and must
   * not wait on anything. Returns decide's result.
   */
  change<T>(key: string, decide: (current: AlertRecord | null) => { next: AlertRecord | null; result: T }): Promise<T>;

  /** The open alerts (resolvedAt null), oldest opened first. */
  open(): Promise<AlertRecord[]>;

  /** The resolved alerts, most recently resolved first, at most `limit` (an alert raised again is open, not here). */
  resolved(limit: number): Promise<AlertRecord[]>;

  /** Sets mutedUntil on the open alert `key`, or on every open one when key is null (null `until` unmutes); returns how many. */
  mute(key: string | null, until: Date | null): Promise<number>;

  /**
   * Marks "remind" every open alert with nothing pending, last told at or before `toldBefore` and
   * not muted at `now` (mutedUntil null or not after now); returns how many.
   */
  markReminders(toldBefore: Date, now: Date): Promise<number>;

  /**
   * Hands the alerts with something pending (critical first, then oldest opened, then by key) to
   * `compose`, queues the messages it returns in the outbox as one new batch, due at `now`, and
   * marks those alerts told (nothing pending; lastSentAt = now unless what was told is their
   * resolution) — all or nothing, so that a crash neither loses nor repeats a message, and two
   * flushes at once never both tell one change. With nothing pending compose is not called.
   * Returns how many messages were queued.
   */
  flush(now: Date, compose: (pending: AlertRecord[]) => OutboxMessage[]): Promise<number>;

  /**
   * Queues `messages` (a scheduled report's) in the outbox as one new batch, due at `now`, unless a
   * batch was already queued under `key` (e.g. "digest:week:2026-11-23:Bu Sari"): then nothing
   * changes. The key and the messages are stored together or not at all, so that a task retried
   * after a crash, or run by two processes at once, queues a report once. Returns whether it queued.
   */
  queueOnce(key: string, now: Date, messages: OutboxMessage[]): Promise<boolean>;
}
