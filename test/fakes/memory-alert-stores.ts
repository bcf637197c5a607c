import { isDeepStrictEqual } from 'node:util';
import type { Message } from '../../src/message.ts';
import type { Channel } from '../../src/pipeline/alerts/ports.ts';
import type { AlertRecord, AlertStore, OutboxMessage } from '../../src/store/alerts.ts';
import type { AlertOutboxStore, OutboxRow } from '../../src/store/outbox.ts';
import { asJson } from './memory-backup-log.ts';

/** An outbox row with everything the PostgreSQL table keeps, for tests to read. */
export interface MemoryOutboxEntry extends OutboxMessage {
  id: number;
  batch: number;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  gaveUpAt: Date | null;
  via: string | null;
  lastError: string | null;
}

/** What the alert store and the outbox share, as the alerts and alert_outbox tables do. */
class AlertTables {
  readonly alerts = new Map<string, AlertRecord>();
  readonly outbox: MemoryOutboxEntry[] = [];
  /** queueOnce's keys, as the outbox_keys table. */
  readonly keys = new Set<string>();
  batches = 0;
}

const copy = (a: AlertRecord): AlertRecord => ({ ...a, params: asJson(a.params) });
const isOpen = (a: AlertRecord) => a.resolvedAt === null;
const atOrBefore = (a: Date, b: Date) => a.getTime() <= b.getTime();

/** Alerts in memory. Each method runs to its end without waiting, which is what makes it atomic here. */
export class MemoryAlertStore implements AlertStore {
  constructor(readonly tables: AlertTables = new AlertTables()) {}

  async change<T>(key: string, decide: (current: AlertRecord | null) => { next: AlertRecord | null; result: T }): Promise<T> {
    const current = this.tables.alerts.get(key);
    const { next, result } = decide(current ? copy(current) : null);
    if (next) this.tables.alerts.set(key, copy({ ...next, key }));
    return result;
  }

  async open(): Promise<AlertRecord[]> {
    return [...this.tables.alerts.values()].filter(isOpen).sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime()).map(copy);
  }

  async resolved(limit: number): Promise<AlertRecord[]> {
    return [...this.tables.alerts.values()].filter((a) => !isOpen(a))
      .sort((a, b) => b.resolvedAt!.getTime() - a.resolvedAt!.getTime() || (a.key < b.key ? -1 : 1)).slice(0, limit).map(copy);
  }

  async mute(key: string | null, until: Date | null): Promise<number> {
    const muted = [...this.tables.alerts.values()].filter((a) => isOpen(a) && (key === null || a.key === key));
    for (const a of muted) a.mutedUntil = until;
    return muted.length;
  }

  async markReminders(toldBefore: Date, now: Date): Promise<number> {
    const due = [...this.tables.alerts.values()].filter((a) => isOpen(a) && a.pending === null && a.lastSentAt !== null
      && atOrBefore(a.lastSentAt, toldBefore) && (a.mutedUntil === null || atOrBefore(a.mutedUntil, now)));
    for (const a of due) a.pending = 'remind';
    return due.length;
  }

  async flush(now: Date, compose: (pending: AlertRecord[]) => OutboxMessage[]): Promise<number> {
    const pending = [...this.tables.alerts.values()].filter((a) => a.pending !== null).sort((a, b) =>
      Number(b.severity === 'critical') - Number(a.severity === 'critical') || a.openedAt.getTime() - b.openedAt.getTime() || (a.key < b.key ? -1 : 1));
    if (!pending.length) return 0;
    const messages = compose(pending.map(copy)); // before any change: a compose that throws leaves everything as it was
    this.push(messages, now);
    for (const a of pending) {
      if (a.pending !== 'resolve') a.lastSentAt = now;
      a.pending = null;
    }
    return messages.length;
  }

  async queueOnce(key: string, now: Date, messages: OutboxMessage[]): Promise<boolean> {
    if (this.tables.keys.has(key)) return false;
    this.tables.keys.add(key);
    this.push(messages, now);
    return true;
  }

  private push(messages: OutboxMessage[], now: Date): void {
    const batch = ++this.tables.batches;
    for (const m of messages) {
      this.tables.outbox.push({ ...m, message: asJson(m.message), id: this.tables.outbox.length + 1, batch, createdAt: now, attempts: 0, nextAttemptAt: now,
        deliveredAt: null, gaveUpAt: null, via: null, lastError: null });
    }
  }
}

/** The outbox in memory, sharing its rows with a MemoryAlertStore's flush. */
export class MemoryAlertOutbox implements AlertOutboxStore {
  constructor(readonly tables: AlertTables) {}

  get rows(): readonly MemoryOutboxEntry[] {
    return this.tables.outbox;
  }

  async take(now: Date, leaseUntil: Date): Promise<OutboxRow | null> {
    const row = this.tables.outbox.find((r) => !r.deliveredAt && !r.gaveUpAt && atOrBefore(r.nextAttemptAt, now));
    if (!row) return null;
    row.attempts++;
    row.nextAttemptAt = leaseUntil;
    return { id: row.id, batch: row.batch, event: row.event, channel: row.channel, recipient: row.recipient, message: asJson(row.message), attempts: row.attempts };
  }

  private settle(taken: OutboxRow, change: Partial<MemoryOutboxEntry>): Promise<void> {
    const row = this.tables.outbox.find((r) => r.id === taken.id && r.attempts === taken.attempts);
    if (row) Object.assign(row, change);
    return Promise.resolve();
  }

  delivered(row: OutboxRow, at: Date, via: string, note: string | null): Promise<void> {
    const lastError = note ?? this.tables.outbox.find((r) => r.id === row.id)?.lastError ?? null;
    return this.settle(row, { deliveredAt: at, via, lastError });
  }

  retryAt(row: OutboxRow, at: Date, error: string, rest?: Message): Promise<void> {
    return this.settle(row, { nextAttemptAt: at, lastError: error, ...(rest ? { message: asJson(rest) } : {}) });
  }

  giveUp(row: OutboxRow, at: Date, error: string): Promise<void> {
    return this.settle(row, { gaveUpAt: at, lastError: error });
  }

  async hasCopy(batch: number, channel: Channel, recipient: string, message: Message): Promise<boolean> {
    return this.tables.outbox.some((r) => r.batch === batch && r.channel === channel && r.recipient === recipient && isDeepStrictEqual(r.message, asJson(message)));
  }
}

/** An alert store and its outbox over the same tables. */
export function memoryAlertStores(): { alerts: MemoryAlertStore; outbox: MemoryAlertOutbox } {
  const tables = new AlertTables();
  return { alerts: new MemoryAlertStore(tables), outbox: new MemoryAlertOutbox(tables) };
}
