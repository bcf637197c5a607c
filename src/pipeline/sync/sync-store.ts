import { rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { killPoint } from '../../kill-point.ts';
import type { Logger } from 'pino';
import { AppError, describeError, errorFacts, isAppError, type ErrorFacts } from '../../errors.ts';
import type { StoreConfig } from '../../config/load-config.ts';
import type { BackupFile, BackupSource, RestoreTarget } from '../ports.ts';
import { storeDatabases } from '../databases.ts';
import { exportPriceCsv } from '../export-csv.ts';
import { validatePriceCsv, type ValidationReport } from '../validate-prices.ts';
import { finishPublication, publishRun } from '../publish.ts';
import type { SyncRunLog } from '../../store/sync-runs.ts';
import type { PriceLists } from '../../store/price-lists.ts';
import type { PriceChangeLog } from '../../store/price-changes.ts';
import { recordChanges } from '../record-changes.ts';
import type { Locks } from '../../store/locks.ts';
import { RunTracker, type SyncProgress, type SyncProgressFn } from './run-tracker.ts';
import { runOnce, type Lifecycle } from '../runs/lifecycle.ts';
import { cleanLeftovers, ensureSpace, exportDir, freeSpace, prepareDirs, pruneExports, stamp, workDir, type FreeSpaceFn } from './work-files.ts';
import { prepareArchive, type ArchiveSummary } from './prepare-archive.ts';

export interface SyncSettings {
  exportKeep: number;
  maxRowDrop: number;
  /** Unset: the free space where the zip is unpacked is the ceiling. */
  zipMaxBytes?: number;
  zipMaxRatio: number;
  restoreJobs: number;
}

export interface SyncDeps {
  /** Every configured store (the schedule syncs them all). */
  stores: StoreConfig[];
  runs: SyncRunLog;
  priceLists: PriceLists;
  /** Where each publication's changes are recorded (unset: not recorded). */
  priceChanges?: Pick<PriceChangeLog, 'record'>;
  locks: Locks;
  target: RestoreTarget;
  sourceFor: (store: StoreConfig) => BackupSource;
  dataDir: string;
  settings: SyncSettings;
  logger: Logger;
  freeSpace?: FreeSpaceFn;
}

export interface SyncOutcome {
  runId: number;
  store: string;
  status: 'success' | 'no-change' | 'failed';
  file?: string;
  bytes?: number;
  archive?: ArchiveSummary;
  rows?: number;
  validation?: ValidationReport;
  csvPath?: string;
  failedStage?: string;
  /** The error in English: what the run log keeps (its tables hold one language). */
  error?: string;
  /** The same error in Indonesian, when it was written (for the reader's language; not stored). */
  errorId?: string;
  /** What the error was about, when it was a known kind (for the owner's message). */
  failure?: ErrorFacts;
  durationsMs: Record<string, number>;
}

function newest(files: BackupFile[]): BackupFile | undefined {
  return [...files].sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || b.name.localeCompare(a.name))[0];
}

/** Syncs as the shared run lifecycle runs them (SyncRunner, and syncStore for a single run). */
export function syncLifecycle(deps: SyncDeps): Lifecycle<StoreConfig, SyncProgress, SyncOutcome> {
  return {
    kind: 'sync',
    id: (store) => store.id,
    lock: (name) => deps.locks.tryLock(name),
    busy: (store) => ({
      en: `A sync of store "${store.name}" is already running; wait for it to finish.`,
      id: `Sync toko "${store.name}" sedang berjalan; tunggu sampai selesai.`,
    }),
    recover: (store) => recoverFromCrash(deps, store.id),
    starting: { stage: 'check' },
    async execute(store, trigger, onProgress, signal) {
      await prepareDirs(deps.dataDir, store.id);
      const tracker = new RunTracker(deps.runs, await deps.runs.start(store.id, trigger), onProgress, signal);
      return runStages(deps, store, tracker, signal);
    },
    shutdownError: () => new AppError('interrupted', 'tokobot', {
      en: 'Stopped because tokobot is shutting down; nothing was published. The next sync will try again.',
      id: 'Dihentikan karena tokobot sedang dimatikan; tidak ada yang diterbitkan. Sync berikutnya akan mencoba lagi.',
    }),
    cancelError: (_store, by) => new AppError('interrupted', 'tokobot', {
      en: `Cancelled by ${by}; nothing was published (the price list in use stays as it was).`,
      id: `Dibatalkan oleh ${by}; tidak ada yang diterbitkan (daftar harga yang dipakai tetap seperti semula).`,
    }),
    summary: (o) => ({ runId: o.runId, status: o.status, error: o.error ?? null }),
  };
}

