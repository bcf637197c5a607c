import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { JobConfig } from '../../config/load-config.ts';
import { AppError, describeError, indonesianDetail } from '../../errors.ts';
import type { BackupRun, Verification } from '../../store/backup-log.ts';
import { diskFailure } from './backup-files.ts';
import type { BackupDeps } from './backup-job.ts';
import type { BackupDestination, DestinationPlace, StoredBackupFile } from './ports.ts';
import { backupTime, pruneDestination, type PruneResult } from './prune.ts';
import { dropRestored, restoreBackup, restoreTargetTables, type RestoreStage } from './restore-backup.ts';
import { scratchName } from './verify-backup.ts';

/**
 * What the web dashboard's backup console does with a job's stored files: list them with the run
 * that made each (size, SHA-256, verification) and where each copy lives, stream one back, verify
 * one now, restore one, delete one, preview retention. A file is always named by a destination
 * index and a name that destination listed as one of the job's backups: a name is never trusted
 * as a path, so `../` or an unknown name is refused before anything is read.
 */
export type ConsoleDeps = Pick<BackupDeps, 'log' | 'destinations' | 'target' | 'mysql' | 'workRoot'>;

/** How a file stands, for the statistics: verified, made but not verified, from a failed run, or unknown to the run log. */
export type FileKind = 'verified' | 'unverified' | 'failed' | 'unknown';

export interface FileCopy {
  destination: number;
  size: number;
  modifiedAt: Date;
}

export interface ConsoleFile {
  name: string;
  kind: FileKind;
  runId: number | null;
  /** As the run recorded the delivered file; null when the run log does not know it. */
  bytes: number | null;
  sha256: string | null;
  verification: Verification | null;
  copies: FileCopy[];
  /** The latest "verify now" of this process, when there was one. */
  checked: CheckResult | null;
}

export interface ConsoleDestination {
  index: number;
  description: string;
  place?: DestinationPlace;
  files: number;
  bytes: number;
  /** Why it could not be listed; in Indonesian too when the error says it. */
  error: string | null;
  errorId?: string;
}

export interface JobFiles {
  files: ConsoleFile[];
  destinations: ConsoleDestination[];
  stats: { files: number; copies: number; bytes: number; byKind: Partial<Record<FileKind, { files: number; bytes: number }>> };
}

export interface CheckResult {
  ok: boolean;
  /** In English; the counts below say the same as data, for pages in the reader's language. */
  detail: string;
  /** A failure's detail in Indonesian, when the error says it. */
  detailId?: string;
  /** What arrived in the scratch database, when the restore got that far. */
  tables?: number;
  rows?: number;
  /** What the run that made the file counted, when it differs from what arrived. */
  expected?: { tables?: number; rows?: number };
  at: Date;
  destination: number;
}

const kindOf = (run: BackupRun | undefined): FileKind => {
  if (!run) return 'unknown';
  if (run.status === 'failed') return 'failed';
  return run.verification?.tables !== undefined ? 'verified' : 'unverified';
};

export class BackupConsole {
  private readonly checks = new Map<string, CheckResult>();
  /** Jobs with a check running: two at once would share the scratch database (named after the file's run). */
  private readonly checking = new Set<string>();

  constructor(private readonly deps: ConsoleDeps, readonly jobs: JobConfig[], private readonly now: () => Date = () => new Date()) {}

  job(id: string): JobConfig | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  private destinations(job: JobConfig): BackupDestination[] {
    return this.deps.destinations(job);
  }

  /** Every file of the job at every destination, newest first, joined with the run that made it. */
  async files(job: JobConfig): Promise<JobFiles> {
    const runs = await this.deps.log.runsWithFiles(job.id);
    const byName = new Map<string, ConsoleFile>();
    const destinations: ConsoleDestination[] = [];
    for (const [index, destination] of this.destinations(job).entries()) {
      let listed: StoredBackupFile[] = [];
      let error: string | null = null;
      let errorId: string | undefined;
      try {
        listed = (await destination.list()).filter((f) => backupTime(job, f.name));
      } catch (err) {
        error = describeError(err);
        errorId = indonesianDetail(err);
      }
      destinations.push({ index, description: destination.description, place: destination.place, files: listed.length, bytes: listed.reduce((a, f) => a + f.size, 0),
        error, ...(errorId ? { errorId } : {}) });
      for (const f of listed) {
        const run = runs.find((r) => r.fileName === f.name && r.status === 'success') ?? runs.find((r) => r.fileName === f.name);
        const file = byName.get(f.name) ?? {
          name: f.name, kind: kindOf(run), runId: run?.id ?? null, bytes: run?.bytes ?? null, sha256: run?.sha256 ?? null,
          verification: run?.verification ?? null, copies: [], checked: this.checks.get(`${job.id}/${f.name}`) ?? null,
        };
        file.copies.push({ destination: index, size: f.size, modifiedAt: f.modifiedAt });
        byName.set(f.name, file);
      }
    }
    const files = [...byName.values()].sort((a, b) => (a.name < b.name ? 1 : -1));
    const byKind: JobFiles['stats']['byKind'] = {};
    for (const f of files) {
      const k = (byKind[f.kind] ??= { files: 0, bytes: 0 });
      k.files += 1;
      k.bytes += f.copies.reduce((a, c) => a + c.size, 0);
    }
    const bytes = destinations.reduce((a, d) => a + d.bytes, 0);
    return { files, destinations, stats: { files: files.length, copies: destinations.reduce((a, d) => a + d.files, 0), bytes, byKind } };
  }

