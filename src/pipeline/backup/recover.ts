import { scratchName } from './verify-backup.ts';
import type { JobConfig } from '../../config/load-config.ts';
import { describeError, type Detail } from '../../errors.ts';
import { clearWorkDir, jobWorkDir } from './backup-files.ts';
import type { BackupDeps } from './backup-job.ts';
import type { BackupRun, DeliveredCopy } from '../../store/backup-log.ts';
import type { BackupDestination } from './ports.ts';
import { backupTime } from './prune.ts';

type RecoverDeps = Pick<BackupDeps, 'log' | 'destinations' | 'workRoot' | 'logger' | 'target' | 'mysql' | 'verifyPostgres'>;

const deliveredTo = (run: BackupRun, destination: BackupDestination) =>
  run.destinations.some((c) => c.destination === destination.description && c.location);

/**
 * Files an interrupted run put under their final name at `destination` that the log never
 * recorded there (killed after the rename, before the log update): removed, since no run vouches
 * for them. A file some other run records here is never touched.
 */
async function removeUnrecorded(destination: BackupDestination, interrupted: BackupRun[], known: BackupRun[]): Promise<[BackupRun, string][]> {
  const suspects = interrupted.filter((r) => r.fileName && !deliveredTo(r, destination)
    && !known.some((k) => k.fileName === r.fileName && deliveredTo(k, destination)));
  if (!suspects.length) return [];
  const present = new Set((await destination.list()).map((f) => f.name));
  const done: [BackupRun, string][] = [];
  for (const run of suspects.filter((r) => present.has(r.fileName as string))) {
    await destination.remove(run.fileName as string);
    done.push([run, `removed ${run.fileName} from ${destination.description}, stored there before the run could record it`]);
  }
  return done;
}

/** How the error of a run stopped midway says that nothing from it was stored. */
export const NOTHING_KEPT: Detail = { en: 'no file from it was kept', id: 'tidak ada file darinya yang disimpan' };

/** What a run stopped midway left: nothing, or the copies it had stored (and recorded) before it stopped. */
export function whatWasKept(fileName: string | null, copies: DeliveredCopy[]): Detail {
  const kept = copies.filter((c) => c.location).map((c) => c.destination);
  if (!kept.length) return NOTHING_KEPT;
  return {
    en: `its file ${fileName} stays in ${kept.join(' and ')}, where retention leaves it alone`,
    id: `filenya, ${fileName}, tetap ada di ${kept.join(' dan ')}, dan retensi tidak menghapusnya`,
  };
}

function interruptedError(run: BackupRun, done: string[]): string {
  return `tokobot stopped during this backup (crash, restart or power cut); ${whatWasKept(run.fileName, run.destinations).en}.` +
    `${done.length ? ` The next run ${done.join('; ')}.` : ''} The next run makes a new one.`;
}

/** Drops the scratch database an interrupted verification left; says what it did, or why it could not. */
async function dropScratch(deps: RecoverDeps, job: JobConfig, runId: number): Promise<string | null> {
  const scratch = scratchName(job.id, runId);
  try {
    if (job.type === 'tokobot') return null; // verified by reading, in the work folder
    if (job.type === 'postgres') {
      if (deps.verifyPostgres) return null; // verified without a scratch database
      if (!(await deps.target.databaseExists(scratch))) return null;
      await deps.target.dropDatabase(scratch);
    } else {
      const server = await deps.mysql(job);
      try {
        if (!(await server.databaseExists(scratch))) return null;
        await server.dropDatabase(scratch);
      } finally {
        await server.close().catch(() => undefined);
      }
    }
    return `dropped the scratch database ${scratch} of the interrupted verification`;
  } catch (err) {
    return `could not drop the scratch database ${scratch} of the interrupted verification: ${describeError(err)}`;
  }
}

/**
 * Crash recovery for one job, while holding its lock: every destination loses the temporary files
 * of puts that never finished and any file an interrupted run renamed but never recorded; the
 * interrupted runs end as failed, saying what was left and what was done; the work folder is
 * emptied. With `sweep` false (at start-up) destinations are only visited when a run was
 * interrupted. A destination that cannot be reached is noted and skipped. Returns what was done.
 */
export async function recoverJob(deps: RecoverDeps, job: JobConfig, options: { sweep: boolean }): Promise<string[]> {
  const runs = await deps.log.interrupted(job.id);
  const notes = new Map<number, string[]>(runs.map((r) => [r.id, []]));
  const note = (name: string | null, line: string) => { for (const r of runs) if (r.fileName === name) notes.get(r.id)?.push(line); };
  const done: string[] = [];
  if (runs.length || options.sweep) {
    const known = runs.some((r) => r.fileName) ? await deps.log.runsWithFiles(job.id) : [];
    for (const destination of deps.destinations(job)) {
      try {
        for (const name of await destination.removeLeftovers((n) => backupTime(job, n) !== null)) {
          const line = `removed the unfinished upload of ${name} from ${destination.description}`;
          done.push(line);
          note(name, line);
        }
        for (const [run, line] of await removeUnrecorded(destination, runs, known)) {
          done.push(line);
          note(run.fileName, line);
        }
      } catch (err) {
        const line = `could not check ${destination.description} for files left by an interrupted run: ${describeError(err)}`;
        deps.logger.warn({ job: job.id, destination: destination.description, reason: describeError(err) }, 'crash recovery could not check a destination');
        for (const r of runs) notes.get(r.id)?.push(line);
      }
    }
  }
  for (const run of runs.filter((r) => r.stage === 'verify')) {
    const line = await dropScratch(deps, job, run.id);
    if (line) { done.push(line); notes.get(run.id)?.push(line); }
  }
  for (const run of runs) await deps.log.failInterrupted(run.id, interruptedError(run, notes.get(run.id) ?? []));
  if (runs.length) deps.logger.warn({ job: job.id, runs: runs.map((r) => r.id) }, 'marked backup runs interrupted by a crash as failed');
  if (done.length) deps.logger.warn({ job: job.id, done }, 'removed files left by interrupted backups');
  await clearWorkDir(await jobWorkDir(deps.workRoot, job.id));
  return done;
}
