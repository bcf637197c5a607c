import path from 'node:path';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { JobConfig } from '../../config/load-config.ts';
import { AppError, describeError, errorDetail, errorFacts, isAppError, type ErrorFacts } from '../../errors.ts';
import type { RestoreTarget } from '../ports.ts';
import { killPoint } from '../../kill-point.ts';
import { backupName, clearWorkDir, encryptAndCheck, jobWorkDir, writeHashed } from './backup-files.ts';
import type { BackupLog, BackupRun, DeliveredCopy, Verification } from '../../store/backup-log.ts';
import type { BackupDestination, DestinationPlace, MysqlServer, PostgresDumper, RunPings, TableCounts } from './ports.ts';
import { pruneDestination } from './prune.ts';
import { NOTHING_KEPT, recoverJob, whatWasKept } from './recover.ts';
import { runOnce, type Lifecycle } from '../runs/lifecycle.ts';
import { StageTracker } from '../runs/stage-tracker.ts';
import { scratchName, verifyMysql, verifyPostgres } from './verify-backup.ts';
import { mismatchError } from './restore-check.ts';
import { makeSelfBackup, verifySelfBackup, type SelfSource } from './self-backup.ts';
import { reasonsText } from '../../i18n/retention-words.ts'; // the log is in English

export interface BackupDeps {
  log: BackupLog;
  /**
   * Takes the lock called `name` for every process on the ops database (so a job never overlaps
   * itself), or answers null when another holder has it; the function returned releases it.
   */
  lock(name: string): Promise<(() => Promise<void>) | null>;
  target: RestoreTarget;
  /** DATA_DIR/backups: each job makes its files in a folder of its own there. */
  workRoot: string;
  /** Each server's adapter is made for one run (and its module may be imported only then). */
  postgres(job: JobConfig): Promise<PostgresDumper>;
  mysql(job: JobConfig): Promise<MysqlServer>;
  destinations(job: JobConfig): BackupDestination[];
  /** What a `tokobot` job backs up (tokobot's own settings); without it such a job fails saying so. */
  self?: SelfSource;
  /** Other monitors told of each run (job.ping), by every BackupRunner made with these deps (pingRuns). */
  pings?: RunPings;
  /**
   * Set: a PostgreSQL dump is verified by this instead of a restore into `target` (a shop agent,
   * which has no restore server, reads the archive: verifyPostgresByReading).
   */
  verifyPostgres?(file: string, signal: AbortSignal): Promise<Verification>;
  logger: Pick<Logger, 'info' | 'warn'>;
  now?: () => Date;
}

export type BackupStage = 'dump' | 'verify' | 'encrypt' | 'upload' | 'prune';

export interface BackupProgress {
  stage: BackupStage;
  /** Bytes dumped or sent so far, and the total when known. */
  done?: number;
  total?: number;
  rows?: number;
  destination?: string;
  /** The same destination as data, for readers of other languages. */
  place?: DestinationPlace;
}

export type BackupProgressFn = (p: BackupProgress) => void;

/** Measured on a 445 MB dump: as fast as level 1, 6% larger than level 6 in 60% of its time. */
export const GZIP_LEVEL = 3;

interface Made {
  file: string;
  bytes: number;
  sha256: string;
  snapshot?: TableCounts;
}

async function dump(deps: BackupDeps, job: JobConfig, file: string, signal: AbortSignal, progress: BackupProgressFn): Promise<Made> {
  if (job.type === 'tokobot') {
    if (!deps.self) throw new AppError('config', 'tokobot', 'This tokobot cannot back up its own settings here (a shop agent): remove the tokobot job.');
    return { file, ...(await makeSelfBackup(deps.self, file, { signal, now: (deps.now ?? (() => new Date()))(), onBytes: (n) => progress({ stage: 'dump', done: n }) })) };
  }
  if (job.type === 'postgres') {
    const dumper = await deps.postgres(job);
    const made = await writeHashed(file, (into, stop) => dumper.dump(into, { signal: stop }),
      { onBytes: (n) => progress({ stage: 'dump', done: n }), signal });
    return { file, ...made };
  }
  const server = await deps.mysql(job);
  let snapshot: TableCounts = {};
  let rows = 0;
  let bytes = 0;
  try {
    const made = await writeHashed(file, async (into, stop) => {
      const gzip = createGzip({ level: GZIP_LEVEL });
      const compressed = pipeline(gzip, into, { end: false });
      compressed.catch(() => undefined); // its failure reaches us through the dump or the await below
      try {
        snapshot = await server.dump(gzip, { signal: stop, onRows: (n) => { rows = n; progress({ stage: 'dump', done: bytes, rows }); } });
      } catch (err) {
        gzip.destroy();
        throw err;
      }
      gzip.end();
      await compressed;
    }, { onBytes: (n) => { bytes = n; progress({ stage: 'dump', done: n, rows }); }, signal });
    return { file, ...made, snapshot };
  } finally {
    await server.close().catch(() => undefined);
  }
}

