import pg from 'pg';
import { ownClient } from './with-client.ts';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import type { ArchiveRestorer, RestoreOptions, RestoreTarget } from '../../pipeline/ports.ts';
import { restoreOverPg } from './own-restore.ts';
import { PostgresRestoreServer } from './postgres-restore-server.ts';
import { parseMajor, restoreArgs, restoreFailure, restoreInterrupted, runProgram } from './pg-restore-process.ts';
import { describeRestoreRole, ensureRestoreRole, type RestoreRole } from './restore-role.ts';

export interface ExternalPostgresOptions {
  /** postgres://user:password@host:port/database — a role that may create databases (and roles, for the restore role). */
  url: string;
  /** The unprivileged role restores run as; ensure() creates it when the PG_URL user may. */
  restoreRole: RestoreRole;
  /** The pg_restore program; found on PATH by default. */
  pgRestore?: string;
  /** Restores instead of pg_restore when this machine has none (tokobot's own restorer). */
  restorer?: ArchiveRestorer;
  logger?: Pick<Logger, 'info'>;
}

const MISSING = {
  en: 'pg_restore was not found. Install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client) ' +
    'in a version at least as new as the server, or use RESTORE_TARGET=docker.',
  id: 'pg_restore tidak ditemukan. Pasang PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client) ' +
    'dengan versi yang sama atau lebih baru dari servernya, atau pakai RESTORE_TARGET=docker.',
};

/**
 * An existing PostgreSQL server, restored into with the pg_restore on this machine; where there
 * is none, with the injected TypeScript restorer, if any.
 */
export class ExternalPostgres extends PostgresRestoreServer implements RestoreTarget {
  readonly kind = 'external' as const;
  private readonly base: pg.ClientConfig;
  private readonly pgRestore: string;
  /** pg_restore's major version, or 'own' once it turned out missing and the restorer stands in. */
  private restoreWith?: Promise<number | 'own'>;

  constructor(private readonly options: ExternalPostgresOptions) {
    super();
    const u = new URL(options.url);
    this.base = {
      // new URL keeps the brackets of an IPv6 host ([::1]); libpq and pg want them off.
      host: decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username) || 'postgres',
      password: u.password ? decodeURIComponent(u.password) : undefined,
    };
    this.pgRestore = options.pgRestore ?? 'pg_restore';
  }

  adminConnection(database: string): pg.ClientConfig {
    return { ...this.base, database };
  }

  restoreConnection(database: string): pg.ClientConfig {
    return { ...this.base, user: this.options.restoreRole.name, password: this.options.restoreRole.password, database };
  }

  async ensure(): Promise<void> {
    await this.withAdmin((c) => ensureRestoreRole(c, this.options.restoreRole));
  }

  /** An administrator's connection to the server's `postgres` database, for the length of `fn`; a refused connection says what to check in PG_URL. */
  protected override async withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const client = ownClient({ ...this.adminConnection('postgres'), connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = code === '28P01' || code === '28000' ? 'the user name or password in PG_URL is wrong'
        : code === 'ECONNREFUSED' ? 'nothing is listening there' : (err as Error).message;
      await client.end().catch(() => undefined);
      const at = `${this.base.host}:${this.base.port}`;
      throw new AppError(code === '28P01' || code === '28000' ? 'refused' : 'unreachable', 'postgres', {
        en: `Cannot connect to the PostgreSQL server at ${at} (${why}). Check PG_URL and that the server runs.`,
        id: `Tidak bisa terhubung ke server PostgreSQL di ${at} (${why}). Periksa PG_URL dan apakah servernya berjalan.`,
      }, { cause: err, retryable: code === 'ECONNREFUSED' });
    }
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** pg_restore connects as the restore role; the password travels in the environment, never on the command line. */
  private env(): NodeJS.ProcessEnv {
    const { name, password } = this.options.restoreRole;
    return { ...process.env, PGHOST: String(this.base.host), PGPORT: String(this.base.port), PGUSER: name, PGPASSWORD: password };
  }

  private async run(args: string[], options: RestoreOptions = {}) {
    if (options.signal?.aborted) throw restoreInterrupted();
    try {
      return await runProgram(this.pgRestore, args, this.env(), { signal: options.signal, onLine: options.onOutput });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('refused', 'postgres', MISSING, { cause: err });
      if (options.signal?.aborted) throw restoreInterrupted();
      throw err;
    }
  }

  async diagnose(): Promise<string> {
    const role = await this.withAdmin((c) => describeRestoreRole(c, this.options.restoreRole));
    const using = await this.restoreProgram().catch((err: Error) => {
      throw new AppError('refused', 'postgres', {
        en: `pg_restore cannot be run (${err.message}): install the PostgreSQL client tools (Debian: apt-get install postgresql-client).`,
        id: `pg_restore tidak bisa dijalankan (${err.message}): pasang PostgreSQL client tools (Debian: apt-get install postgresql-client).`,
      });
    });
    const where = `PostgreSQL ${await this.serverMajor()} at ${this.base.host}:${this.base.port} accepts connections`;
    return `${using === 'own' ? `${where}; no pg_restore here, so tokobot restores with its own restorer` : `${where}; pg_restore ${using}`}; ${role}`;
  }

  /** pg_restore's major version; 'own' when it is not installed and the TypeScript restorer stands in. */
  private restoreProgram(): Promise<number | 'own'> {
    this.restoreWith ??= this.run(['--version']).then((r) => parseMajor(r.stdout), (err: unknown) => {
      if (!this.options.restorer || !(err instanceof AppError && err.message === MISSING.en)) throw err;
      this.options.logger?.info('pg_restore is not installed: restoring with tokobot\'s own restorer (install postgresql-client to use pg_restore)');
      return 'own' as const;
    });
    // A failure is not kept: the next call looks again.
    this.restoreWith.catch(() => { this.restoreWith = undefined; });
    return this.restoreWith;
  }

  /** What restore() can read: pg_restore's version, or with tokobot's restorer the server's, which runs the statements. */
  async pgRestoreMajor(): Promise<number> {
    const using = await this.restoreProgram();
    return using === 'own' ? this.serverMajor() : using;
  }

  async restore(archivePath: string, database: string, options: RestoreOptions = {}): Promise<void> {
    if ((await this.restoreProgram()) === 'own' && this.options.restorer) {
      return restoreOverPg(this.options.restorer, this.restoreConnection(database), archivePath, options);
    }
    const result = await this.run([...restoreArgs(database, options.jobs), archivePath], options);
    if (result.code !== 0) throw restoreFailure(result.stderr, result.code);
  }
}
