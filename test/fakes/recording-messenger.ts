import { AppError } from '../../src/errors.ts';
import type { Channel, Messenger, MessengerState } from '../../src/pipeline/alerts/ports.ts';

/** A channel for engine tests: records what it was given; can be down, or fail the next sends. */
export class RecordingMessenger implements Messenger {
  readonly sent: { to: string; text: string }[] = [];
  ready = true;
  stateText = 'linked';
  failures: AppError[] = [];

  constructor(readonly channel: Channel) {}

  state(): MessengerState {
    return { ready: this.ready, text: this.ready ? 'linked' : this.stateText };
  }

  async send(to: string, text: string): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (!this.ready) throw new AppError('source-unreachable', `${this.channel} is ${this.stateText}`, { retryable: true });
    this.sent.push({ to, text });
  }

  to(address: string): string[] {
    return this.sent.filter((s) => s.to === address).map((s) => s.text);
  }
}