async function verify(deps: BackupDeps, job: JobConfig, runId: number, made: Made, signal: AbortSignal): Promise<Verification> {
  if (job.type === 'tokobot') return verifySelfBackup(made.file);
  if (job.type === 'postgres' && deps.verifyPostgres) return deps.verifyPostgres(made.file, signal);
  if (job.type === 'postgres') return verifyPostgres(deps.target, scratchName(job.id, runId), made.file, signal);
  const server = await deps.mysql(job);
  try {
    return await verifyMysql(server, scratchName(job.id, runId), made.file, made.snapshot ?? {}, signal);
  } finally {
    await server.close().catch(() => undefined);
  }
}

/** Each copy is recorded the moment it is stored, so a crash later in the run leaves no stored file the log does not know. */
/**
 * Each destination's copy, the kind of the first failure (what the run's error is about), and
 * each failed copy's error in Indonesian (by destination; the log keeps the English).
 */
async function deliver(deps: BackupDeps, job: JobConfig, run: number, made: Made, name: string, signal: AbortSignal,
  progress: BackupProgressFn): Promise<{ copies: DeliveredCopy[]; failure?: ErrorFacts; errorsId: Map<string, string> }> {
  const copies: DeliveredCopy[] = [];
  const errorsId = new Map<string, string>();
  let failure: ErrorFacts | undefined;
  for (const destination of deps.destinations(job)) {
    if (signal.aborted) throw signal.reason;
    try {
      const { location } = await destination.put(made.file, name, {
        signal, onProgress: (done, total) => progress({ stage: 'upload', done, total, destination: destination.description, ...(destination.place ? { place: destination.place } : {}) }),
      });
      killPoint('after-rename');
      copies.push({ destination: destination.description, location });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      copies.push({ destination: destination.description, error: describeError(err) });
      errorsId.set(destination.description, isAppError(err) ? errorDetail(err, 'id') : describeError(err));
      failure ??= errorFacts(err);
    }
    await deps.log.update(run, { destinations: copies });
  }
  return { copies, failure, errorsId };
}

/**
 * Retention, after a good run (already recorded as such, so it counts) and only where this run's
 * file arrived. It goes by the run log; a failure to prune is logged, the backup stays good.
 */
async function prune(deps: BackupDeps, job: JobConfig, copies: DeliveredCopy[]): Promise<void> {
  const runs = await deps.log.runsWithFiles(job.id);
  for (const destination of deps.destinations(job)) {
    if (!copies.some((c) => c.destination === destination.description && c.location)) continue;
    const result = await pruneDestination(job, destination, runs, { dryRun: false });
    const why = Object.fromEntries(result.decisions.map((d) => [d.name, `${d.action}: ${reasonsText('en', d.reasons)}`]));
    if (result.error) deps.logger.warn({ job: job.id, destination: result.destination, error: result.error }, 'retention could not prune this destination');
    else if (result.removed.length || result.decisions.some((d) => d.action === 'leave')) {
      deps.logger.info({ job: job.id, destination: result.destination, removed: result.removed, why }, 'retention applied');
    }
  }
}

function timeoutError(job: JobConfig): AppError {
  const minutes = job.timeoutMs / 60_000;
  return new AppError('interrupted', 'tokobot', {
    en: `The backup ${job.id} took longer than its limit of ${minutes} minutes and was stopped; ${NOTHING_KEPT.en}. Raise timeoutMinutes for this job if the database has grown.`,
    id: `Backup ${job.id} berjalan lebih lama dari batasnya, ${minutes} menit, dan dihentikan; ${NOTHING_KEPT.id}. Naikkan timeoutMinutes job ini bila database-nya sudah membesar.`,
  });
}

/** Backup jobs as the shared run lifecycle runs them (BackupRunner, and runBackup for a single run). */
export function backupLifecycle(deps: BackupDeps): Lifecycle<JobConfig, BackupProgress, BackupRun> {
  return {
    kind: 'backup',
    id: (job) => job.id,
    lock: (name) => deps.lock(name),
    busy: (job) => ({ en: `The backup ${job.id} is already running; wait for it to finish.`, id: `Backup ${job.id} sedang berjalan; tunggu sampai selesai.` }),
    // At start destinations are only visited for a run that was interrupted; before a run, always.
    recover: async (job, moment) => { await recoverJob(deps, job, { sweep: moment === 'run' }); },
    starting: { stage: 'dump' },
    execute: (job, trigger, onProgress, signal) => execute(deps, job, trigger, onProgress, signal),
    shutdownError: () => new AppError('interrupted', 'tokobot', {
      en: `tokobot was shut down during this backup; ${NOTHING_KEPT.en}. It runs again at its next time.`,
      id: `tokobot dimatikan saat backup ini berjalan; ${NOTHING_KEPT.id}. Backup berjalan lagi pada jadwal berikutnya.`,
    }),
    cancelError: (_job, by) => new AppError('interrupted', 'tokobot', { en: `Cancelled by ${by}; ${NOTHING_KEPT.en}.`, id: `Dibatalkan oleh ${by}; ${NOTHING_KEPT.id}.` }),
    summary: (run) => ({ runId: run.id, status: run.status, error: run.error }),
  };
}

