import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Api, GrammyError, HttpError, webhookCallback, type Bot } from 'grammy';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Logger } from 'pino';
import type { ProxySection } from '../config/sections.ts';
import { describeError } from '../errors.ts';
import type { MessengerState } from '../pipeline/alerts/ports.ts';
import { NETWORK_RETRY_DEFAULTS, pause, type NetworkRetryOptions } from '../adapters/telegram/network-retry.ts';
import { TELEGRAM_API_ROOT, telegramClient, unreachableHint, unreachableReason } from '../adapters/telegram/telegram-client.ts';
import { shownProxy, proxyFor } from '../adapters/proxy-agent.ts';

export interface TelegramConnectionOptions {
  token: string;
  apiRoot?: string;
  proxy?: ProxySection;
  /** Set: webhook mode, the local server on `port`; unset: long polling. */
  webhook?: { url: string; port: number };
  /** What to set up once Telegram answers and before updates are taken (the command menus), through `api`. */
  setUp(api: Api): Promise<void>;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** The waits between tries (NetworkRetryOptions' first and longest; tests shorten them). */
  retry?: Pick<NetworkRetryOptions, 'firstDelayMs' | 'maxDelayMs'>;
}

type Status =
  | { kind: 'connecting' }
  | { kind: 'connected'; how: string }
  | { kind: 'unreachable' | 'refused'; since: Date; reason: string }
  | { kind: 'stopped' };

/**
 * A call made while connecting gives up after this long and is tried again with the rest; grammY's
 * own limit (500 s, sized for long polls) would leave a network that drops packets unnamed.
 */
const CONNECT_CALL_TIMEOUT_S = 30;
/** A refusal (a wrong token, a bad webhook URL) will not pass by itself: asked again this seldom, not every few seconds. */
const REFUSED_WAIT_MS = 5 * 60_000;
/** The updates the bot handles: messages, button presses, and `@bot gula` typed in any chat (inline mode). */
const UPDATES = ['message', 'callback_query', 'inline_query'] as const;

/** ISO, so that each reader sees the moment in their own zone (localTimes). */
const instant = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000).toISOString();

/** What a failed attempt says: Telegram out of reach (or too busy) may pass; a refusal needs a setting fixed. */
function classify(err: unknown): { kind: 'unreachable' | 'refused'; reason: string } {
  if (err instanceof HttpError) return { kind: 'unreachable', reason: unreachableReason(err) };
  if (err instanceof GrammyError) {
    const said = `${err.error_code} ${err.description}`;
    if (err.error_code === 429 || err.error_code >= 500) return { kind: 'unreachable', reason: said };
    if (err.error_code === 401) return { kind: 'refused', reason: `${said}: TELEGRAM_BOT_TOKEN is wrong or revoked (copy it again from @BotFather)` };
    if (err.error_code === 404) return { kind: 'refused', reason: `${said}: is TELEGRAM_BOT_TOKEN whole, and TELEGRAM_API_ROOT a Bot API server?` };
    return { kind: 'refused', reason: said };
  }
  return { kind: 'refused', reason: describeError(err) };
}

/**
 * The bot's connection to Telegram, made in the background so that nothing else waits on it:
 * getMe, the command menus and the webhook (or long polling) are tried again with waits that
 * double up to a short cap until they pass or stop() is called. Each change of state is logged
 * once; state() is what /healthz, /alerts and the alert channels see. Updates are taken only once
 * everything is set up, and never after stop().
 */
export class TelegramConnection {
  private status: Status = { kind: 'connecting' };
  private readonly stopping = new AbortController();
  private readonly waits: { firstDelayMs: number; maxDelayMs: number };
  private readonly secret = randomBytes(24).toString('hex');
  private loop: Promise<void> | null = null;
  private polling?: RunnerHandle;
  private server?: http.Server;

  constructor(private readonly o: TelegramConnectionOptions) {
    this.waits = { ...NETWORK_RETRY_DEFAULTS, ...o.retry };
  }

  state(): MessengerState {
    const s = this.status;
    switch (s.kind) {
      case 'connecting': return { ready: false, text: 'connecting', code: 'connecting' };
      case 'connected': return { ready: true, text: s.how, code: s.how === 'webhook' ? 'webhook' : 'polling' };
      case 'unreachable': return { ready: false, text: `unreachable since ${instant(s.since)} (${s.reason})`, code: 'unreachable', since: instant(s.since), detail: s.reason };
      case 'refused': return { ready: false, text: `refused since ${instant(s.since)}: ${s.reason}`, code: 'refused', since: instant(s.since), detail: s.reason };
      case 'stopped': return { ready: false, text: 'stopped', code: 'stopped' };
    }
  }

  /** Starts connecting `bot`; returns at once. */
  start(bot: Bot): void {
    const root = this.o.apiRoot ?? TELEGRAM_API_ROOT;
    const via = proxyFor(root, this.o.proxy);
    this.o.logger.info({}, `telegram: connecting to ${new URL(root).host}${via ? ` through the proxy ${shownProxy(via)}` : ''}`);
    this.loop = this.connect(bot);
  }

