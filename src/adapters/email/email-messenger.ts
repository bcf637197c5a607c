import nodemailer, { type Transporter } from 'nodemailer';
import { renderEmail } from '../../bot/email/render-email.ts';
import { AppError } from '../../errors.ts';
import type { Lang } from '../../i18n/lang.ts';
import type { Message } from '../../message.ts';
import type { Messenger, MessengerState } from '../../pipeline/alerts/ports.ts';

/** How tokobot reaches its SMTP server (SMTP_URL, or SMTP_HOST/PORT/USER/PASSWORD, and SMTP_FROM). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://, port 465). */
  secure: boolean;
  /** STARTTLS or nothing: on for port 587, so a password never crosses the network in the clear. */
  requireTLS: boolean;
  user?: string;
  password?: string;
  from: string;
}

export interface EmailMessengerOptions {
  smtp: SmtpSettings;
  /** The language of the recipient at `to` (the subject's severity word); default Indonesian. */
  langOf?: (to: string) => Lang;
  /** SMTP waits, in ms; tests shorten them. All well under the outbox's own 2 min send limit. */
  timeouts?: { connectMs?: number; socketMs?: number };
}

/** What nodemailer's errors carry (https://nodemailer.com/smtp/#error-codes). */
interface SmtpError { code?: string; responseCode?: number; response?: string; command?: string }

const both = (en: string, id: string) => ({ en, id });

/**
 * An SMTP failure as tokobot's error: an address the server refuses for good (5xx on RCPT TO, or
 * for the message) is refused and not retryable, so the outbox gives it up and records why; a 4xx
 * (greylisting, a full mailbox for now) and every network failure are retryable. A wrong user or
 * password, or a sender the server will not take, is refused but stays retryable: it is this
 * server's setting to fix, and the alert must still go out once it is fixed. The password is
 * never in the message: only the server's reply and the code are.
 */
export function smtpError(err: unknown, where: string, to?: string): AppError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpError;
  const reply = (e.response ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const permanent = (e.responseCode ?? 0) >= 500;
  if (e.code === 'EAUTH') {
    return new AppError('refused', 'email', both(`The SMTP server ${where} refused tokobot's user name or password (${reply || 'no reply'}): check SMTP_USER and SMTP_PASSWORD (or SMTP_URL)`,
      `Server SMTP ${where} menolak nama pengguna atau kata sandi tokobot (${reply || 'tanpa jawaban'}): periksa SMTP_USER dan SMTP_PASSWORD (atau SMTP_URL)`), { retryable: true });
  }
  if (e.code === 'ETLS' && e.responseCode !== undefined) {
    return new AppError('refused', 'email', both(`The SMTP server ${where} does not offer STARTTLS (${reply}), which tokobot requires on port 587 so that the password never crosses the network in the clear: use smtps:// on port 465, or the port the server takes mail on (SMTP_PORT)`,
      `Server SMTP ${where} tidak menyediakan STARTTLS (${reply}), yang diwajibkan tokobot di port 587 agar kata sandi tidak terkirim tanpa enkripsi: pakai smtps:// di port 465, atau port yang dipakai server itu (SMTP_PORT)`), { retryable: true });
  }
  if (e.code === 'ETLS') {
    // A TLS handshake that failed: the certificate's complaint (self-signed, expired, another name) is what to fix.
    const tls = err instanceof Error ? err.message.replace(/\s+/g, ' ').slice(0, 200) : 'TLS';
    return new AppError('unreachable', 'email', both(`The SMTP server ${where} failed the TLS handshake (${tls}): check its certificate and the clock of this server`,
      `Server SMTP ${where} gagal membuka TLS (${tls}): periksa sertifikatnya dan jam server ini`), { retryable: true });
  }
  if (e.code === 'EENVELOPE' && /^MAIL/i.test(e.command ?? '') && permanent) {
    return new AppError('refused', 'email', both(`The SMTP server ${where} refused the sender SMTP_FROM (${reply}): check SMTP_FROM`,
      `Server SMTP ${where} menolak pengirim SMTP_FROM (${reply}): periksa SMTP_FROM`), { retryable: true });
  }
  if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== undefined) {
    const whom = to ?? '?';
    return permanent
      ? new AppError('refused', 'email', both(`The SMTP server ${where} refused the e-mail for ${whom} (${reply}): check the address`,
        `Server SMTP ${where} menolak e-mail untuk ${whom} (${reply}): periksa alamatnya`))
      : new AppError('unreachable', 'email', both(`The SMTP server ${where} put off the e-mail for ${whom} (${reply}); it goes again later`,
        `Server SMTP ${where} menunda e-mail untuk ${whom} (${reply}); dikirim lagi nanti`), { retryable: true });
  }
  // The socket's own code (ECONNREFUSED, ETIMEDOUT, ENOTFOUND) says more than nodemailer's ESOCKET; only the code is kept.
  const cause = err instanceof Error ? /\b(E[A-Z]{3,})\b/.exec(err.message)?.[1] : undefined;
  const why = [...new Set([e.code, cause])].filter(Boolean).join(' ') + (reply ? ` ${reply}` : '') || 'no answer';
  return new AppError('unreachable', 'email', both(`The SMTP server ${where} cannot be reached (${why}); the e-mail goes again later`,
    `Server SMTP ${where} tidak bisa dihubungi (${why}); e-mail dikirim lagi nanti`), { retryable: true });
}

