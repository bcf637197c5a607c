import type { JobConfig } from '../../config/load-config.ts';
import type { BackupDestination } from './ports.ts';
import { decideRetention, type Decision } from './retention.ts';

export interface PruneResult {
  destination: string;
  decisions: (Decision & { size: number })[];
  removed: string[];
  error?: string;
}

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

/**
 * Applies a job's retention to one destination. Only files named like the job's backups are
 * considered; every one of them is complete and verified (nothing else gets a final name), so
 * all count as good. With dryRun nothing is deleted.
 */
export async function pruneDestination(job: JobConfig, destination: BackupDestination, dryRun: boolean): Promise<PruneResult> {
  const result: PruneResult = { destination: destination.description, decisions: [], removed: [] };
  try {
    const files = (await destination.list()).flatMap((f) => {
      const time = backupTime(job, f.name);
      return time ? [{ ...f, time }] : [];
    });
    const sizes = new Map(files.map((f) => [f.name, f.size]));
    result.decisions = decideRetention(files.map((f) => ({ id: f.name, time: f.time, good: true })), job.retention)
      .map((d) => ({ ...d, size: sizes.get(d.id) ?? 0 }));
    if (dryRun) return result;
    for (const d of result.decisions) {
      if (d.keep) continue;
      await destination.remove(d.id);
      result.removed.push(d.id);
    }
  } catch (err) {
    result.error = (err as Error).message;
  }
  return result;
}