  /** For the bot's long poll (NetworkRetryOptions): Telegram stopped answering it, or answers again. */
  readonly pollingHooks: Pick<NetworkRetryOptions, 'onRetry' | 'onRecovered'> = {
    onRetry: (method, reason) => {
      if (method !== 'getUpdates' || this.status.kind !== 'connected') return;
      this.status = { kind: 'unreachable', since: new Date(), reason };
      this.o.logger.warn({ reason }, `telegram: unreachable (${reason}) while polling; trying again at least every ${this.waits.maxDelayMs / 1000} s`);
    },
    onRecovered: (method, tries, afterMs) => {
      if (method !== 'getUpdates' || this.status.kind !== 'unreachable' || !this.polling) return;
      this.status = { kind: 'connected', how: 'long polling' };
      this.o.logger.info({ tries, seconds: Math.round(afterMs / 1000) }, 'telegram: connected again');
    },
  };

  /** Stops connecting, or stops taking updates; never waits on Telegram. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    if (this.server) {
      const server = this.server;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.polling?.stop();
    this.status = { kind: 'stopped' };
  }

  private async connect(bot: Bot): Promise<void> {
    const api = new Api(this.o.token, { ...telegramClient(this.o.apiRoot, this.o.proxy), timeoutSeconds: CONNECT_CALL_TIMEOUT_S });
    // Every call while connecting ends when tokobot stops. grammY types signals with its shim; Node's own is what it uses.
    type ShimSignal = Parameters<Api['getMe']>[0];
    api.config.use((prev, method, payload, signal) => prev(method, payload, signal ?? (this.stopping.signal as ShimSignal)));
    // A 429 (the menus are many calls at once) asks to wait retry_after seconds: waited once here, not counted as a failure.
    api.config.use(async (prev, method, payload, signal) => {
      const res = await prev(method, payload, signal);
      if (res.ok || res.error_code !== 429 || res.parameters?.retry_after === undefined) return res;
      await pause(res.parameters.retry_after * 1000, this.stopping.signal);
      return prev(method, payload, signal);
    });
    for (let delay = this.waits.firstDelayMs; !this.stopping.signal.aborted; delay = Math.min(this.waits.maxDelayMs, delay * 2)) {
      try {
        await this.attempt(bot, api);
        return;
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        this.failed(err);
      }
      await pause(this.status.kind === 'refused' ? REFUSED_WAIT_MS : delay, this.stopping.signal).catch(() => undefined);
    }
  }

  private async attempt(bot: Bot, api: Api): Promise<void> {
    const me = await api.getMe();
    bot.botInfo = me; // bot.init() and the runner need no getMe of their own now
    if (!me.supports_inline_queries) this.o.logger.info({}, `telegram: inline mode is off; for "@${me.username} gula" in any chat, send /setinline to @BotFather`);
    await this.o.setUp(api);
    const webhook = this.o.webhook;
    if (webhook) {
      await this.listen(bot, webhook.port);
      await api.setWebhook(webhook.url, { secret_token: this.secret, allowed_updates: UPDATES });
    } else {
      await api.deleteWebhook();
    }
    if (this.stopping.signal.aborted) return;
    // Updates are handled concurrently (one user's slow command never holds up another), in order per chat.
    if (!webhook) this.polling = run(bot, { runner: { fetch: { allowed_updates: UPDATES } } });
    const how = webhook ? 'webhook' : 'long polling';
    this.status = { kind: 'connected', how };
    this.o.logger.info({ port: webhook?.port }, `telegram: connected as @${me.username} (${how})`);
  }

  /** The local server Telegram's webhook calls reach (through the reverse proxy), started once. */
  private async listen(bot: Bot, port: number): Promise<void> {
    if (this.server) return;
    const server = http.createServer(webhookCallback(bot, 'http', { secretToken: this.secret }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Logs a failure when it changes the state (another kind or reason); the same failure again only at debug level. */
  private failed(err: unknown): void {
    const { kind, reason } = classify(err);
    const was = this.status;
    const same = (was.kind === 'unreachable' || was.kind === 'refused') && was.kind === kind;
    this.status = { kind, since: same ? was.since : new Date(), reason };
    if (same && was.reason === reason) {
      this.o.logger.debug({ reason }, 'telegram: still not connected');
      return;
    }
    if (kind === 'unreachable') {
      this.o.logger.warn({ reason }, `telegram: unreachable (${reason}); trying again at least every ${this.waits.maxDelayMs / 1000} s; ${unreachableHint(this.o.apiRoot, this.o.proxy, 'en')}`);
    } else {
      this.o.logger.error({ reason }, `telegram: refused (${reason}); trying again every ${REFUSED_WAIT_MS / 60_000} minutes`);
    }
  }
}
