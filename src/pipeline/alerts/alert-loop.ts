import type { AlertEngine } from './alert-engine.ts';
import type { AlertOutbox } from './alert-outbox.ts';

/**
 * What `tokobot start` runs for alerts: every `intervalMs` (and at once when kicked) the open
 * alerts due a reminder are marked, pending changes are flushed to the outbox — what came in
 * since the last round together, as one digest when there are several — and the outbox is
 * delivered. One round at a time; stop() waits for the current one.
 */
export class AlertLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly engine: AlertEngine, private readonly outbox: AlertOutbox, private readonly intervalMs: number,
    private readonly logger: { warn: (obj: object, msg?: string) => void }) {}

  start(): void {
    this.schedule(0);
  }

  /** Runs a round soon (after a short pause, so that a burst lands in one flush). */
  kick(delayMs = 2_000): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(delayMs);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), ms);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = (async () => {
      try {
        await this.engine.remind();
        await this.engine.flush();
        await this.outbox.deliver();
      } catch (err) {
        this.logger.warn({ err }, 'alert delivery round failed; the next one tries again');
      }
    })();
    await this.running;
    this.running = null;
    if (!this.stopped) this.schedule(this.again ? 0 : this.intervalMs);
    this.again = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
