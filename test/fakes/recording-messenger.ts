import { renderHtml } from '../../src/bot/telegram/render-html.ts';
import { renderWhatsApp } from '../../src/bot/whatsapp/render-whatsapp.ts';
import { AppError } from '../../src/errors.ts';
import type { Message } from '../../src/message.ts';
import type { Channel, Messenger, MessengerState } from '../../src/pipeline/alerts/ports.ts';

/** What a person sees of a message on `channel`: the text its renderer sends. */
export const rendered = (channel: Channel, message: Message): string => (channel === 'telegram' ? renderHtml(message).text : renderWhatsApp(message));

/**
 * A channel for engine tests: keeps what it was given (and its text as the channel renders it);
 * can be down, refuse recipients for good, or fail the next sends.
 */
export class RecordingMessenger implements Messenger {
  readonly sent: { to: string; message: Message; text: string }[] = [];
  ready = true;
  stateText = 'linked';
  failures: AppError[] = [];
  /** Recipients the service will never take a message for. */
  readonly refused = new Set<string>();

  constructor(readonly channel: Channel) {}

  state(): MessengerState {
    return { ready: this.ready, text: this.ready ? 'linked' : this.stateText };
  }

  async send(to: string, message: Message): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (!this.ready) throw new AppError('unreachable', this.channel, `${this.channel} is ${this.stateText}`, { retryable: true });
    if (this.refused.has(to)) throw new AppError('refused', this.channel, `${this.channel} refuses messages to ${to}`);
    this.sent.push({ to, message, text: rendered(this.channel, message) });
  }

  /** The texts sent to `address`, oldest first. */
  to(address: string): string[] {
    return this.sent.filter((s) => s.to === address).map((s) => s.text);
  }
}
