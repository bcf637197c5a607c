import { unlink } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import { readArchive, minimumPgRestoreMajor, serverMajor, type ArchiveInfo } from '../archive/archive-reader.ts';
import { extractI5bu, zipLimits } from '../archive/zip-extract.ts';
import { refuseForeignEntries } from '../archive/foreign-entries.ts';
import { freeSpace } from './work-files.ts';
import type { RunTracker } from './run-tracker.ts';
import type { SyncDeps } from './sync-store.ts';

/** What the run history and /status keep of an archive. */
export interface ArchiveSummary {
  formatVersion: string;
  compression: string;
  dumpTime: string;
  database: string;
  serverVersion: string;
  pgDumpVersion: string;
  entries: number;
  tables: number;
  fileSize: number;
  zipEntry?: string;
}

export function summarize(info: ArchiveInfo): ArchiveSummary {
  return {
    formatVersion: info.formatVersion,
    compression: info.compression.algorithm === 'none' || info.compression.level === null ? info.compression.algorithm : `${info.compression.algorithm} ${info.compression.level}`,
    dumpTime: info.dumpTime,
    database: info.database,
    serverVersion: info.serverVersion,
    pgDumpVersion: info.pgDumpVersion,
    entries: info.entries.length,
    tables: info.entries.filter((e) => e.desc === 'TABLE').length,
    fileSize: info.fileSize,
  };
}

/** Refuses an archive the restore server cannot read, naming the version it would need. */
function checkRestorable(info: ArchiveInfo, pgRestoreMajor: number): void {
  const need = Math.max(minimumPgRestoreMajor(info.formatVersion), serverMajor(info.serverVersion) ?? 0);
  if (need > pgRestoreMajor) {
    throw new AppError('refused', 'postgres', {
      en: `This backup was made by pg_dump ${info.pgDumpVersion} from PostgreSQL ${info.serverVersion} (archive format ${info.formatVersion}); ` +
        `the restore server runs PostgreSQL ${pgRestoreMajor}. It needs PostgreSQL ${need} or newer: set PG_DOCKER_IMAGE=postgres:${need}-alpine ` +
        '(or upgrade the external server) and sync again.',
      id: `Backup ini dibuat oleh pg_dump ${info.pgDumpVersion} dari PostgreSQL ${info.serverVersion} (format arsip ${info.formatVersion}); ` +
        `server restore memakai PostgreSQL ${pgRestoreMajor}. Backup ini butuh PostgreSQL ${need} atau lebih baru: isi PG_DOCKER_IMAGE=postgres:${need}-alpine ` +
        '(atau perbarui server eksternalnya), lalu sync lagi.',
    });
  }
}

/** Unzips when needed, then reads and checks the archive before anything touches a database. */
export async function prepareArchive(deps: SyncDeps, t: RunTracker, downloaded: string, work: string) {
  let archivePath = downloaded;
  let zipEntry: string | undefined;
  if (downloaded.toLowerCase().endsWith('.zip')) {
    await t.begin('extract');
    const out = await extractI5bu(downloaded, work, zipLimits(deps.settings, await (deps.freeSpace ?? freeSpace)(work)));
    if (out.ignored.length) deps.logger.info({ used: out.entryName, ignored: out.ignored }, 'zip holds several backups; using the newest');
    await unlink(downloaded);
    archivePath = out.path;
    zipEntry = out.entryName;
  }
  await t.begin('inspect');
  const info = await readArchive(archivePath);
  refuseForeignEntries(info);
  checkRestorable(info, await deps.target.pgRestoreMajor());
  return { path: archivePath, info, summary: { ...summarize(info), zipEntry } };
}
