import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { JobConfig } from '../../config/load-config.ts';
import { AppError, describeError, errorFacts, type ErrorFacts } from '../../errors.ts';
import type { RestoreTarget } from '../ports.ts';
import { diskFailure, openSqlDump } from './backup-files.ts';
import type { BackupLog } from '../../store/backup-log.ts';
import { checkAgainstLog, checkArchive, checkSqlDump, unreadable } from './check-backup-file.ts';
import { decryptStream } from './encryption.ts';
import type { MysqlServer } from './ports.ts';
import { countPostgresRows } from './verify-backup.ts';

export interface RestoreDeps {
  log: Pick<BackupLog, 'madeFile'>;
  /** The PostgreSQL server a PostgreSQL job's backups restore into (RESTORE_TARGET). */
  target: RestoreTarget;
  mysql(job: JobConfig): Promise<MysqlServer>;
  /** DATA_DIR/backups: an encrypted PostgreSQL backup is decrypted into a folder of its own here. */
  workRoot: string;
}

export interface Contents {
  tables: number;
  rows: number;
}

/** A database server that a job's backup files load into. */
interface Loader {
  readonly system: 'postgres' | 'mysql';
  /** Reads the whole file and refuses it when cut or damaged; resolves with the file to load. */
  check(file: string): Promise<string>;
  /** What the database holds; null when there is no such database. */
  contents(database: string): Promise<Contents | null>;
  /**
   * How many tables the database has (null: no such database), read from the catalog: a database
   * someone else filled may have tables the restore role cannot read, and is still refused.
   */
  tables(database: string): Promise<number | null>;
  create(database: string): Promise<void>;
  drop(database: string): Promise<void>;
  load(file: string, database: string, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

function mysqlLoader(server: MysqlServer, passphrase: string | undefined): Loader {
  return {
    system: 'mysql',
    check: async (file) => { await checkSqlDump(file, passphrase); return file; },
    async contents(database) {
      if (!(await server.databaseExists(database))) return null;
      const counts = Object.values(await server.countRows(database));
      return { tables: counts.length, rows: counts.reduce((a, b) => a + b, 0) };
    },
    tables: async (database) => ((await server.databaseExists(database)) ? Object.keys(await server.countRows(database)).length : null),
    create: (database) => server.createDatabase(database),
    drop: (database) => server.dropDatabase(database),
    // Checked already; a file that changes after the check still fails in words.
    load: (file, database, signal) => server.load(openSqlDump(file, passphrase), database, { signal }).catch((err) => { throw unreadable(file, err); }),
    close: () => server.close(),
  };
}

/** pg_restore needs the archive as a plain file: an encrypted one is decrypted (and so authenticated) first. */
function postgresLoader(target: RestoreTarget, workRoot: string, passphrase: string | undefined): Loader {
  let work: string | undefined;
  return {
    system: 'postgres',
    async check(file) {
      let plain = file;
      if (passphrase) {
        await mkdir(workRoot, { recursive: true, mode: 0o700 });
        work = await mkdtemp(path.join(workRoot, '.restore-'));
        plain = path.join(work, path.basename(file, '.enc'));
        try {
          await pipeline(createReadStream(file), decryptStream(passphrase), createWriteStream(plain, { mode: 0o600, flags: 'wx' }));
        } catch (err) {
          throw unreadable(file, diskFailure(err, plain));
        }
      }
      await checkArchive(plain);
      return plain;
    },
    contents: async (database) => ((await target.databaseExists(database)) ? countPostgresRows(target, database) : null),
    async tables(database) {
      if (!(await target.databaseExists(database))) return null;
      const [row] = await target.readRestored<{ n: number }>(database, "SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
      return row?.n ?? 0;
    },
    create: (database) => target.createDatabase(database),
    drop: (database) => target.dropDatabase(database),
    load: (file, database, signal) => target.restore(file, database, { signal }),
    close: async () => { if (work) await rm(work, { recursive: true, force: true }); },
  };
}

/** The load failed: the database goes again if this restore made it; the message says where things stand. */
async function afterFailedLoad(loader: Loader, err: unknown, database: string, created: boolean): Promise<AppError> {
  let outcome = `The database ${database} existed before this restore and now holds part of the backup: empty it before restoring into it again.`;
  if (created) {
    outcome = await loader.drop(database).then(() => `The database ${database} that this restore created was removed again.`,
      (dropErr) => `The database ${database} that this restore created could not be removed (${describeError(dropErr)}): drop it by hand.`);
  }
  const { kind, system }: ErrorFacts = errorFacts(err) ?? { kind: 'refused', system: loader.system };
  return new AppError(kind, system, `${describeError(err)} ${outcome}`, { cause: err });
}

/** `use` with the loader of `job`'s backups, closed after. */
async function withLoader<T>(deps: RestoreDeps, job: JobConfig, use: (loader: Loader) => Promise<T>): Promise<T> {
  const loader = job.type === 'mysql' ? mysqlLoader(await deps.mysql(job), job.passphrase) : postgresLoader(deps.target, deps.workRoot, job.passphrase);
  try {
    return await use(loader);
  } finally {
    await loader.close();
  }
}

/** How many tables `database` has where `job`'s backups restore into, or null when there is no such database: asked before a restore is started. */
export const restoreTargetTables = (deps: RestoreDeps, job: JobConfig, database: string) => withLoader(deps, job, (l) => l.tables(database));

/** Drops `database` where `job`'s backups restore into (a check's scratch database); no such database is no error. */
export const dropRestored = (deps: RestoreDeps, job: JobConfig, database: string) => withLoader(deps, job, (l) => l.drop(database));

/** Where a restore is: reading the whole file, loading it, counting what arrived. */
export type RestoreStage = 'check' | 'load' | 'count';

/**
 * `tokobot backup restore`: loads a job's backup file into a new or empty database — a MySQL job's
 * on the job's server, a PostgreSQL job's on the restore target. Refuses a database that has
 * tables. The whole file is checked before anything is loaded (against the run that made it when
 * the log knows it, and by reading it to the end), so a cut or damaged file leaves the target as
 * it was; when the load fails anyway, a database this restore created is dropped again.
 */
export async function restoreBackup(deps: RestoreDeps, job: JobConfig, file: string, database: string,
  options: { signal?: AbortSignal; onStage?: (stage: RestoreStage) => void } = {}): Promise<Contents> {
  if (job.type === 'tokobot') {
    throw new AppError('usage', 'tokobot', {
      en: `${path.basename(file)} is a tokobot self-backup (settings, keys and the ops database), not one database: rebuild a server from it with tokobot restore-self.`,
      id: `${path.basename(file)} adalah backup pengaturan tokobot (pengaturan, kunci dan database ops), bukan satu database: bangun ulang server darinya dengan tokobot restore-self.`,
    });
  }
  return withLoader(deps, job, async (loader) => {
    const before = await loader.tables(database);
    if (before) throw new AppError('usage', 'tokobot', `The database ${database} already has tables; restore into a new name so nothing is overwritten.`);
    options.onStage?.('check');
    await checkAgainstLog(deps.log, file);
    const plain = await loader.check(file);
    const created = before === null;
    if (created) await loader.create(database);
    options.onStage?.('load');
    try {
      await loader.load(plain, database, options.signal);
    } catch (err) {
      throw await afterFailedLoad(loader, err, database, created);
    }
    options.onStage?.('count');
    return (await loader.contents(database)) ?? { tables: 0, rows: 0 };
  });
}