  /**
   * The file `name` as destination `index` lists it among the job's backups; anything else (a
   * path, a name of another job, a file that is not there) is refused before anything is read.
   */
  async find(job: JobConfig, index: number, name: string): Promise<{ destination: BackupDestination; file: StoredBackupFile }> {
    const destination = Number.isSafeInteger(index) ? this.destinations(job)[index] : undefined;
    if (!destination || !backupTime(job, name)) throw notFound(job, name);
    const file = (await destination.list()).find((f) => f.name === name);
    if (!file) throw notFound(job, name);
    return { destination, file };
  }

  /** The file's bytes, streamed from where it is stored. */
  async open(job: JobConfig, index: number, name: string): Promise<{ size: number; stream: Readable }> {
    const { destination, file } = await this.find(job, index, name);
    return { size: file.size, stream: await destination.read(file.name) };
  }

  async remove(job: JobConfig, index: number, name: string): Promise<void> {
    const { destination, file } = await this.find(job, index, name);
    await destination.remove(file.name);
    this.checks.delete(`${job.id}/${name}`);
  }

  /** How many tables `database` has where this job's backups restore into; null when there is no such database. */
  tables(job: JobConfig, database: string): Promise<number | null> {
    return restoreTargetTables(this.deps, job, database);
  }

  /** What `tokobot backup prune` would do at each destination now, and why (nothing is deleted). */
  async retention(job: JobConfig): Promise<PruneResult[]> {
    const runs = await this.deps.log.runsWithFiles(job.id);
    return Promise.all(this.destinations(job).map((d) => pruneDestination(job, d, runs, { dryRun: true, now: this.now() })));
  }

  /**
   * Verify now: copies the file here (checked against the run log's size and SHA-256 on the way
   * into the restore), restores it into a scratch database, counts what arrived and drops it again.
   * The counts must match what the run's own verification found, when it recorded some.
   */
  /** Rejects with a 'busy' AppError while another check of the job runs. */
  async verify(job: JobConfig, index: number, name: string): Promise<CheckResult> {
    const found = await this.find(job, index, name);
    if (this.checking.has(job.id)) throw new AppError('busy', 'tokobot', `A check of ${job.id} is already running; try again when it ends.`);
    this.checking.add(job.id);
    try {
      return await this.check(job, index, name, found.destination);
    } finally {
      this.checking.delete(job.id);
    }
  }

  private async check(job: JobConfig, index: number, name: string, destination: BackupDestination): Promise<CheckResult> {
    const run = await this.deps.log.madeFile(name);
    const scratch = scratchName(job.id, run?.id ?? 0);
    let result: CheckResult;
    try {
      const { tables, rows } = await this.withLocalCopy(destination, name, async (file) => {
        await dropRestored(this.deps, job, scratch);
        try {
          return await restoreBackup(this.deps, job, file, scratch);
        } finally {
          await dropRestored(this.deps, job, scratch).catch(() => undefined);
        }
      });
      const was = run?.verification;
      const same = was?.tables === undefined || (was.tables === tables && was.rows === rows);
      result = { ok: same, at: this.now(), destination: index, tables, rows, ...(same ? {} : { expected: { tables: was?.tables, rows: was?.rows } }),
        detail: same ? `restored into a scratch database: ${tables} tables, ${rows} rows` : `restored ${tables} tables, ${rows} rows, but the run that made it found ${was?.tables} tables, ${was?.rows} rows` };
    } catch (err) {
      const detailId = indonesianDetail(err);
      result = { ok: false, at: this.now(), destination: index, detail: describeError(err), ...(detailId ? { detailId } : {}) };
    }
    this.checks.set(`${job.id}/${name}`, result);
    return result;
  }

  /** Restores the file into `database` (new or empty), reporting each stage: 'fetch' while it is copied here. */
  async restore(job: JobConfig, index: number, name: string, database: string, onStage: (stage: 'fetch' | RestoreStage) => void) {
    const { destination } = await this.find(job, index, name);
    onStage('fetch');
    return this.withLocalCopy(destination, name, (file) => restoreBackup(this.deps, job, file, database, { onStage }));
  }

  /** Streams the stored file into a private folder under DATA_DIR/backups for `use`, and removes it after. */
  private async withLocalCopy<T>(destination: BackupDestination, name: string, use: (file: string) => Promise<T>): Promise<T> {
    await mkdir(this.deps.workRoot, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(path.join(this.deps.workRoot, '.console-'));
    try {
      const file = path.join(dir, name);
      await pipeline(await destination.read(name), createWriteStream(file, { mode: 0o600, flags: 'wx' })).catch((err) => { throw diskFailure(err, file); });
      return await use(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** The file asked for is not one of the job's backups at that destination: nothing was read. */
export class NoSuchBackupFile extends AppError {}

const notFound = (job: JobConfig, name: string) => new NoSuchBackupFile('usage', 'tokobot', `${job.id} has no backup file called ${JSON.stringify(name.slice(0, 200))} there: choose one from the list.`);
