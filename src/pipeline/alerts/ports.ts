import type { Message } from '../../message.ts';

export type Channel = 'telegram' | 'whatsapp' | 'email';

/** Every channel, in the order a recipient's messages go out on them. */
export const CHANNELS: readonly Channel[] = ['telegram', 'whatsapp', 'email'];

/** What a channel can say about itself, for /alerts and the fallback note ("WhatsApp: disconnected since 10:04"). */
/**
 * A channel's state as a code, for the dashboard to say in the reader's language: Telegram is
 * ready, its last send failed, connecting, connected by long polling or webhook, unreachable,
 * refused; WhatsApp is starting, waiting for its QR code, linked, down, its link refused; either stopped.
 */
export type MessengerCode = 'ready' | 'sendFailed' | 'connecting' | 'polling' | 'webhook' | 'unreachable' | 'refused'
  | 'starting' | 'qr' | 'linked' | 'down' | 'linkRefused' | 'stopped';

export interface MessengerState {
  ready: boolean;
  /** e.g. "linked", "waiting for QR", "disconnected since 2026-11-23T10:04:00.000Z" (instants as ISO: each reader sees them in local time). */
  text: string;
  /** The same as data (absent in test doubles: then the text is shown); `since` as ISO, `detail` in the service's own words. */
  code?: MessengerCode;
  since?: string;
  detail?: string;
}

/**
 * One way of reaching alert recipients (a Telegram bot, a linked WhatsApp account). `to` is a
 * chat id, a phone number in international form (6281234567890) or an e-mail address. send() renders the message
 * as the channel renders chat replies, and resolves once the service accepted it. It rejects
 * with an AppError whose system is the channel: unreachable and retryable when the service cannot
 * be reached or is not connected; refused and not retryable when it will never take a message for
 * this recipient (a chat that blocked the bot, a number not on WhatsApp). state() says whether
 * the channel can send now, and if not, why, for people to read.
 */
export interface Messenger {
  readonly channel: Channel;
  state(): MessengerState;
  send(to: string, message: Message): Promise<void>;
}