/**
 * Turns a store's newest backup into its published price list: check, download, extract,
 * inspect, restore into a staging database, analyze it, export, validate, publish. The live database and
 * the published list change only at the very end, together; any failure leaves them as they
 * were and removes what the run made. Throws only when the store is already being synced.
 */
export function syncStore(deps: SyncDeps, store: StoreConfig, trigger: string, onProgress?: SyncProgressFn, signal?: AbortSignal): Promise<SyncOutcome> {
  return runOnce(syncLifecycle(deps), store, trigger, onProgress, signal);
}

async function runStages(deps: SyncDeps, store: StoreConfig, t: RunTracker, signal?: AbortSignal): Promise<SyncOutcome> {
  const dbs = storeDatabases(store.id);
  const work = workDir(deps.dataDir, store.id);
  const base = { runId: t.runId, store: store.id };
  let tmpCsv: string | undefined;
  try {
    await t.begin('check');
    const source = deps.sourceFor(store);
    const file = newest(await source.list());
    if (!file) {
      throw new AppError('refused', store.source.type, {
        en: `No .i5bu or .zip backup found in ${source.description}. Check that iPOS (or the tool that copies its backups) saves them there.`,
        id: `Tidak ada backup .i5bu atau .zip di ${source.description}. Periksa apakah iPOS (atau alat yang menyalin backup-nya) menyimpannya di sana.`,
      });
    }
    await t.record({ sourceFile: file.name, sourceModified: file.modifiedAt, bytes: file.size });
    const published = await deps.priceLists.published(store.id);
    const unchanged = async (hash: string) => {
      t.close();
      await t.record({ contentHash: hash });
      await deps.runs.update(t.runId, {}, 'no-change');
      return { ...base, status: 'no-change' as const, file: file.name, durationsMs: t.durations() };
    };
    if (file.contentHash && published?.contentHash === file.contentHash) return await unchanged(file.contentHash);

    await t.begin('download', { text: file.name });
    await ensureSpace(deps.dataDir, file.name, file.size, deps.freeSpace ?? freeSpace);
    const downloaded = path.join(work, path.basename(file.name));
    const got = await source.download(file, `${downloaded}.part`, (done, total) => t.progress({ done, total }));
    await rename(`${downloaded}.part`, downloaded);
    if (published?.contentHash === got.contentHash) return await unchanged(got.contentHash);
    await t.record({ contentHash: got.contentHash, bytes: got.bytes });

    const archive = await prepareArchive(deps, t, downloaded, work);
    await t.record({ archive: archive.summary });

    await t.begin('restore', { text: `${archive.summary.tables} tables` });
    await deps.target.createDatabase(dbs.staging);
    await deps.target.restore(archive.path, dbs.staging, { jobs: deps.settings.restoreJobs, signal });
    killPoint('sync:restored');

    await t.begin('analyze');
    await deps.target.analyze(dbs.staging);

    await t.begin('export');
    const name = `${store.id}_${stamp(new Date())}.csv`;
    tmpCsv = path.join(exportDir(deps.dataDir, store.id), `${name}.tmp`);
    const exported = await exportPriceCsv(deps.target, dbs.staging, store.id, tmpCsv);

    await t.begin('validate');
    const validation = await validatePriceCsv(tmpCsv, { previousRows: published?.rowCount ?? null, maxDrop: deps.settings.maxRowDrop, priceRules: exported.findings });
    await t.record({ validation, rowCount: validation.rows });
    if (!validation.ok) {
      // The findings (validation.summary) are in English only; the sentence around them is in both.
      throw new AppError('refused', 'price-list', {
        en: `The new price list failed its checks and was not published (the previous list stays in use): ${validation.summary}`,
        id: `Daftar harga baru gagal diperiksa dan tidak diterbitkan (daftar lama tetap dipakai): ${validation.summary}`,
      });
    }

    await t.begin('publish', { text: `${validation.rows} rows` });
    // Before the commit, while the list before is surely on disk; it counts once the run commits as a success.
    if (deps.priceChanges) await recordChanges({ log: deps.priceChanges, logger: deps.logger }, store.id, t.runId, published?.csvPath ?? null, tmpCsv);
    t.close();
    const csvPath = tmpCsv.slice(0, -'.tmp'.length);
    // From here the file is the publication's: recoverFromCrash puts it in place or removes it.
    const publishing = tmpCsv;
    tmpCsv = undefined;
    const { fileInPlace } = await publishRun(deps.priceLists, { store: store.id, runId: t.runId, tmpCsvPath: publishing, csvPath, contentHash: got.contentHash,
      sourceFile: file.name, sourceModified: file.modifiedAt, archive: archive.summary, rowCount: validation.rows, stages: t.stages });
    if (!fileInPlace) deps.logger.warn({ store: store.id, file: publishing }, 'published, but the price list file could not be renamed; the next sync puts it in place');
    await pruneExports(deps.dataDir, store.id, deps.settings.exportKeep);
    return { ...base, status: 'success', file: file.name, bytes: got.bytes, archive: archive.summary,
      rows: validation.rows, validation, csvPath, durationsMs: t.durations() };
  } catch (err) {
    // A run stopped (shutdown, cancel) says why, whatever the stage it was in threw on the way.
    return await recordFailure(deps, store, t, signal?.aborted && signal.reason instanceof Error ? signal.reason : err);
  } finally {
    if (tmpCsv) await unlink(tmpCsv).catch(() => undefined);
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
    await deps.target.dropDatabase(dbs.staging, dbs.retired).catch((err) => deps.logger.warn({ err, databases: [dbs.staging, dbs.retired] }, 'could not drop the spare databases'));
  }
}

