import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import { renderHtml } from '../../bot/telegram/render-html.ts';
import { AppError } from '../../errors.ts';
import type { Message } from '../../message.ts';
import type { Messenger, MessengerState } from '../../pipeline/alerts/ports.ts';
import { keepUnsent, sendInParts } from '../../pipeline/alerts/send-in-parts.ts';
import { unreachableReason } from './telegram-client.ts';

/** An alert send that has not gone through by then is given up (the outbox tries again later); less than the outbox's own limit. */
const SEND_TIMEOUT_MS = 60_000;

type Chats = { currentChatId(id: number): Promise<number>; recordMigration(from: number, to: number): Promise<void> };

/**
 * Alerts through the bot's Bot API connection (grammY, with its throttler and 429 retries),
 * rendered as the bot renders its replies. A group that became a supergroup is followed to its
 * new id; a chat that blocked the bot or does not exist is refused for good (not retryable), a
 * network failure, 429 or server error may pass. While the bot is not connected (`connection`,
 * when given: Telegram unreachable at start or since), send() rejects at once (retryable), so
 * that the outbox can hand the alert to WhatsApp instead of waiting.
 */
export class TelegramMessenger implements Messenger {
  readonly channel = 'telegram' as const;
  private lastFailure: string | null = null;

  constructor(private readonly api: Api, private readonly chats?: Chats, private readonly connection?: { state(): MessengerState }) {}

  state(): MessengerState {
    const link = this.connection?.state();
    if (link && !link.ready) return link;
    return this.lastFailure ? { ready: true, text: `last send failed: ${this.lastFailure}`, code: 'sendFailed', detail: this.lastFailure } : { ready: true, text: 'ready', code: 'ready' };
  }

  async send(to: string, message: Message): Promise<void> {
    const link = this.connection?.state();
    if (link && !link.ready) {
      throw new AppError('unreachable', 'telegram', `Telegram is not connected (${link.text}); the alert for chat ${to} was not sent.`, { retryable: true });
    }
    // The call's own limit: a request still waiting is cancelled, so it cannot go out after the outbox gave up on it.
    const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
    try {
      await this.sendTo(Number(to), message, signal as Parameters<Api['sendMessage']>[3]);
      this.lastFailure = null;
    } catch (err) {
      throw keepUnsent(err, this.failure(err, to, signal));
    }
  }

  /** A failed send as tokobot's error: refused for good, or worth trying again. */
  private failure(err: unknown, to: string, signal: AbortSignal): unknown {
    this.lastFailure = err instanceof Error ? err.message : String(err);
    if (signal.aborted) {
      return new AppError('unreachable', 'telegram', `Telegram did not take the alert for chat ${to} within ${SEND_TIMEOUT_MS / 1000} s`, { retryable: true, cause: err });
    }
    if (err instanceof GrammyError) {
      const permanent = err.error_code === 403 || (err.error_code === 400 && /chat not found|user not found|blocked/i.test(err.description));
      const unavailable = err.error_code === 429 || err.error_code >= 500; // too many requests, or Telegram's own trouble: later may work
      return new AppError(unavailable ? 'unreachable' : 'refused', 'telegram', `Telegram refused the alert for chat ${to}: ${err.description}` +
        (permanent ? ' (has the bot been removed from the chat or blocked?)' : ''), { retryable: !permanent, cause: err });
    }
    if (err instanceof HttpError) return new AppError('unreachable', 'telegram', `Telegram cannot be reached (${unreachableReason(err)})`, { retryable: true, cause: err });
    return err;
  }

  /** The text, then each file (a chart as a photo, a PDF as a document), to the chat the configured one now is. */
  private async sendTo(configured: number, message: Message, signal: Parameters<Api['sendMessage']>[3]): Promise<void> {
    let chat = (await this.chats?.currentChatId(configured)) ?? configured;
    const html = renderHtml(message).text;
    await sendInParts(message, async () => {
      try {
        await this.api.sendMessage(chat, html, { parse_mode: 'HTML' }, signal);
      } catch (err) {
        const moved = err instanceof GrammyError ? err.parameters?.migrate_to_chat_id : undefined;
        if (!moved) throw err;
        await this.chats?.recordMigration(chat, moved);
        chat = moved;
        await this.api.sendMessage(moved, html, { parse_mode: 'HTML' }, signal);
      }
    }, async (file) => {
      const input = new InputFile(Buffer.from(file.base64, 'base64'), file.name);
      if (file.type === 'image/png') await this.api.sendPhoto(chat, input, {}, signal);
      else await this.api.sendDocument(chat, input, {}, signal);
    });
  }
}
