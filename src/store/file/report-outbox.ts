import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncPath, isAtomicLeftover, writeFileAtomic } from '../../adapters/atomic-file.ts';
import type { Report } from '../../pipeline/agents/protocol.ts';

/** A report before the outbox gives it its place in the sequence. */
export type ReportBody = Report extends infer R ? (R extends Report ? Omit<R, 'seq'> : never) : never;

const DIGITS = 12;
const NAME = /^(\d{12})\.json$/;
const NEXT_FILE = 'next-seq';
const fileOf = (seq: number) => `${String(seq).padStart(DIGITS, '0')}.json`;

/**
 * The shop agent's reports waiting for the head office, in DATA_DIR/agent-outbox: one file per
 * report named by its seq, each written atomically, so that kill -9 at any moment loses none and
 * gives none a second seq. A report's file is written before the next seq is recorded (next-seq),
 * and a report counts as pending only once both are on disk; at open the next seq is the larger of
 * next-seq and the highest file + 1, so a restart never reuses a seq. One process only (the
 * agent's pid lock); calls are taken one at a time.
 */
export class ReportOutbox {
  /** Seqs of the reports waiting, oldest first. */
  #seqs: number[];
  #next: number;
  #rejected: number;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string, seqs: number[], next: number, rejected: number) {
    this.#seqs = seqs;
    this.#next = next;
    this.#rejected = rejected;
  }

  static pathIn(dataDir: string): string {
    return path.join(dataDir, 'agent-outbox');
  }

  static async open(dir: string): Promise<ReportOutbox> {
    await mkdir(path.join(dir, 'rejected'), { recursive: true, mode: 0o700 });
    const seqs: number[] = [];
    for (const name of await readdir(dir)) {
      const m = NAME.exec(name);
      if (m) seqs.push(Number(m[1]));
      else if (isAtomicLeftover(name)) await unlink(path.join(dir, name)).catch(() => undefined); // a write that never landed
    }
    seqs.sort((a, b) => a - b);
    const recorded = Number((await readFile(path.join(dir, NEXT_FILE), 'utf8').catch(() => '1')).trim()) || 1;
    const rejected = (await readdir(path.join(dir, 'rejected'))).filter((n) => NAME.test(n)).length;
    return new ReportOutbox(dir, seqs, Math.max(recorded, (seqs.at(-1) ?? 0) + 1), rejected);
  }

  /** One call at a time: a seq is taken, written and recorded before the next call starts. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Queues `body` under the next seq; resolves with the seq once the report is on disk. */
  enqueue(body: ReportBody): Promise<number> {
    return this.#serial(async () => {
      const seq = this.#next;
      await writeFileAtomic(path.join(this.dir, fileOf(seq)), JSON.stringify({ seq, ...body }));
      await writeFileAtomic(path.join(this.dir, NEXT_FILE), String(seq + 1));
      this.#next = seq + 1;
      this.#seqs.push(seq);
      return seq;
    });
  }

  /** The oldest `limit` reports waiting. */
  pending(limit: number): Promise<Report[]> {
    return this.#serial(async () => {
      const out: Report[] = [];
      for (const seq of this.#seqs.slice(0, limit)) out.push(JSON.parse(await readFile(path.join(this.dir, fileOf(seq)), 'utf8')) as Report);
      return out;
    });
  }

  /** Removes every report up to `seq` (the head office holds them); resolves with how many went. */
  ackThrough(seq: number): Promise<number> {
    return this.#serial(async () => {
      const gone = this.#seqs.filter((s) => s <= seq);
      for (const s of gone) await unlink(path.join(this.dir, fileOf(s))).catch((err) => { if (err.code !== 'ENOENT') throw err; });
      this.#seqs = this.#seqs.filter((s) => s > seq);
      if (gone.length) await fsyncPath(this.dir);
      return gone.length;
    });
  }

  /**
   * Moves a report the head office will never take (bad-report) to rejected/, with why beside it,
   * so that the reports after it can go.
   */
  setAside(seq: number, reason: string): Promise<void> {
    return this.#serial(async () => {
      if (!this.#seqs.includes(seq)) return;
      const rejected = path.join(this.dir, 'rejected');
      await writeFileAtomic(path.join(rejected, `${fileOf(seq)}.why.txt`), reason);
      await rename(path.join(this.dir, fileOf(seq)), path.join(rejected, fileOf(seq)));
      await fsyncPath(this.dir);
      this.#seqs = this.#seqs.filter((s) => s !== seq);
      this.#rejected++;
    });
  }

  /** Reports waiting. */
  get size(): number {
    return this.#seqs.length;
  }

  /** Reports set aside in rejected/ (this install's, all time). */
  get rejected(): number {
    return this.#rejected;
  }

  /** The seq the next report will get. */
  get nextSeq(): number {
    return this.#next;
  }
}