/**
 * What a run that died (crash, kill, power cut) may have left, put right before the next one
 * starts: its run marked failed (a publication commits with the run's success, so a run still
 * "running" published nothing), a committed publication's price list file put in place, and the
 * work files, unpublished exports and spare databases removed.
 */
async function recoverFromCrash(deps: SyncDeps, storeId: string): Promise<void> {
  const interrupted = await deps.runs.failInterrupted(storeId);
  if (interrupted) deps.logger.warn({ store: storeId, interrupted }, 'marked interrupted runs as failed');
  const finished = await finishPublication(deps, storeId);
  if (finished) deps.logger.warn({ store: storeId }, finished);
  await cleanLeftovers(deps.dataDir, storeId);
  const dbs = storeDatabases(storeId);
  await deps.target.dropDatabase(dbs.staging, dbs.retired);
}

async function recordFailure(deps: SyncDeps, store: StoreConfig, t: RunTracker, err: unknown): Promise<SyncOutcome> {
  const stage = t.current ?? 'check';
  const message = isAppError(err) ? err.message : `Unexpected error during ${stage}: ${describeError(err)}`;
  deps.logger.error({ err, store: store.id, stage, runId: t.runId }, 'sync failed');
  t.close();
  await deps.runs.update(t.runId, { stage, stages: t.stages, error: message }, 'failed');
  const errorId = isAppError(err) ? err.messageId : undefined;
  return { runId: t.runId, store: store.id, status: 'failed', failedStage: stage, error: message, ...(errorId ? { errorId } : {}), failure: errorFacts(err), durationsMs: t.durations() };
}
