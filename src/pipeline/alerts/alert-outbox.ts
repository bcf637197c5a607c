import type { AlertOutboxStore, OutboxRow } from '../../store/outbox.ts';
import { AppError, describeError, isAppError } from '../../errors.ts';
import type { Message } from '../../message.ts';
import type { Lang } from '../../i18n/lang.ts';
import { localTimes } from '../../i18n/format-time.ts';
import { STORE_ZONE } from '../../config/time-zone.ts';
import { addressOf, seesAllOf, type Recipient } from './alert-types.ts';
import type { Channel, Messenger } from './ports.ts';
import { unsentOf } from './send-in-parts.ts';

export interface AlertOutboxOptions {
  store: AlertOutboxStore;
  messengers: Partial<Record<Channel, Messenger>>;
  recipients: Recipient[];
  clock?: () => Date;
  /** Wait after the first failed attempt; doubled each time, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A send that has not settled after this long counts as failed (retried later). Default 2 min. */
  sendTimeoutMs?: number;
  /** The zone the times in a channel's state are shown in (STORE_TZ). */
  zone?: string;
  /**
   * Told of each message given up for good (a chat that blocked the bot, an address the mail server
   * refuses), and of each that waits because the channel refuses tokobot's settings (a wrong SMTP password).
   */
  logger?: { warn: (obj: object, msg: string) => void };
}

/**
 * How long a taken row is left alone by other deliverers: longer than any send may take (the
 * send timeout, and the Telegram fallback's few sends), so that a row is never sent by two at
 * once, yet short enough that the rows of a process that died mid-send go out soon after.
 */
const LEASE_MS = 10 * 60_000;
const SEND_TIMEOUT_MS = 2 * 60_000;

const NAME: Record<Channel, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp', email: 'E-mail' };
/** Where a channel's message goes while it cannot take it. E-mail has no other: its rows wait for the SMTP server (a mailbox is read later anyway). */
const OTHER: Partial<Record<Channel, Channel>> = { telegram: 'whatsapp', whatsapp: 'telegram' };

/** The message with a first line saying why it comes through the other channel. */
const redirected = (m: Message, lang: Lang, channel: Channel, state: string): Message => ({ ...m, lines: [lang === 'en'
  ? `(${NAME[channel]} is ${state}, so this comes here instead)` : `(${NAME[channel]} sedang ${state}, jadi pesan ini dikirim ke sini)`, ...m.lines] });

