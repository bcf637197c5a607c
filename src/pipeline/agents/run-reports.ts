import type { Logger } from 'pino';
import type { BackupLog, BackupRun, BackupRunDetails, BackupStatus, RestoreCheck } from '../../store/backup-log.ts';
import { differs } from '../backup/restore-check.ts';
import type { ReportBody } from '../../store/file/report-outbox.ts';
import { MAX_CHECKED_TABLES, type AgentJob, type AgentRun, type DiskReport, type Heartbeat } from './protocol.ts';

/** Where reports go: the outbox (report-outbox.ts). */
export interface ReportQueue {
  enqueue(body: ReportBody): Promise<number>;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const cutOrNull = (text: string | null, max: number) => (text === null ? null : cut(text, max));

/** A restore check within the protocol's limits: past MAX_CHECKED_TABLES, only the tables that differ (names cut to 200). */
function reportedCheck(check: RestoreCheck): RestoreCheck {
  const tables = check.tables.length > MAX_CHECKED_TABLES ? check.tables.filter(differs).slice(0, MAX_CHECKED_TABLES) : check.tables;
  return { ...check, tables: tables.map((t) => ({ ...t, table: cut(t.table, 200) })) };
}

/** A run of the agent's log as the protocol carries it (agentRunSchema): the protocol's limits kept, longer texts cut. */
export function agentRun(run: BackupRun, uuid: string, jobType: AgentRun['jobType']): AgentRun {
  return {
    id: uuid, job: run.job, jobType, trigger: cut(run.trigger, 40), status: run.status, stage: cutOrNull(run.stage, 40),
    stages: run.stages.slice(-20).map((s) => ({ name: cut(s.name, 40), startedAt: s.startedAt, ...(s.endedAt ? { endedAt: s.endedAt } : {}) })),
    startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null,
    fileName: cutOrNull(run.fileName, 255), bytes: run.bytes, sha256: run.sha256 && /^[0-9a-f]{64}$/.test(run.sha256) ? run.sha256 : null,
    destinations: run.destinations.slice(0, 20).map((d) => ({
      destination: cut(d.destination, 500), ...(d.location ? { location: cut(d.location, 1000) } : {}), ...(d.error ? { error: cut(d.error, 2000) } : {}),
    })),
    verification: run.verification && { ...run.verification, detail: cut(run.verification.detail, 2000),
      ...(run.verification.restoreCheck ? { restoreCheck: reportedCheck(run.verification.restoreCheck) } : {}) },
    error: cutOrNull(run.error, 4000), ...(run.errorId ? { errorId: cut(run.errorId, 4000) } : {}), failure: run.failure,
  };
}

/**
 * The agent's run log, reporting as it writes: every start and change of a run (its stage,
 * copies, verification, end) queues a `run` report with the whole run as it stands, under the
 * run's UUID (the head office keeps one record per UUID). A report that cannot be queued is
 * logged; the backup goes on.
 */
export class ReportingBackupLog implements BackupLog {
  constructor(
    private readonly log: BackupLog & { uuidOf(id: number): string | undefined },
    private readonly queue: ReportQueue,
    private readonly jobTypes: ReadonlyMap<string, AgentRun['jobType']>,
    private readonly logger: Pick<Logger, 'warn'>,
    /** Called after each queued report (the sender sends without waiting for its next round). */
    private readonly queued: () => void = () => undefined,
  ) {}

  /**
   * A run as it ended, from the runner (onFinished): its error in Indonesian too, which the log
   * does not keep (BackupRun.errorId), for the head office's owners who read Indonesian.
   */
  async reportFinished(run: BackupRun): Promise<void> {
    if (run.errorId) await this.#report(run.id, run);
  }

  async #report(id: number, ended?: BackupRun): Promise<void> {
    try {
      const run = ended ?? (await this.log.get(id));
      const uuid = this.log.uuidOf(id);
      if (!run || !uuid) return;
      await this.queue.enqueue({ type: 'run', run: agentRun(run, uuid, this.jobTypes.get(run.job) ?? 'postgres') });
      this.queued();
    } catch (err) {
      this.logger.warn({ run: id, err }, 'could not queue the report of this run for the head office');
    }
  }

  /**
   * At start: each job's latest run once more, as it stands. A process killed between recording a
   * change and queueing its report (a run's very end, say) would otherwise leave the head office
   * with a stale state; a report repeated only updates the same record.
   */
  async reportLatest(jobs: string[]): Promise<void> {
    for (const { last } of (await this.log.latest(jobs)).values()) await this.#report(last.id);
  }

  async start(job: string, trigger: string): Promise<number> {
    const id = await this.log.start(job, trigger);
    await this.#report(id);
    return id;
  }

  async update(id: number, details: BackupRunDetails, status?: BackupStatus): Promise<void> {
    await this.log.update(id, details, status);
    await this.#report(id);
  }

  async failInterrupted(id: number, error: string): Promise<void> {
    await this.log.failInterrupted(id, error);
    await this.#report(id);
  }

  interrupted(job: string) { return this.log.interrupted(job); }
  runsWithFiles(job: string) { return this.log.runsWithFiles(job); }
  get(id: number) { return this.log.get(id); }
  madeFile(name: string) { return this.log.madeFile(name); }
  recent(job?: string, limit?: number) { return this.log.recent(job, limit); }
  latest(jobs?: string[]) { return this.log.latest(jobs); }
  between(from: Date, to: Date) { return this.log.between(from, to); }
}

export interface HeartbeatSources {
  startedAt: Date;
  timeZone: string;
  /** DATA_DIR and each local destination's folder. */
  dirs: string[];
  jobs(): AgentJob[];
  outboxPending(): number;
  diskMinFreeBytes: number;
  diskSpace(dir: string): Promise<{ freeBytes: number; totalBytes: number }>;
  now?: () => Date;
}

/** The agent's heartbeat now: a folder whose disk cannot be read is left out (the next beat tries again). */
export async function heartbeat(s: HeartbeatSources): Promise<Heartbeat> {
  const disk: DiskReport[] = [];
  for (const dir of [...new Set(s.dirs)].slice(0, 20)) {
    const space = await s.diskSpace(dir).catch(() => null);
    if (space) disk.push({ dir: cut(dir, 1000), ...space });
  }
  return {
    at: (s.now?.() ?? new Date()).toISOString(), startedAt: s.startedAt.toISOString(), timeZone: s.timeZone, disk,
    jobs: s.jobs().slice(0, 50), outboxPending: s.outboxPending(), diskMinFreeBytes: s.diskMinFreeBytes,
  };
}
