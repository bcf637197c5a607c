import type { Logger } from 'pino';
import { describeError } from '../../errors.ts';

export interface RestoreGuardDeps {
  /** Resolves when this machine's restore server answers; rejects saying why not. */
  ping(): Promise<void>;
  /** Stops taking jobs (those running end as they can); the queue keeps them for the other workers. */
  pause(): Promise<void>;
  /** Takes jobs again. */
  resume(): Promise<void>;
  /** Tells the people who get alerts (the machine's restore server down, or back). */
  down(error: string): Promise<void>;
  up(): Promise<void>;
  logger: Pick<Logger, 'warn' | 'info'>;
}

/**
 * A worker whose restore server does not answer takes no jobs: they wait in the queue for the
 * other workers (or for this one, once its server is back), instead of each failing here and
 * using up its tries. One check at a time; the alert names the machine.
 */
export class RestoreGuard {
  private paused = false;
  private checking = false;

  constructor(private readonly d: RestoreGuardDeps) {}

  get isPaused(): boolean {
    return this.paused;
  }

  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const error = await this.d.ping().then(() => null, (err: unknown) => describeError(err));
      if (error !== null && !this.paused) {
        this.paused = true;
        this.d.logger.warn({ error }, 'worker: the restore server does not answer; taking no jobs until it does');
        await this.d.pause();
        await this.d.down(error);
      } else if (error === null && this.paused) {
        await this.d.resume();
        this.paused = false;
        this.d.logger.info({}, 'worker: the restore server answers again; taking jobs');
        await this.d.up();
      }
    } finally {
      this.checking = false;
    }
  }
}
