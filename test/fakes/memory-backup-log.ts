import type { BackupLog, BackupRun, BackupRunDetails, BackupStatus } from '../../src/store/backup-log.ts';

/** What jsonb keeps of a value: undefined fields dropped, nothing shared with the caller. */
export const asJson = <T>(v: T): T => (v === null || v === undefined ? v : JSON.parse(JSON.stringify(v)));

const copy = (r: BackupRun): BackupRun => ({ ...r, startedAt: new Date(r.startedAt), finishedAt: r.finishedAt && new Date(r.finishedAt),
  stages: asJson(r.stages), destinations: asJson(r.destinations), verification: asJson(r.verification), failure: asJson(r.failure) });

const newestFirst = (a: BackupRun, b: BackupRun) => b.startedAt.getTime() - a.startedAt.getTime() || b.id - a.id;

/** The backup run log in memory, on a clock of the test's choosing (the "now" of start and finish). */
export class MemoryBackupLog implements BackupLog {
  /** Every run, in the order started: read by tests, not changed. */
  readonly runs: BackupRun[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async start(job: string, trigger: string): Promise<number> {
    const id = this.runs.length + 1;
    this.runs.push({ id, job, trigger, status: 'pending', stage: null, stages: [], startedAt: this.clock(), finishedAt: null, fileName: null, bytes: null,
      sha256: null, destinations: [], verification: null, error: null, failure: null });
    return id;
  }

  async update(id: number, details: BackupRunDetails, status?: BackupStatus): Promise<void> {
    const run = this.runs.find((r) => r.id === id);
    if (!run) return;
    for (const [key, value] of Object.entries(details)) if (value !== undefined) Object.assign(run, { [key]: asJson(value) });
    if (status) run.status = status;
    if (status === 'success' || status === 'failed') run.finishedAt = this.clock();
  }

  async interrupted(job: string): Promise<BackupRun[]> {
    return this.runs.filter((r) => r.job === job && (r.status === 'pending' || r.status === 'running')).map(copy);
  }

  async failInterrupted(id: number, error: string): Promise<void> {
    const run = this.runs.find((r) => r.id === id && (r.status === 'pending' || r.status === 'running'));
    if (run) Object.assign(run, { status: 'failed', finishedAt: this.clock(), error });
  }

  async runsWithFiles(job: string): Promise<BackupRun[]> {
    const finished = (r: BackupRun) => r.finishedAt?.getTime() ?? Infinity;
    return this.runs.filter((r) => r.job === job && r.fileName !== null).sort((a, b) => finished(b) - finished(a) || b.id - a.id).map(copy);
  }

  async get(id: number): Promise<BackupRun | null> {
    const run = this.runs.find((r) => r.id === id);
    return run ? copy(run) : null;
  }

  async madeFile(name: string): Promise<BackupRun | null> {
    const run = this.runs.filter((r) => r.fileName === name && r.status === 'success').at(-1);
    return run ? copy(run) : null;
  }

  async recent(job?: string, limit = 10): Promise<BackupRun[]> {
    return this.runs.filter((r) => job === undefined || r.job === job).sort(newestFirst).slice(0, limit).map(copy);
  }

  async latest(jobs?: string[]): Promise<Map<string, { last: BackupRun; lastGood?: BackupRun }>> {
    const latest = new Map<string, { last: BackupRun; lastGood?: BackupRun }>();
    for (const run of [...this.runs].filter((r) => !jobs || jobs.includes(r.job)).sort(newestFirst)) {
      const seen = latest.get(run.job) ?? latest.set(run.job, { last: copy(run) }).get(run.job);
      if (seen && !seen.lastGood && run.status === 'success') seen.lastGood = copy(run);
    }
    return latest;
  }

  async between(from: Date, to: Date): Promise<BackupRun[]> {
    return this.runs.filter((r) => r.startedAt >= from && r.startedAt < to).sort((a, b) => -newestFirst(a, b)).map(copy);
  }
}