/**
 * One run of a backup job: recover from an interrupted earlier run (recoverJob), dump into the
 * job's work folder, verify, encrypt, deliver to each destination, record success, apply
 * retention. Files only get their final name at a destination once complete and checked, and
 * each copy is recorded as it arrives; whatever fails, the run ends as "failed" in the log with a
 * reason the admin can act on, and the work folder is emptied. Throws only when the job is
 * already running.
 */
export function runBackup(deps: BackupDeps, job: JobConfig, trigger: string, onProgress?: BackupProgressFn, stopSignal?: AbortSignal): Promise<BackupRun> {
  return runOnce(backupLifecycle(deps), job, trigger, onProgress, stopSignal);
}

/** The run itself, lock held and recovery done: its stages recorded as the syncs' are. */
async function execute(deps: BackupDeps, job: JobConfig, trigger: string, onProgress: BackupProgressFn, stopSignal: AbortSignal): Promise<BackupRun> {
  const work = await jobWorkDir(deps.workRoot, job.id);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError(job)), job.timeoutMs);
  const signal = AbortSignal.any([stopSignal, controller.signal]);
  try {
    const id = await deps.log.start(job.id, trigger);
    const name = backupName(job.id, job.extension, (deps.now ?? (() => new Date()))());
    let errorId: string | undefined;
    const t = new StageTracker<BackupProgress>((stage, stages) => deps.log.update(id, { stage, stages }, 'running'), onProgress, signal);
    try {
      await t.begin('dump');
      const plainName = job.passphrase ? name.slice(0, -'.enc'.length) : name;
      let made = await dump(deps, job, path.join(work, `${plainName}.partial`), signal, onProgress);
      // The name is recorded before any destination sees it, so crash recovery knows what to look for.
      await deps.log.update(id, { fileName: name, bytes: made.bytes, sha256: made.sha256 });
      killPoint('after-dump');
      let verification: Verification = { ok: true, detail: 'not verified (verify: false in the job)' };
      if (job.verify) {
        await t.begin('verify');
        verification = await verify(deps, job, id, made, signal);
      }
      await deps.log.update(id, { verification });
      // Recorded first: the failed run keeps which tables differ.
      if (!verification.ok && verification.restoreCheck) throw mismatchError(verification.restoreCheck);
      if (job.passphrase) {
        await t.begin('encrypt');
        const sealed = path.join(work, `${name}.partial`);
        made = { ...made, file: sealed, ...(await encryptAndCheck(made.file, sealed, job.passphrase, made.sha256, signal)) };
        await deps.log.update(id, { bytes: made.bytes, sha256: made.sha256 });
      }
      await t.begin('upload');
      const { copies, failure, errorsId } = await deliver(deps, job, id, made, name, signal, onProgress);
      const failed = copies.filter((c) => c.error);
      if (failed.length) {
        const stored = copies.filter((c) => c.location).map((c) => c.destination).join(', ');
        throw new AppError(failure?.kind ?? 'refused', failure?.system ?? 'tokobot', {
          en: `${failed.map((c) => `Not stored in ${c.destination}: ${c.error}`).join(' ')}` +
            (stored ? ` (stored in ${stored})` : ' The backup was not stored anywhere.'),
          id: `${failed.map((c) => `Tidak tersimpan di ${c.destination}: ${errorsId.get(c.destination) ?? c.error}`).join(' ')}` +
            (stored ? ` (tersimpan di ${stored})` : ' Backup ini tidak tersimpan di mana pun.'),
        });
      }
      await t.begin('prune');
      await deps.log.update(id, {}, 'success');
      await prune(deps, job, copies).catch((err) => deps.logger.warn({ job: job.id, err }, 'retention failed'));
      t.close();
      await deps.log.update(id, { stages: t.stages });
    } catch (err) {
      const reason = signal.aborted && signal.reason instanceof Error ? signal.reason : err;
      // A run stopped midway may have stored copies already (recorded as each arrived): its error says so.
      const copies = (await deps.log.get(id))?.destinations ?? [];
      const stage = t.current ?? 'dump';
      const kept = whatWasKept(name, copies);
      const message = `${stage}: ${describeError(reason)}`.replace(NOTHING_KEPT.en, kept.en);
      if (isAppError(reason) && reason.messageId) errorId = `${stage}: ${reason.messageId}`.replace(NOTHING_KEPT.id, kept.id);
      deps.logger.warn({ job: job.id, run: id, err: reason }, 'backup failed');
      t.close();
      await deps.log.update(id, { error: message, stages: t.stages, failure: errorFacts(reason) }, 'failed');
    } finally {
      await clearWorkDir(work).catch(() => undefined);
    }
    const run = (await deps.log.get(id)) as BackupRun;
    return errorId && run.status === 'failed' ? { ...run, errorId } : run;
  } finally {
    clearTimeout(timer);
  }
}
