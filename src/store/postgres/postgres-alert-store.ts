import type pg from 'pg';
import { inTransaction } from './in-transaction.ts';
import type { AlertEvent, AlertRecord, AlertStore, OutboxMessage } from '../alerts.ts';

function toRecord(r: Record<string, unknown>): AlertRecord {
  return {
    key: r.key as string, kind: r.kind as AlertRecord['kind'], severity: r.severity as AlertRecord['severity'], subject: r.subject as string,
    params: r.params as AlertRecord['params'], openedAt: r.opened_at as Date, lastSentAt: r.last_sent_at as Date | null,
    mutedUntil: r.muted_until as Date | null, pending: r.pending as AlertEvent | null, resolvedAt: r.resolved_at as Date | null,
    updatedAt: r.updated_at as Date,
  };
}

async function insertMessages(c: pg.ClientBase, batch: number, messages: OutboxMessage[], now: Date): Promise<void> {
  for (const m of messages) {
    await c.query(`INSERT INTO alert_outbox (batch, alert_key, event, channel, recipient, message, created_at, next_attempt_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, [batch, m.alertKey, m.event, m.channel, m.recipient, JSON.stringify(m.message), now]);
  }
}

/** Alerts in the ops database's alerts table; flush() also fills alert_outbox, in the same transaction. */
export class PostgresAlertStore implements AlertStore {
  constructor(private readonly pool: pg.Pool) {}

  change<T>(key: string, decide: (current: AlertRecord | null) => { next: AlertRecord | null; result: T }): Promise<T> {
    return inTransaction(this.pool, async (c) => {
      const res = await c.query('SELECT * FROM alerts WHERE key = $1 FOR UPDATE', [key]);
      const { next: n, result } = decide(res.rows[0] ? toRecord(res.rows[0]) : null);
      // A new key is not locked by the SELECT: two first raises at once both insert, the later one as an update.
      if (n) {
        await c.query(`INSERT INTO alerts (key, kind, severity, subject, params, opened_at, updated_at, resolved_at, last_sent_at, pending, muted_until)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
          ON CONFLICT (key) DO UPDATE SET kind = $2, severity = $3, subject = $4, params = $5, opened_at = $6, updated_at = $7,
            resolved_at = $8, last_sent_at = $9, pending = $10, muted_until = $11`,
        [key, n.kind, n.severity, n.subject, JSON.stringify(n.params), n.openedAt, n.updatedAt, n.resolvedAt, n.lastSentAt, n.pending, n.mutedUntil]);
      }
      return result;
    });
  }

  async open(): Promise<AlertRecord[]> {
    const res = await this.pool.query('SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY opened_at');
    return res.rows.map(toRecord);
  }

  async resolved(limit: number): Promise<AlertRecord[]> {
    const res = await this.pool.query('SELECT * FROM alerts WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC, key LIMIT $1', [limit]);
    return res.rows.map(toRecord);
  }

  async mute(key: string | null, until: Date | null): Promise<number> {
    const res = await this.pool.query('UPDATE alerts SET muted_until = $2 WHERE resolved_at IS NULL AND ($1::text IS NULL OR key = $1)', [key, until]);
    return res.rowCount ?? 0;
  }

  async markReminders(toldBefore: Date, now: Date): Promise<number> {
    const res = await this.pool.query(`UPDATE alerts SET pending = 'remind' WHERE resolved_at IS NULL AND pending IS NULL
      AND last_sent_at <= $1 AND (muted_until IS NULL OR muted_until <= $2)`, [toldBefore, now]);
    return res.rowCount ?? 0;
  }

  queueOnce(key: string, now: Date, messages: OutboxMessage[]): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      const batch = Number((await c.query("SELECT nextval('alert_batches') AS b")).rows[0].b);
      // The key's row is the claim: a second queueOnce of the same key waits here for the first to commit, then inserts nothing.
      const claimed = await c.query('INSERT INTO outbox_keys (key, batch, queued_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [key, batch, now]);
      if (!claimed.rowCount) return false;
      await insertMessages(c, batch, messages, now);
      return true;
    });
  }

  flush(now: Date, compose: (pending: AlertRecord[]) => OutboxMessage[]): Promise<number> {
    return inTransaction(this.pool, async (c) => {
      const rows = (await c.query("SELECT * FROM alerts WHERE pending IS NOT NULL ORDER BY severity = 'critical' DESC, opened_at, key FOR UPDATE")).rows.map(toRecord);
      if (!rows.length) return 0;
      const batch = Number((await c.query("SELECT nextval('alert_batches') AS b")).rows[0].b);
      const messages = compose(rows);
      await insertMessages(c, batch, messages, now);
      await c.query(`UPDATE alerts SET last_sent_at = CASE WHEN pending = 'resolve' THEN last_sent_at ELSE $2 END, pending = NULL
        WHERE key = ANY($1)`, [rows.map((a) => a.key), now]);
      return messages.length;
    });
  }
}
