import type { JobConfig } from '../../config/load-config.ts';
import type { BackupRun } from '../../store/backup-log.ts';
import type { BackupDestination, DestinationPlace, StoredBackupFile } from './ports.ts';
import { decideRetention, type KeepReason } from './retention.ts';

/** keep and delete are retention's; leave is for files retention may not count or touch. */
export type PruneAction = 'keep' | 'delete' | 'leave';

/**
 * Why retention leaves a file alone, as a code with its values (said in the reader's language by
 * src/i18n/retention-words.ts): dated in the future (`time`, UTC), empty, not in the run log, not
 * recorded as delivered here, from a failed or unfinished run (`run`), a size other than the run
 * log's (`here`, `logged` bytes), not verified while the job verifies.
 */
export type LeaveReason =
  | { code: 'future'; time: string }
  | { code: 'empty' | 'notLogged' | 'unverified' }
  | { code: 'notHere' | 'failedRun' | 'unfinishedRun'; run: number }
  | { code: 'sizeDiffers'; here: number; logged: number };

export type PruneReason = KeepReason | LeaveReason;

export interface PruneDecision {
  name: string;
  size: number;
  action: PruneAction;
  /** Why it stays, or why it goes, for `tokobot backup prune --dry-run` and the backup console. */
  reasons: PruneReason[];
}

export interface PruneResult {
  destination: string;
  place?: DestinationPlace;
  decisions: PruneDecision[];
  removed: string[];
  error?: string;
}

/** A database clock a few minutes ahead of this machine's does not make a backup "from the future". */
const CLOCK_SLACK_MS = 10 * 60_000;

const shown = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** `<job>_YYYYMMDD_HHmmss<ext>` → its time (UTC), or null for a file that is not this job's backup. */
export function backupTime(job: Pick<JobConfig, 'id' | 'extension'>, name: string): Date | null {
  if (!name.startsWith(`${job.id}_`) || !name.endsWith(job.extension)) return null;
  const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/.exec(name.slice(job.id.length + 1, name.length - job.extension.length));
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return Number.isNaN(t.getTime()) ? null : t;
}

/** The run this destination's file came from: the one that records delivering it here, else any run that named it. */
function runOf(runs: BackupRun[], destination: BackupDestination, name: string): { run?: BackupRun; here: boolean } {
  const named = runs.filter((r) => r.fileName === name);
  const here = named.find((r) => r.destinations.some((c) => c.destination === destination.description && c.location));
  return { run: here ?? named[0], here: Boolean(here) };
}

/**
 * Why retention must leave a file named like the job's backups alone, or null when it is a good
 * backup of this destination: made by a successful (and, where the job verifies, verified) run
 * that records delivering it here, with the size the run recorded, finished in the past.
 */
function leaveReason(job: JobConfig, destination: BackupDestination, file: StoredBackupFile, runs: BackupRun[], now: Date): LeaveReason | null {
  const future = (t: Date) => t.getTime() > now.getTime() + CLOCK_SLACK_MS;
  const { run, here } = runOf(runs, destination, file.name);
  if (!run) {
    const named = backupTime(job, file.name) as Date;
    if (future(named)) return { code: 'future', time: shown(named) };
    if (file.size === 0) return { code: 'empty' };
    return { code: 'notLogged' };
  }
  if (!here) return { code: 'notHere', run: run.id };
  if (run.status !== 'success') return { code: run.status === 'failed' ? 'failedRun' : 'unfinishedRun', run: run.id };
  if (file.size === 0) return { code: 'empty' };
  if (file.size !== run.bytes) return { code: 'sizeDiffers', here: file.size, logged: run.bytes ?? 0 };
  const finished = run.finishedAt as Date;
  if (future(finished)) return { code: 'future', time: shown(finished) };
  if (job.verify && run.verification?.tables === undefined) return { code: 'unverified' };
  return null;
}

/**
 * Applies a job's retention to one destination, going by the run log (`runs`: the job's runs
 * that named a file, from BackupLog.runsWithFiles), never by file names or dates alone. Only good
 * backups (see leaveReason) count and may be deleted; their time is the run's finish time; the
 * newest one always stays. Every other file named like the job's backups is left alone and
 * reported; files not named like them are not this job's business. With dryRun nothing is deleted.
 */
export async function pruneDestination(job: JobConfig, destination: BackupDestination, runs: BackupRun[],
  options: { dryRun: boolean; now?: Date }): Promise<PruneResult> {
  const result: PruneResult = { destination: destination.description, place: destination.place, decisions: [], removed: [] };
  const now = options.now ?? new Date();
  try {
    const files = (await destination.list()).filter((f) => backupTime(job, f.name));
    const good = new Map<string, { file: StoredBackupFile; time: Date }>();
    const left: PruneDecision[] = [];
    for (const file of files) {
      const why = leaveReason(job, destination, file, runs, now);
      if (why) left.push({ name: file.name, size: file.size, action: 'leave', reasons: [why] });
      else good.set(file.name, { file, time: runOf(runs, destination, file.name).run?.finishedAt as Date });
    }
    const decided = decideRetention([...good].map(([id, g]) => ({ id, time: g.time, good: true })), job.retention);
    result.decisions = [
      ...decided.map((d) => ({ name: d.id, size: good.get(d.id)?.file.size ?? 0, action: d.keep ? 'keep' as const : 'delete' as const, reasons: d.reasons })),
      ...left.sort((a, b) => (a.name < b.name ? 1 : -1)),
    ];
    if (options.dryRun) return result;
    for (const d of result.decisions) {
      if (d.action !== 'delete') continue;
      await destination.remove(d.name);
      result.removed.push(d.name);
    }
  } catch (err) {
    result.error = (err as Error).message;
  }
  return result;
}