/**
 * Delivers the outbox: each row once, to its recipient on its channel. A channel that fails
 * is retried with backoff for as long as it takes. A channel that is not ready (WhatsApp not
 * linked, Telegram unreachable) hands the message to the same person on the other channel, or
 * to the recipients who have only the other one, with a note saying why; when that fails too the
 * row waits for its next try. WhatsApp refusing a number does the same (a number not on WhatsApp
 * is a setting to fix, the alert still matters); a Telegram chat that refuses the bot, or an e-mail
 * address the mail server refuses for good, is given up (recorded with the row, and logged). E-mail
 * has no other channel: its rows wait for the SMTP server. A message with files (a report's chart
 * and PDF) goes in parts on the chat channels: when a part fails after others went, the row keeps
 * only the parts still unsent (sendInParts), so a retry never repeats what was delivered.
 *
 * Nothing is held open in the store while a message is on its way (a network send can take
 * minutes in an outage, and an open transaction holds locks and a connection all that time): a
 * row is taken in one short step (with a lease, so two deliverers never send the same one), sent,
 * and its outcome written only if the row is still this deliverer's (its attempt count unchanged).
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

  private async deliverOne(): Promise<'none' | 'delivered' | 'waiting'> {
    const now = this.clock();
    const row = await this.o.store.take(now, new Date(now.getTime() + LEASE_MS));
    return row ? this.send(row) : 'none';
  }

  private delivered(row: OutboxRow, via: string, note: string | null = null): Promise<void> {
    return this.o.store.delivered(row, this.clock(), via, note);
  }

  /** The messenger's send, given up (as retryable) when it takes longer than the lease allows. */
  private async timedSend(messenger: Messenger, to: string, message: Message): Promise<void> {
    const ms = this.o.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('unreachable', messenger.channel, `${messenger.channel} did not answer within ${ms / 1000} s`, { retryable: true })), ms);
    });
    try {
      await Promise.race([messenger.send(to, message), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(row: OutboxRow): Promise<'delivered' | 'waiting'> {
    const messenger = this.o.messengers[row.channel];
    const state = messenger?.state();
    if (!state?.ready) return this.fallback(row, state?.text ?? 'off');
    try {
      if (!messenger) throw new Error(`no ${row.channel} channel is configured`);
      await this.timedSend(messenger, row.recipient, row.message);
      await this.delivered(row, row.channel);
      return 'delivered';
    } catch (err) {
      if (row.channel === 'whatsapp' && isAppError(err) && !err.retryable) return this.fallback(row, describeError(err));
      if (isAppError(err) && !err.retryable) {
        await this.o.store.giveUp(row, this.clock(), describeError(err));
        this.o.logger?.warn({ channel: row.channel, to: row.recipient, error: describeError(err) }, 'alert message given up: the recipient is refused for good');
        return 'waiting';
      }
      // Refused yet retryable: tokobot's own settings are wrong (an SMTP password), which someone must hear of to fix.
      if (isAppError(err) && err.kind === 'refused') this.o.logger?.warn({ channel: row.channel, error: describeError(err) }, 'alert message waits: the channel refuses tokobot\'s settings');
      await this.later(row, describeError(err), unsentOf(err));
      return 'waiting';
    }
  }

  /** Tried again after a backoff; with `rest` (a send that went part-way) only what is still unsent. */
  private async later(row: OutboxRow, error: string, rest?: Message): Promise<void> {
    const delay = Math.min((this.o.baseDelayMs ?? 30_000) * 2 ** (row.attempts - 1), this.o.maxDelayMs ?? 30 * 60_000);
    await this.o.store.retryAt(row, new Date(this.clock().getTime() + delay), error, rest);
  }

  /**
   * The row's channel cannot take it: the same person on the other channel, else the recipients
   * who have only that one and are told everything that person is (a branch's alert stays with
   * those who may see it).
   */
  private async fallback(row: OutboxRow, why: string): Promise<'delivered' | 'waiting'> {
    const [from, to] = [row.channel, OTHER[row.channel]];
    if (!to) {
      await this.later(row, `${NAME[from]} ${why}`);
      return 'waiting';
    }
    const person = this.o.recipients.find((r) => addressOf(r, from) === row.recipient);
    const own = person && addressOf(person, to);
    // A report is its recipient's own (a price change with cost, their stores): to them alone, else it waits.
    const others = row.event === 'report' ? [] : this.o.recipients.filter((r) => !addressOf(r, from) && seesAllOf(r, person)).flatMap((r) => addressOf(r, to) ?? []);
    const targets = own ? [own] : others;
    const other = this.o.messengers[to];
    if (!targets.length || !other) {
      await this.later(row, `${NAME[from]} ${why}; no ${NAME[to]} recipient to send it to instead`);
      return 'waiting';
    }
    try {
      for (const target of targets) {
        const lang = person?.lang ?? 'id';
        const note = redirected(row.message, lang, from, localTimes(why, this.o.zone ?? STORE_ZONE, lang));
        if (!(await this.o.store.hasCopy(row.batch, to, target, row.message))) await this.timedSend(other, target, note);
      }
    } catch (err) {
      // With one target, what it already got (a report's text) is not sent again: the row keeps only what is unsent.
      await this.later(row, `${NAME[from]} ${why}; ${NAME[to]} too: ${describeError(err)}`, targets.length === 1 ? unsentOf(err) : undefined);
      return 'waiting';
    }
    await this.delivered(row, `${to} ${targets.join(',')}`, `${NAME[from]} ${why}`);
    return 'delivered';
  }
}
