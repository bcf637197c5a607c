import type pg from 'pg';
import { inTransaction } from '../../store/postgres/in-transaction.ts';
import { digestText, openText, remindText, resolvedText } from './alert-messages.ts';
import { addressOf, type AlertInput, type OpenAlert, type Recipient } from './alert-types.ts';
import type { Channel } from './ports.ts';

export interface AlertEngineOptions {
  pool: pg.Pool;
  recipients: Recipient[];
  /** How long an open alert stays quiet before it is said again. */
  remindMs: number;
  /** This many updates for one recipient in one flush become one digest message. */
  digestFrom?: number;
  clock?: () => Date;
}

type Event = 'open' | 'remind' | 'resolve';

function toAlert(r: Record<string, unknown>): OpenAlert & { pending: Event | null; resolvedAt: Date | null } {
  return {
    key: r.key as string, kind: r.kind as OpenAlert['kind'], severity: r.severity as OpenAlert['severity'], subject: r.subject as string,
    params: r.params as OpenAlert['params'], openedAt: r.opened_at as Date, lastSentAt: r.last_sent_at as Date | null,
    mutedUntil: r.muted_until as Date | null, pending: r.pending as Event | null, resolvedAt: r.resolved_at as Date | null,
  };
}

/**
 * Alerts as state in the ops database: raise() opens one (or refreshes its details), clear()
 * resolves it, remind() marks the ones quiet for too long. Nothing is sent here: flush() turns
 * what changed into outbox rows, one per recipient and channel, several changes for one
 * recipient into one digest, in the same transaction that marks them told — so a crash neither
 * loses nor repeats a message. AlertOutbox delivers the rows.
 */
export class AlertEngine {
  private readonly clock: () => Date;

  constructor(private readonly o: AlertEngineOptions) {
    this.clock = o.clock ?? (() => new Date());
  }

  private locked<T>(key: string, fn: (c: pg.PoolClient, row: ReturnType<typeof toAlert> | null) => Promise<T>): Promise<T> {
    return inTransaction(this.o.pool, async (c) => {
      const res = await c.query('SELECT * FROM alerts WHERE key = $1 FOR UPDATE', [key]);
      return fn(c, res.rows[0] ? toAlert(res.rows[0]) : null);
    });
  }

  /** Opens the alert, or updates the details of the open one. True when it is newly open. */
  raise(a: AlertInput): Promise<boolean> {
    const now = this.clock();
    return this.locked(a.key, async (c, row) => {
      const details = [a.kind, a.severity, a.subject, JSON.stringify(a.params), now, a.key];
      if (row && !row.resolvedAt) {
        await c.query('UPDATE alerts SET kind = $1, severity = $2, subject = $3, params = $4, updated_at = $5 WHERE key = $6', details);
        return false;
      }
      if (row && row.pending === 'resolve') { // resolved and raised again before anyone was told: nothing happened
        await c.query('UPDATE alerts SET kind = $1, severity = $2, subject = $3, params = $4, updated_at = $5, resolved_at = NULL, pending = NULL WHERE key = $6', details);
        return false;
      }
      await c.query(`INSERT INTO alerts (kind, severity, subject, params, updated_at, key, opened_at, pending) VALUES ($1, $2, $3, $4, $5, $6, $5, 'open')
        ON CONFLICT (key) DO UPDATE SET kind = $1, severity = $2, subject = $3, params = $4, updated_at = $5, opened_at = $5, pending = 'open',
          resolved_at = NULL, last_sent_at = NULL, muted_until = NULL`, details);
      return true;
    });
  }

  /** Resolves the alert if it is open. True when it was. */
  clear(key: string): Promise<boolean> {
    const now = this.clock();
    return this.locked(key, async (c, row) => {
      if (!row || row.resolvedAt) return false;
      // Opened and cleared before anyone was told: there is nothing to say either way.
      const pending = row.pending === 'open' ? null : 'resolve';
      await c.query('UPDATE alerts SET resolved_at = $2, updated_at = $2, pending = $3 WHERE key = $1', [key, now, pending]);
      return true;
    });
  }

  /** Open alerts whose key starts with `prefix`, e.g. every "stale:" one, so a monitor can clear what it no longer sees. */
  async openKeys(prefix: string): Promise<string[]> {
    const res = await this.o.pool.query("SELECT key FROM alerts WHERE resolved_at IS NULL AND key LIKE $1 || '%'", [prefix]);
    return res.rows.map((r) => r.key as string);
  }

  async open(): Promise<OpenAlert[]> {
    const res = await this.o.pool.query('SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY opened_at');
    return res.rows.map(toAlert);
  }

  /** Silences reminders of one open alert (or all, key null) until `until`. Returns how many. */
  async mute(key: string | null, until: Date): Promise<number> {
    const res = await this.o.pool.query('UPDATE alerts SET muted_until = $2 WHERE resolved_at IS NULL AND ($1::text IS NULL OR key = $1)', [key, until]);
    return res.rowCount ?? 0;
  }

  /** Marks open alerts that have been quiet for remindMs (and are not muted) to be said again. */
  async remind(): Promise<number> {
    const now = this.clock();
    const res = await this.o.pool.query(`UPDATE alerts SET pending = 'remind' WHERE resolved_at IS NULL AND pending IS NULL
      AND last_sent_at <= $1 AND (muted_until IS NULL OR muted_until <= $2)`, [new Date(now.getTime() - this.o.remindMs), now]);
    return res.rowCount ?? 0;
  }

  /** Turns pending changes into outbox rows. Returns the number of rows queued. */
  async flush(): Promise<number> {
    const now = this.clock();
    return inTransaction(this.o.pool, async (c) => {
      const rows = (await c.query("SELECT * FROM alerts WHERE pending IS NOT NULL ORDER BY severity = 'critical' DESC, opened_at, key FOR UPDATE")).rows.map(toAlert);
      if (!rows.length) return 0;
      const batch = Number((await c.query("SELECT nextval('alert_batches') AS b")).rows[0].b);
      let queued = 0;
      for (const r of this.o.recipients) {
        const items = rows.filter((a) => r.severities.includes(a.severity)).map((alert) => ({ alert, event: alert.pending as Event }));
        if (!items.length) continue;
        const bodies = items.length >= (this.o.digestFrom ?? 3)
          ? [{ key: null, event: 'digest', body: digestText(items, r.lang) }]
          : items.map(({ alert, event }) => ({ key: alert.key, event,
            body: event === 'open' ? openText(alert, r.lang) : event === 'remind' ? remindText(alert, r.lang) : resolvedText(alert, r.lang, alert.resolvedAt ?? now) }));
        for (const channel of ['telegram', 'whatsapp'] as Channel[]) {
          const to = addressOf(r, channel);
          if (!to) continue;
          for (const b of bodies) {
            await c.query(`INSERT INTO alert_outbox (batch, alert_key, event, channel, recipient, body, created_at, next_attempt_at)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, [batch, b.key, b.event, channel, to, b.body, now]);
            queued++;
          }
        }
      }
      await c.query(`UPDATE alerts SET last_sent_at = CASE WHEN pending = 'resolve' THEN last_sent_at ELSE $2 END, pending = NULL
        WHERE key = ANY($1)`, [rows.map((a) => a.key), now]);
      return queued;
    });
  }
}
