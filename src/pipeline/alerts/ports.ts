export type Channel = 'telegram' | 'whatsapp';

/** What a channel can say about itself, for /alerts and the fallback note ("WhatsApp: disconnected since 10:04"). */
export interface MessengerState {
  ready: boolean;
  /** e.g. "linked", "waiting for QR", "disconnected since 2026-11-23 10:04 UTC". */
  text: string;
}

/**
 * One way of reaching alert recipients (a Telegram bot, a linked WhatsApp account). send()
 * resolves once the service accepted the message and rejects with an AppError (retryable when
 * trying again later may work) otherwise; `to` is a chat id or a phone number in international
 * form (6281234567890). The text is plain, with *bold* as WhatsApp writes it.
 */
export interface Messenger {
  readonly channel: Channel;
  state(): MessengerState;
  send(to: string, text: string): Promise<void>;
}
