import type pg from 'pg';
import { MESSAGE_FILE_TYPES, type Message, type MessageFile } from '../../message.ts';
import type { Channel } from '../../pipeline/alerts/ports.ts';
import type { AlertOutboxStore, OutboxRow } from '../outbox.ts';

const SEVERITIES: Message['severity'][] = ['info', 'warning', 'error'];

const isFile = (f: unknown): f is MessageFile => {
  const x = f as Partial<MessageFile> | null;
  return Boolean(x) && typeof x!.name === 'string' && typeof x!.base64 === 'string' && MESSAGE_FILE_TYPES.includes(x!.type as MessageFile['type']);
};

/** A stored message as a Message, whatever the row holds: a damaged row still goes out, as what it has. */
function readMessage(v: unknown): Message {
  const m = (v ?? {}) as { severity?: unknown; title?: unknown; lines?: unknown; files?: unknown; html?: unknown };
  const lines = Array.isArray(m.lines) ? m.lines.map(String) : [];
  const files = Array.isArray(m.files) ? m.files.filter(isFile) : [];
  return {
    severity: SEVERITIES.find((s) => s === m.severity) ?? 'warning',
    ...(typeof m.title === 'string' ? { title: m.title } : {}),
    lines,
    ...(files.length ? { files } : {}),
    ...(typeof m.html === 'string' ? { html: m.html } : {}),
  };
}

/**
 * The alert_outbox table. take() is a single UPDATE whose row is chosen with FOR UPDATE SKIP
 * LOCKED, so that concurrent takers skip each other's row instead of waiting for it; outcomes
 * are single UPDATEs fenced by the attempt count.
 */
export class PostgresAlertOutbox implements AlertOutboxStore {
  constructor(private readonly pool: pg.Pool) {}

  async take(now: Date, leaseUntil: Date): Promise<OutboxRow | null> {
    const res = await this.pool.query(`UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = $2
      WHERE id = (SELECT id FROM alert_outbox WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, batch, event, channel, recipient, message, attempts`, [now, leaseUntil]);
    const r = res.rows[0];
    return r ? { id: Number(r.id), batch: Number(r.batch), event: r.event, channel: r.channel, recipient: r.recipient, message: readMessage(r.message), attempts: r.attempts } : null;
  }

  private async settle(row: OutboxRow, set: string, params: unknown[]): Promise<void> {
    await this.pool.query(`UPDATE alert_outbox SET ${set} WHERE id = $1 AND attempts = $2`, [row.id, row.attempts, ...params]);
  }

  delivered(row: OutboxRow, at: Date, via: string, note: string | null): Promise<void> {
    return this.settle(row, 'delivered_at = $3, via = $4, last_error = coalesce($5, last_error)', [at, via, note]);
  }

  retryAt(row: OutboxRow, at: Date, error: string, rest?: Message): Promise<void> {
    return this.settle(row, 'next_attempt_at = $3, last_error = $4, message = coalesce($5::jsonb, message)', [at, error, rest ? JSON.stringify(rest) : null]);
  }

  giveUp(row: OutboxRow, at: Date, error: string): Promise<void> {
    return this.settle(row, 'gave_up_at = $3, last_error = $4', [at, error]);
  }

  async hasCopy(batch: number, channel: Channel, recipient: string, message: Message): Promise<boolean> {
    const res = await this.pool.query('SELECT 1 FROM alert_outbox WHERE batch = $1 AND channel = $2 AND recipient = $3 AND message = $4::jsonb',
      [batch, channel, recipient, JSON.stringify(message)]);
    return Boolean(res.rowCount);
  }
}
