import path from 'node:path';
import type { Logger } from 'pino';
import { AppError, describeError, isAppError } from '../../errors.ts';
import type { HeadOffice } from './ports.ts';
import { MAX_BATCH, MAX_BODY_BYTES, type Refusal, type Report, type ReportBatch } from './protocol.ts';

/** First wait after a failed send; doubles per failure up to MAX_BACKOFF_MS (an outage of a night costs ~60 tries). */
export const FIRST_BACKOFF_MS = 5_000;
export const MAX_BACKOFF_MS = 10 * 60_000;
/** A refusal sending again will not fix (the token revoked, the wrong store): asked again this seldom, in case the head office is set right. */
export const REFUSED_RETRY_MS = 10 * 60_000;
/** A batch's JSON is kept under this share of the head office's body limit (headers, the batch's own fields). */
const BODY_SHARE = 0.9;

/** DATA_DIR/agent-state.json: what the sender last managed (read by doctor). */
export const agentStatePath = (dataDir: string) => path.join(dataDir, 'agent-state.json');

/** What doctor reads of the sender (DATA_DIR/agent-state.json). */
export interface SenderState {
  updatedAt: string;
  lastSuccessAt: string | null;
  lastError: { at: string; kind: string; refusal?: Refusal; message: string; messageId?: string } | null;
  pending: number;
  rejected: number;
  /** When the sender tries again after a failure. */
  nextAttemptAt: string | null;
}

export interface SenderOutbox {
  pending(limit: number): Promise<Report[]>;
  ackThrough(seq: number): Promise<number>;
  setAside(seq: number, reason: string): Promise<void>;
  readonly size: number;
  readonly rejected: number;
  /** The seq the next report gets: the head office can hold none at or past it. */
  readonly nextSeq: number;
}

export interface SenderDeps {
  headOffice: HeadOffice;
  outbox: SenderOutbox;
  /** The batch's store and agent fields. */
  batch: Pick<ReportBatch, 'store' | 'agent'>;
  /** Records the state for doctor; its failure is logged, never stops the sender. */
  saveState(state: SenderState): Promise<void>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => Date;
  /** 0 ≤ x < 1, for the backoff's jitter. */
  random?: () => number;
}

/** Refusals about the token itself: the owner must make a new one. */
const TOKEN_REFUSALS = new Set<Refusal>(['token-missing', 'token-unknown', 'token-revoked', 'wrong-store']);

type Outcome = { wait: number } | 'sent' | 'empty';

/** What the owner does about a refusal, in both languages. */
const REFUSAL_ADVICE = {
  en: 'This agent\'s token is not accepted: at the head office make a new token with `tokobot store add <store>`, then run `tokobot agent enroll URL TOKEN` here again. The reports are kept and sent once it is accepted.',
  id: 'Token agent ini tidak diterima: di kantor pusat buat token baru dengan `tokobot store add <toko>`, lalu jalankan `tokobot agent enroll URL TOKEN` lagi di sini. Laporan disimpan dan dikirim setelah token diterima.',
};

/**
 * Sends the outbox's reports to the head office, oldest first, in batches of at most MAX_BATCH
 * (and under MAX_BODY_BYTES), and deletes what the head office holds (through its lastSeq).
 * Unreachable: waits 5 s doubling to 10 min with jitter, at least the Retry-After asked. A refused
 * token: logs what to do, keeps the reports, asks again every 10 min. A report the head office
 * calls bad: halves the batch until that one report is alone, then sets it aside (rejected/) so
 * the others go on. Stops when its signal aborts.
 */
export class ReportSender {
  #failures = 0;
  #batchSize = MAX_BATCH;
  #wake: (() => void) | undefined;
  #woken = false;
  #state: SenderState;

  constructor(private readonly deps: SenderDeps) {
    this.#state = { updatedAt: this.#now(), lastSuccessAt: null, lastError: null, pending: 0, rejected: 0, nextAttemptAt: null };
  }

  #now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  /** New reports are queued: send them now rather than at the next round. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  get state(): SenderState {
    return { ...this.#state };
  }

  /** Sends until `signal` aborts; waits for wake() when the outbox is empty. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const outcome = await this.sendOnce(signal);
      if (signal.aborted) break;
      if (outcome === 'sent') continue;
      await this.#pause(outcome === 'empty' ? MAX_BACKOFF_MS : outcome.wait, signal, outcome === 'empty');
    }
  }

  /** Sends what is pending now, for at most `withinMs` (at shutdown): stops at the first failure. */
  async flush(withinMs: number): Promise<void> {
    const signal = AbortSignal.timeout(withinMs);
    while (!signal.aborted && (await this.sendOnce(signal)) === 'sent') { /* next batch */ }
  }

