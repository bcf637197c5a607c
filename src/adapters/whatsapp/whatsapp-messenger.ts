import { renderWhatsApp } from '../../bot/whatsapp/render-whatsapp.ts';
import { AppError, describeError } from '../../errors.ts';
import type { Message, MessageFile } from '../../message.ts';
import type { Messenger, MessengerState } from '../../pipeline/alerts/ports.ts';
import type { WhatsAppClient, WhatsAppIncoming } from './whatsapp-client.ts';
import { keepUnsent, sendInParts } from '../../pipeline/alerts/send-in-parts.ts';
import { qrTerminal } from './whatsapp-qr.ts';

export { qrPng } from './whatsapp-qr.ts';

type LogFn = (obj: object, msg: string) => void;
export interface WhatsAppLogger { debug: LogFn; info: LogFn; warn: LogFn; error: LogFn }

/** The answer to a person's message (`from` is their number, digits only; `message` for its attachment): its text, and the files that go after it (a report's chart and PDF); null: no answer. */
export type WhatsAppMessageHandler = (from: string, text: string, message: WhatsAppIncoming) => Promise<string | { text: string; files: MessageFile[] } | null>;

export interface WhatsAppMessengerOptions {
  /** Called for the first connection and again for every reconnect: each call must give a fresh client. */
  createClient: () => WhatsAppClient;
  logger: WhatsAppLogger;
  now?: () => Date;
  /** Wait before the n-th reconnect in a row: baseMs · 2^(n-1), at most maxMs. Default 5 s … 5 min. */
  backoff?: { baseMs: number; maxMs: number };
  /** A new linking QR (they change every ~20 s until scanned), e.g. to send it to the owners. */
  onQr?: (qr: string) => void;
  /**
   * Where the QR is drawn for a person at the server's terminal. Default stderr, not the logger:
   * a QR inside a JSON log line cannot be scanned.
   */
  terminal?: { write(text: string): unknown };
}

type Status =
  | { kind: 'starting' }
  | { kind: 'qr' }
  | { kind: 'linked' }
  | { kind: 'down'; since: Date; reason: string }
  | { kind: 'refused'; message: string }
  | { kind: 'stopped' };

/** How long stop() waits for a start in progress to wind down (Chromium launches in well under a second). */
const STOP_WAIT_MS = 15_000;

/** ISO, so that each reader sees the moment in their own zone (localTimes). */
const instant = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000).toISOString();

/**
 * Alerts and chat through a linked WhatsApp account (whatsapp-web.js driving Chromium). It is
 * never "down for good": a failed start or a disconnect closes the client and makes a new one
 * after a growing pause, until stop(). While it is not linked, send() rejects at once (retryable)
 * so the alert engine can fall back to Telegram instead of waiting.
 */
export class WhatsAppMessenger implements Messenger {
  readonly channel = 'whatsapp' as const;
  private readonly now: () => Date;
  private readonly backoff: { baseMs: number; maxMs: number };
  private status: Status = { kind: 'starting' };
  private client: WhatsAppClient | null = null;
  private initializing: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnects = 0;
  private stopped = false;
  private handler: WhatsAppMessageHandler | null = null;
  private readonly chatIds = new Map<string, string>();

  constructor(private readonly o: WhatsAppMessengerOptions) {
    this.now = o.now ?? (() => new Date());
    this.backoff = o.backoff ?? { baseMs: 5_000, maxMs: 300_000 };
  }

  state(): MessengerState {
    const s = this.status;
    switch (s.kind) {
      case 'starting': return { ready: false, text: 'starting', code: 'starting' };
      case 'qr': return { ready: false, text: 'waiting for QR', code: 'qr' };
      case 'linked': return { ready: true, text: 'linked', code: 'linked' };
      case 'down': return { ready: false, text: `disconnected since ${instant(s.since)} (${s.reason})`, code: 'down', since: instant(s.since), detail: s.reason };
      case 'refused': return { ready: false, text: `link refused: ${s.message} — link again`, code: 'linkRefused', detail: s.message };
      case 'stopped': return { ready: false, text: 'stopped', code: 'stopped' };
    }
  }

  /** Resolves once the first attempt has settled; never rejects (a failure is a state plus a reconnect). */
  async start(): Promise<void> {
    this.stopped = false;
    this.status = { kind: 'starting' };
    await this.connect();
  }

  /** Cancels a pending reconnect and closes Chromium, also when it is still starting. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.status = { kind: 'stopped' };
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await this.destroy(client);
    // A client destroyed while Chromium is launching does not know its browser yet: connect() destroys it
    // again once initialize() settles, which closing the browser makes quick otherwise.
    if (this.initializing) await settledWithin(this.initializing, STOP_WAIT_MS);
  }

  /** Only one handler: a later call replaces it. */
  onMessage(handler: WhatsAppMessageHandler): void {
    this.handler = handler;
  }

  async send(to: string, message: Message): Promise<void> {
    const number = phoneNumber(to);
    const client = this.client;
    if (!client || this.status.kind !== 'linked') {
      throw new AppError('unreachable', 'whatsapp', `WhatsApp is not linked/connected (${this.state().text}); the message to ${number} was not sent.`, { retryable: true });
    }
    const chatId = await this.chatId(client, number);
    try {
      await sendInParts(message, () => client.sendMessage(chatId, renderWhatsApp(message)).then(() => undefined),
        (file) => client.sendFile(chatId, file).then(() => undefined));
    } catch (err) {
      throw keepUnsent(err, new AppError('unreachable', 'whatsapp', `WhatsApp did not take the message to ${number}: ${describeError(err)}`, { retryable: true, cause: err }));
    }
  }

