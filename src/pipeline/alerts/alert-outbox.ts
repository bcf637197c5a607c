import type pg from 'pg';
import { inTransaction } from '../ops/in-transaction.ts';
import { describeError, isAppError } from '../../errors.ts';
import type { Recipient } from './alert-types.ts';
import type { Channel, Messenger } from './ports.ts';

export interface AlertOutboxOptions {
  pool: pg.Pool;
  messengers: Partial<Record<Channel, Messenger>>;
  recipients: Recipient[];
  clock?: () => Date;
  /** Wait after the first failed attempt; doubled each time, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

interface Row {
  id: number;
  batch: number;
  channel: Channel;
  recipient: string;
  body: string;
  attempts: number;
}

const note = (lang: string, state: string) => (lang === 'en'
  ? `(WhatsApp is ${state}, so this comes here instead)\n` : `(WhatsApp sedang ${state}, jadi pesan ini dikirim ke sini)\n`);

/**
 * Delivers the outbox: each row once, to its recipient on its channel. A channel that fails
 * is retried with backoff for as long as it takes; WhatsApp that is not linked (or refuses a
 * number) hands the message to the same person's Telegram, or the Telegram alert chats, with a
 * note saying why. Rows are taken with SKIP LOCKED, so two processes never send the same one.
 */
export class AlertOutbox {
  private readonly clock: () => Date;

  constructor(private readonly o: AlertOutboxOptions) {
    this.clock = o.clock ?? (() => new Date());
  }

  /** Sends what is due now; returns how many were delivered and how many must wait. */
  async deliver(limit = 100): Promise<{ delivered: number; waiting: number }> {
    let delivered = 0;
    let waiting = 0;
    for (let i = 0; i < limit; i++) {
      const outcome = await this.deliverOne();
      if (outcome === 'none') break;
      if (outcome === 'delivered') delivered++;
      else waiting++;
    }
    return { delivered, waiting };
  }

  private deliverOne(): Promise<'none' | 'delivered' | 'waiting'> {
    return inTransaction(this.o.pool, async (c) => {
      const res = await c.query(`SELECT id, batch, channel, recipient, body, attempts FROM alert_outbox
        WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`, [this.clock()]);
      const row = res.rows[0] as Row | undefined;
      return row ? this.send(c, row) : 'none';
    });
  }

  private async send(c: pg.PoolClient, row: Row): Promise<'delivered' | 'waiting'> {
    const messenger = this.o.messengers[row.channel];
    const state = messenger?.state();
    if (row.channel === 'whatsapp' && !state?.ready) return this.fallback(c, row, state?.text ?? 'off');
    try {
      if (!messenger) throw new Error(`no ${row.channel} channel is configured`);
      await messenger.send(row.recipient, row.body);
      await c.query('UPDATE alert_outbox SET delivered_at = $2, attempts = attempts + 1, via = $3 WHERE id = $1', [row.id, this.clock(), row.channel]);
      return 'delivered';
    } catch (err) {
      if (row.channel === 'whatsapp' && isAppError(err) && !err.retryable) return this.fallback(c, row, describeError(err));
      if (isAppError(err) && !err.retryable) {
        await c.query('UPDATE alert_outbox SET gave_up_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1', [row.id, this.clock(), describeError(err)]);
        return 'waiting';
      }
      await this.later(c, row, describeError(err));
      return 'waiting';
    }
  }

  private async later(c: pg.PoolClient, row: Row, error: string): Promise<void> {
    const delay = Math.min((this.o.baseDelayMs ?? 30_000) * 2 ** row.attempts, this.o.maxDelayMs ?? 30 * 60_000);
    await c.query('UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1',
      [row.id, new Date(this.clock().getTime() + delay), error]);
  }

  /** WhatsApp cannot take it: the same person's Telegram, else the Telegram-only alert chats. */
  private async fallback(c: pg.PoolClient, row: Row, why: string): Promise<'delivered' | 'waiting'> {
    const person = this.o.recipients.find((r) => r.whatsapp === row.recipient);
    const targets = person?.telegram ? [person.telegram] : this.o.recipients.filter((r) => r.telegram && !r.whatsapp).map((r) => r.telegram as string);
    const telegram = this.o.messengers.telegram;
    if (!targets.length || !telegram) {
      await this.later(c, row, `WhatsApp ${why}; no Telegram chat to send it to instead`);
      return 'waiting';
    }
    try {
      for (const to of targets) {
        const already = await c.query("SELECT 1 FROM alert_outbox WHERE batch = $1 AND channel = 'telegram' AND recipient = $2 AND body = $3",
          [row.batch, to, row.body]);
        if (!already.rowCount) await telegram.send(to, note(person?.lang ?? 'id', why) + row.body);
      }
    } catch (err) {
      await this.later(c, row, `WhatsApp ${why}; Telegram too: ${describeError(err)}`);
      return 'waiting';
    }
    await c.query('UPDATE alert_outbox SET delivered_at = $2, attempts = attempts + 1, via = $3, last_error = $4 WHERE id = $1',
      [row.id, this.clock(), `telegram ${targets.join(',')}`, `WhatsApp ${why}`]);
    return 'delivered';
  }
}
