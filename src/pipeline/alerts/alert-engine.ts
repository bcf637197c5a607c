import type { AlertEvent, AlertRecord, AlertStore, OutboxMessage } from '../../store/alerts.ts';
import { digestMessage, openMessage, remindMessage, resolvedMessage } from './alert-messages.ts';
import { addressOf, receives, type AlertInput, type OpenAlert, type Recipient, type ResolvedAlert } from './alert-types.ts';
import { CHANNELS } from './ports.ts';

export interface AlertEngineOptions {
  store: AlertStore;
  recipients: Recipient[];
  /** How long an open alert stays quiet before it is said again. */
  remindMs: number;
  /** The zone of times in alerts about no store (backup jobs, the disk): STORE_TZ. */
  zone: string;
  /** This many updates for one recipient in one flush become one digest message. */
  digestFrom?: number;
  clock?: () => Date;
}

/**
 * Alerts as state in the ops database: raise() opens one (or refreshes its details), clear()
 * resolves it, remind() marks the ones quiet for too long. Nothing is sent here: flush() turns
 * what changed into outbox rows, one per recipient and channel, several changes for one
 * recipient into one digest, in the same step that marks them told (AlertStore.flush) — so a
 * crash neither loses nor repeats a message. AlertOutbox delivers the rows.
 */
export class AlertEngine {
  private readonly clock: () => Date;

  constructor(private readonly o: AlertEngineOptions) {
    this.clock = o.clock ?? (() => new Date());
  }

  /** Opens the alert, or updates the details of the open one. True when it is newly open. */
  raise(a: AlertInput): Promise<boolean> {
    const now = this.clock();
    const details = { kind: a.kind, severity: a.severity, subject: a.subject, params: a.params, updatedAt: now };
    return this.o.store.change(a.key, (row) => {
      if (row && !row.resolvedAt) return { next: { ...row, ...details }, result: false };
      if (row && row.pending === 'resolve') { // resolved and raised again before anyone was told: nothing happened
        return { next: { ...row, ...details, resolvedAt: null, pending: null }, result: false };
      }
      return { next: { key: a.key, ...details, openedAt: now, pending: 'open', resolvedAt: null, lastSentAt: null, mutedUntil: null }, result: true };
    });
  }

  /** Resolves the alert if it is open. True when it was. */
  clear(key: string): Promise<boolean> {
    const now = this.clock();
    return this.o.store.change(key, (row) => {
      if (!row || row.resolvedAt) return { next: null, result: false };
      // Opened and cleared before anyone was told: there is nothing to say either way.
      return { next: { ...row, resolvedAt: now, updatedAt: now, pending: row.pending === 'open' ? null : 'resolve' }, result: true };
    });
  }

  async open(): Promise<OpenAlert[]> {
    // updatedAt is the store's bookkeeping, not part of what /status and the chats show.
    return (await this.o.store.open()).map(({ updatedAt: _, ...alert }) => alert);
  }

  /** Silences reminders of one open alert (or all, key null) until `until` (null: from now on again). Returns how many. */
  mute(key: string | null, until: Date | null): Promise<number> {
    return this.o.store.mute(key, until);
  }

  /** The alerts resolved most recently, newest first (their history). */
  async resolved(limit: number): Promise<ResolvedAlert[]> {
    return (await this.o.store.resolved(limit)).map(({ updatedAt: _, pending: __, resolvedAt, ...alert }) => ({ ...alert, resolvedAt: resolvedAt! }));
  }

  /** Marks open alerts that have been quiet for remindMs (and are not muted) to be said again. */
  remind(): Promise<number> {
    const now = this.clock();
    return this.o.store.markReminders(new Date(now.getTime() - this.o.remindMs), now);
  }

  /** Turns pending changes into outbox rows. Returns the number of rows queued. */
  flush(): Promise<number> {
    const now = this.clock();
    return this.o.store.flush(now, (pending) => this.messages(pending, now));
  }

  /** Per recipient, the pending changes they receive (severities, stores): one message each, or one digest; on each of their channels. */
  private messages(pending: AlertRecord[], now: Date): OutboxMessage[] {
    const out: OutboxMessage[] = [];
    for (const r of this.o.recipients) {
      const items = pending.filter((a) => receives(r, a)).map((alert) => ({ alert, event: alert.pending as AlertEvent }));
      if (!items.length) continue;
      const reader = { lang: r.lang, zone: this.o.zone };
      const bodies = items.length >= (this.o.digestFrom ?? 3)
        ? [{ alertKey: null, event: 'digest' as const, message: digestMessage(items, reader) }]
        : items.map(({ alert, event }) => ({ alertKey: alert.key, event,
          message: event === 'open' ? openMessage(alert, reader) : event === 'remind' ? remindMessage(alert, reader) : resolvedMessage(alert, reader, alert.resolvedAt ?? now) }));
      for (const channel of CHANNELS) {
        const recipient = addressOf(r, channel);
        if (!recipient) continue;
        for (const b of bodies) out.push({ ...b, channel, recipient });
      }
    }
    return out;
  }
}