  private async chatId(client: WhatsAppClient, number: string): Promise<string> {
    const known = this.chatIds.get(number);
    if (known) return known;
    let id: { _serialized: string } | null;
    try {
      id = await client.getNumberId(number);
    } catch (err) {
      throw new AppError('unreachable', 'whatsapp', `WhatsApp could not look up ${number}: ${describeError(err)}`, { retryable: true, cause: err });
    }
    // Not cached when missing: the person may join WhatsApp later.
    if (!id) throw new AppError('refused', 'whatsapp', `${number} is not on WhatsApp; check the number in the config (international form, e.g. 6281234567890).`);
    this.chatIds.set(number, id._serialized);
    return id._serialized;
  }

  private async connect(): Promise<void> {
    let client: WhatsAppClient;
    try {
      client = this.o.createClient();
    } catch (err) {
      this.failed(describeError(err));
      return;
    }
    this.client = client;
    this.listen(client);
    const init = (async () => client.initialize())(); // a synchronous throw becomes a rejection
    const settled = init.then(() => undefined, () => undefined);
    this.initializing = settled;
    try {
      await init;
    } catch (err) {
      if (client === this.client) {
        this.failed(describeError(err));
        this.client = null; // Chromium stays open on the error page: close it now, not at the reconnect
      }
    } finally {
      if (this.initializing === settled) this.initializing = null;
    }
    // Failed, stopped or replaced while starting: close what it launched (a destroy() during the launch could not).
    if (client !== this.client) await this.destroy(client);
  }

  private listen(client: WhatsAppClient): void {
    const current = () => client === this.client;
    client.on('qr', (qr) => {
      if (!current()) return;
      this.status = { kind: 'qr' };
      this.o.logger.info({}, 'WhatsApp is not linked: scan the QR code with WhatsApp on the shop phone (Linked devices → Link a device)');
      qrTerminal(qr).then((drawn) => (this.o.terminal ?? process.stderr).write(`${drawn}\n`))
        .catch((err) => this.o.logger.warn({ reason: describeError(err) }, 'could not draw the WhatsApp QR code'));
      try {
        this.o.onQr?.(qr);
      } catch (err) {
        this.o.logger.error({ reason: describeError(err) }, 'WhatsApp QR listener failed');
      }
    });
    client.on('authenticated', () => { if (current()) this.o.logger.info({}, 'WhatsApp session accepted; loading chats'); });
    client.on('ready', () => {
      if (!current()) return;
      this.status = { kind: 'linked' };
      this.reconnects = 0;
      this.o.logger.info({}, 'WhatsApp linked');
    });
    client.on('change_state', (state) => { if (current()) this.o.logger.debug({ state }, 'WhatsApp connection state changed'); });
    client.on('auth_failure', (message) => {
      if (!current()) return;
      this.status = { kind: 'refused', message };
      this.o.logger.warn({ reason: message }, 'WhatsApp refused the saved link; a new QR code follows');
      this.scheduleReconnect();
    });
    client.on('disconnected', (reason) => { if (current()) this.failed(String(reason)); });
    client.on('message', (message) => { if (current()) void this.answer(client, message); });
  }

  private async answer(client: WhatsAppClient, message: WhatsAppIncoming): Promise<void> {
    const text = message.body?.trim();
    // Groups (@g.us), status updates and other kinds of chat are not for the bot.
    if (!this.handler || message.fromMe || !(text || message.hasMedia) || !message.from.endsWith('@c.us')) return;
    const from = message.from.slice(0, -'@c.us'.length);
    try {
      const reply = await this.handler(from, text ?? '', message);
      if (typeof reply === 'string') await client.sendMessage(message.from, reply);
      else if (reply) {
        await client.sendMessage(message.from, reply.text);
        for (const file of reply.files) await client.sendFile(message.from, file);
      }
    } catch (err) {
      this.o.logger.error({ from, reason: describeError(err), err }, 'WhatsApp message could not be answered');
    }
  }

  private failed(reason: string): void {
    if (this.stopped) return;
    if (this.status.kind === 'down') this.status = { ...this.status, reason };
    else this.status = { kind: 'down', since: this.now(), reason };
    this.o.logger.warn({ reason }, 'WhatsApp is disconnected');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delayMs = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** Math.min(this.reconnects, 30));
    this.reconnects++;
    this.o.logger.info({ delayMs, attempt: this.reconnects }, 'WhatsApp will reconnect');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.reconnect();
    }, delayMs);
  }

  private async reconnect(): Promise<void> {
    const old = this.client;
    this.client = null;
    if (old) await this.destroy(old);
    if (!this.stopped) await this.connect();
  }

  private async destroy(client: WhatsAppClient): Promise<void> {
    try {
      await client.destroy();
    } catch (err) {
      this.o.logger.warn({ reason: describeError(err) }, 'could not close the WhatsApp client');
    }
  }
}

/** Digits only: "+62 812-3456-7890" → "6281234567890". */
function phoneNumber(to: string): string {
  const number = to.replace(/[\s+\-().]/g, '');
  if (/^0/.test(number)) throw new AppError('config', 'whatsapp', `${to} is a local number; write it in international form with the country code (e.g. 6281234567890).`);
  if (!/^\d{6,15}$/.test(number)) throw new AppError('config', 'whatsapp', `${to} is not a phone number in international form (e.g. 6281234567890).`);
  return number;
}

async function settledWithin(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}