  /** Waits `ms`, or until abort; `wakeable`: also until wake() (an empty outbox waits for reports). */
  #pause(ms: number, signal: AbortSignal, wakeable: boolean): Promise<void> {
    if (wakeable && this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#wake = undefined;
        this.#woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      if (wakeable) this.#wake = done;
    });
  }

  /** The oldest reports, as many as the batch size and the body limit allow (at least one). */
  async #nextBatch(): Promise<Report[]> {
    const reports = await this.deps.outbox.pending(this.#batchSize);
    let bytes = 512;
    const fits: Report[] = [];
    for (const r of reports) {
      bytes += Buffer.byteLength(JSON.stringify(r)) + 1;
      if (fits.length && bytes > MAX_BODY_BYTES * BODY_SHARE) break;
      fits.push(r);
    }
    return fits;
  }

  /** One batch: sent, nothing to send, or how long to wait before the next try. */
  async sendOnce(signal: AbortSignal): Promise<Outcome> {
    const { outbox } = this.deps;
    if (outbox.size === 0) return 'empty';
    let reports: Report[];
    try {
      reports = await this.#nextBatch();
    } catch (err) {
      this.deps.logger.error({ err }, 'cannot read the report outbox');
      return this.#failed(err, this.#backoff());
    }
    if (!reports.length) return 'empty';
    try {
      const answer = await this.deps.headOffice.send({ ...this.deps.batch, sentAt: this.#now(), reports }, signal);
      if (answer.lastSeq >= outbox.nextSeq) return this.#outboxReset(answer.lastSeq);
      const removed = await outbox.ackThrough(answer.lastSeq);
      if (removed === 0) {
        // The head office holds less than what it was sent: it lost its record of this instance, or counts another way. Try again later, not in a tight loop.
        this.deps.logger.warn({ lastSeq: answer.lastSeq, first: reports[0]?.seq }, 'the head office took the batch but holds none of its reports');
        return this.#failed(new Error(`the head office answered lastSeq ${answer.lastSeq}, below this batch's first report ${reports[0]?.seq}`), this.#backoff());
      }
      this.#failures = 0;
      this.#batchSize = Math.min(MAX_BATCH, this.#batchSize * 2);
      await this.#save({ lastSuccessAt: this.#now(), lastError: null, nextAttemptAt: null });
      return 'sent';
    } catch (err) {
      if (signal.aborted) return { wait: 0 };
      return this.#refusedOrUnreachable(err, reports);
    }
  }

  /**
   * The head office holds seqs this outbox never gave: DATA_DIR was emptied or replaced while
   * agent.json kept its instance, so new reports would be taken for ones it has (and dropped).
   * Nothing is deleted; a new enrolment starts a new instance.
   */
  async #outboxReset(lastSeq: number): Promise<Outcome> {
    const message = {
      en: `The head office already holds reports up to number ${lastSeq} from this install, but this agent has only made ${this.deps.outbox.nextSeq - 1}: its data folder was reset while agent.json was kept. Run \`tokobot agent enroll URL TOKEN\` again (a new install id); the reports are kept until then.`,
      id: `Kantor pusat sudah menyimpan laporan sampai nomor ${lastSeq} dari instalasi ini, padahal agent ini baru membuat ${this.deps.outbox.nextSeq - 1}: folder datanya direset sementara agent.json tetap. Jalankan \`tokobot agent enroll URL TOKEN\` lagi (ID instalasi baru); laporan disimpan sampai saat itu.`,
    };
    this.deps.logger.error({ lastSeq, nextSeq: this.deps.outbox.nextSeq, id: message.id }, message.en);
    return this.#failed(new AppError('refused', 'head-office', message), REFUSED_RETRY_MS);
  }

  async #refusedOrUnreachable(err: unknown, reports: Report[]): Promise<Outcome> {
    const refusal = (err as { refusal?: Refusal }).refusal;
    if (refusal === 'bad-report' || refusal === 'too-large') {
      if (reports.length > 1) {
        this.#batchSize = Math.max(1, Math.floor(reports.length / 2));
        return { wait: 0 };
      }
      const [poisoned] = reports as [Report];
      const why = describeError(err);
      await this.deps.outbox.setAside(poisoned.seq, why);
      this.deps.logger.error({ seq: poisoned.seq, type: poisoned.type, reason: why },
        'the head office refuses this report; it is set aside in agent-outbox/rejected and the next ones go on');
      await this.#save({ lastError: this.#errorOf(err) });
      return { wait: 0 };
    }
    if (isAppError(err) && err.kind === 'refused') {
      if (refusal && TOKEN_REFUSALS.has(refusal)) this.deps.logger.error({ refusal, reason: err.message, id: REFUSAL_ADVICE.id }, REFUSAL_ADVICE.en);
      else this.deps.logger.error({ reason: err.message, id: err.messageId }, 'the head office refuses the reports; they are kept');
      return this.#failed(err, REFUSED_RETRY_MS);
    }
    const wait = Math.max(this.#backoff(), (err as { retryAfterMs?: number }).retryAfterMs ?? 0);
    this.deps.logger.warn({ reason: describeError(err), retryInMs: wait, pending: this.deps.outbox.size }, 'cannot send reports to the head office now; they are kept');
    return this.#failed(err, wait);
  }

  /** The next wait after a failure: 5 s doubling to 10 min, then ±20% jitter so many agents do not come back at once. */
  #backoff(): number {
    const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.#failures);
    this.#failures++;
    return Math.round(base * (0.8 + 0.4 * (this.deps.random?.() ?? Math.random())));
  }

  #errorOf(err: unknown): SenderState['lastError'] {
    return {
      at: this.#now(), kind: isAppError(err) ? err.kind : 'unknown', message: describeError(err),
      ...((err as { refusal?: Refusal }).refusal ? { refusal: (err as { refusal: Refusal }).refusal } : {}),
      ...(isAppError(err) && err.messageId ? { messageId: err.messageId } : {}),
    };
  }

  async #failed(err: unknown, wait: number): Promise<Outcome> {
    await this.#save({ lastError: this.#errorOf(err), nextAttemptAt: new Date(Date.parse(this.#now()) + wait).toISOString() });
    return { wait };
  }

  async #save(change: Partial<SenderState>): Promise<void> {
    this.#state = { ...this.#state, ...change, updatedAt: this.#now(), pending: this.deps.outbox.size, rejected: this.deps.outbox.rejected };
    await this.deps.saveState(this.state).catch((err) => this.deps.logger.warn({ err }, 'cannot record the sender\'s state (agent-state.json)'));
  }
}
