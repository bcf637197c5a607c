import { randomUUID } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../adapters/atomic-file.ts';
import type { BackupLog, BackupRun, BackupRunDetails, BackupStatus } from '../backup-log.ts';

/** Runs kept in the file: the newest this many (retention needs the runs whose files are still kept; 500 is over a year of nightly runs). */
export const KEPT_RUNS = 500;

/** A run as the file keeps it: times as ISO text, and the UUID the head office knows it by. */
type StoredRun = Omit<BackupRun, 'startedAt' | 'finishedAt' | 'errorId'> & { uuid: string; startedAt: string; finishedAt: string | null };
interface Stored { nextId: number; runs: StoredRun[] }

const clone = <T>(v: T): T => (v === null || v === undefined ? v : JSON.parse(JSON.stringify(v)));
const toRun = ({ uuid: _uuid, ...r }: StoredRun): BackupRun => ({ ...clone(r), startedAt: new Date(r.startedAt), finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt) });
const newestFirst = (a: StoredRun, b: StoredRun) => b.startedAt.localeCompare(a.startedAt) || b.id - a.id;
const open = (r: StoredRun) => r.status === 'pending' || r.status === 'running';

/**
 * The shop agent's run log (it keeps no ops database): one JSON file in DATA_DIR, rewritten
 * atomically on every change (writeFileAtomic), the newest KEPT_RUNS runs kept (never an
 * unfinished one). One process only (the agent's pid lock): the file is read once, at open().
 * Ids keep growing across restarts (nextId is in the file), and each run has a UUID: its id at
 * the head office.
 */
export class FileBackupLog implements BackupLog {
  #data: Stored;
  /** Writes one after the other, each the state as it is when it starts. */
  #writing: Promise<void> = Promise.resolve();

  private constructor(readonly file: string, data: Stored, private readonly clock: () => Date) {
    this.#data = data;
  }

  /**
   * The log in `file`; a file that cannot be read as one is set aside (renamed .corrupt-<time>)
   * and the log starts empty: `onSetAside` says so.
   */
  static async open(file: string, o: { clock?: () => Date; onSetAside?: (file: string, reason: string) => void } = {}): Promise<FileBackupLog> {
    let data: Stored = { nextId: 1, runs: [] };
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Stored;
      if (!Number.isInteger(parsed?.nextId) || !Array.isArray(parsed.runs)) throw new Error('not a run log');
      data = parsed;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        const aside = `${file}.corrupt-${Date.now()}`;
        await rename(file, aside).catch(() => undefined);
        o.onSetAside?.(aside, err instanceof Error ? err.message : String(err));
      }
    }
    return new FileBackupLog(file, data, o.clock ?? (() => new Date()));
  }

  static pathIn(dataDir: string): string {
    return path.join(dataDir, 'agent-runs.json');
  }

  /** The UUID of a run: what its reports to the head office carry. */
  uuidOf(id: number): string | undefined {
    return this.#find(id)?.uuid;
  }

  #find(id: number): StoredRun | undefined {
    return this.#data.runs.find((r) => r.id === id);
  }

  #save(): Promise<void> {
    const next = this.#writing.then(() => {
      const finished = this.#data.runs.filter((r) => !open(r));
      if (finished.length > KEPT_RUNS) {
        const drop = new Set(finished.sort(newestFirst).slice(KEPT_RUNS).map((r) => r.id));
        this.#data.runs = this.#data.runs.filter((r) => !drop.has(r.id));
      }
      return writeFileAtomic(this.file, JSON.stringify(this.#data));
    });
    this.#writing = next.catch(() => undefined);
    return next;
  }

  async start(job: string, trigger: string): Promise<number> {
    const id = this.#data.nextId++;
    this.#data.runs.push({ id, uuid: randomUUID(), job, trigger, status: 'pending', stage: null, stages: [], startedAt: this.clock().toISOString(), finishedAt: null,
      fileName: null, bytes: null, sha256: null, destinations: [], verification: null, error: null, failure: null });
    await this.#save();
    return id;
  }

  async update(id: number, details: BackupRunDetails, status?: BackupStatus): Promise<void> {
    const run = this.#find(id);
    if (!run) return;
    for (const [key, value] of Object.entries(details)) if (value !== undefined) Object.assign(run, { [key]: clone(value) });
    if (status) run.status = status;
    if (status === 'success' || status === 'failed') run.finishedAt = this.clock().toISOString();
    await this.#save();
  }

  async interrupted(job: string): Promise<BackupRun[]> {
    return this.#data.runs.filter((r) => r.job === job && open(r)).sort((a, b) => a.id - b.id).map(toRun);
  }

  async failInterrupted(id: number, error: string): Promise<void> {
    const run = this.#find(id);
    if (!run || !open(run)) return;
    Object.assign(run, { status: 'failed', finishedAt: this.clock().toISOString(), error });
    await this.#save();
  }

  async runsWithFiles(job: string): Promise<BackupRun[]> {
    const finished = (r: StoredRun) => (r.finishedAt === null ? Infinity : Date.parse(r.finishedAt));
    return this.#data.runs.filter((r) => r.job === job && r.fileName !== null).sort((a, b) => finished(b) - finished(a) || b.id - a.id).map(toRun);
  }

  async get(id: number): Promise<BackupRun | null> {
    const run = this.#find(id);
    return run ? toRun(run) : null;
  }

  async madeFile(name: string): Promise<BackupRun | null> {
    const run = this.#data.runs.filter((r) => r.fileName === name && r.status === 'success').sort(newestFirst)[0];
    return run ? toRun(run) : null;
  }

  async recent(job?: string, limit = 10): Promise<BackupRun[]> {
    return this.#data.runs.filter((r) => job === undefined || r.job === job).sort(newestFirst).slice(0, limit).map(toRun);
  }

  async latest(jobs?: string[]): Promise<Map<string, { last: BackupRun; lastGood?: BackupRun }>> {
    const latest = new Map<string, { last: BackupRun; lastGood?: BackupRun }>();
    for (const run of this.#data.runs.filter((r) => !jobs || jobs.includes(r.job)).sort(newestFirst)) {
      const seen = latest.get(run.job) ?? latest.set(run.job, { last: toRun(run) }).get(run.job);
      if (seen && !seen.lastGood && run.status === 'success') seen.lastGood = toRun(run);
    }
    return latest;
  }

  async between(from: Date, to: Date): Promise<BackupRun[]> {
    const within = (r: StoredRun) => Date.parse(r.startedAt) >= from.getTime() && Date.parse(r.startedAt) < to.getTime();
    return this.#data.runs.filter(within).sort(newestFirst).reverse().map(toRun);
  }
}