/**
 * Alerts by e-mail through one SMTP server (nodemailer): each send its own connection, so a
 * server that was down is simply tried again by the outbox. HTML with a plain-text part, both from
 * the same Message, and its files (a report's chart inline, its PDF attached) in the same mail: an
 * e-mail goes whole or not at all, so a retry never repeats a part. The subject in the recipient's language. nodemailer's logger stays off: its
 * debug output would show the AUTH exchange.
 */
export class EmailMessenger implements Messenger {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;
  private readonly where: string;
  private lastFailure: string | null = null;
  /** When the sends began to fail for a reason of the server's (down, the login or the sender refused); null while they go. */
  private failingSince: Date | null = null;

  constructor(private readonly o: EmailMessengerOptions) {
    const { smtp } = o;
    this.where = `${smtp.host}:${smtp.port}`;
    this.transport = nodemailer.createTransport({
      host: smtp.host, port: smtp.port, secure: smtp.secure, requireTLS: smtp.requireTLS,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: o.timeouts?.connectMs ?? 20_000, greetingTimeout: o.timeouts?.connectMs ?? 20_000, socketTimeout: o.timeouts?.socketMs ?? 60_000,
      logger: false, debug: false,
    });
  }

  /**
   * Always ready: there is no connection to lose, and the outbox keeps trying. After a failed send
   * the text says so (the /alerts page shows it), and `since` says since when sends fail for a
   * reason of the server's (the e-mail outage alert); one address refused for good is not that.
   */
  state(): MessengerState {
    if (!this.lastFailure) return { ready: true, text: 'ready', code: 'ready' };
    return { ready: true, text: `last send failed: ${this.lastFailure}`, code: 'sendFailed', detail: this.lastFailure, ...(this.failingSince ? { since: this.failingSince.toISOString() } : {}) };
  }

  async send(to: string, message: Message): Promise<void> {
    const mail = renderEmail(message, this.o.langOf?.(to) ?? 'id');
    try {
      await this.transport.sendMail({ from: this.o.smtp.from, to, ...mail });
      this.lastFailure = null;
      this.failingSince = null;
    } catch (err) {
      const failure = smtpError(err, this.where, to);
      this.lastFailure = failure.message;
      if (failure.retryable) this.failingSince ??= new Date();
      throw failure;
    }
  }

  /** Connects and logs in without sending (`tokobot doctor`); rejects with smtpError's AppError. */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (err) {
      throw smtpError(err, this.where);
    }
  }

  close(): void {
    this.transport.close();
  }
}
