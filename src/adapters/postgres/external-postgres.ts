import pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import type { RestoreOptions, RestoreTarget } from '../../pipeline/ports.ts';
import { parseMajor, restoreFailure, restoreInterrupted, runProgram } from './pg-restore-process.ts';

export interface ExternalPostgresOptions {
  /** postgres://user:password@host:port/database — a role that may create databases. */
  url: string;
  /** The pg_restore program; found on PATH by default. */
  pgRestore?: string;
  logger?: Logger;
}

const MISSING = 'pg_restore was not found. Install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client) ' +
  'in a version at least as new as the server, or use RESTORE_TARGET=docker.';

/** An existing PostgreSQL server, restored into with the pg_restore on this machine. */
export class ExternalPostgres implements RestoreTarget {
  readonly kind = 'external' as const;
  private readonly base: pg.ClientConfig;
  private readonly pgRestore: string;

  constructor(options: ExternalPostgresOptions) {
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

  connection(database: string): pg.ClientConfig {
    return { ...this.base, database };
  }

  async ensure(): Promise<void> {
    const client = new pg.Client({ ...this.connection('postgres'), connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = code === '28P01' || code === '28000' ? 'the user name or password in PG_URL is wrong'
        : code === 'ECONNREFUSED' ? 'nothing is listening there' : (err as Error).message;
      throw new AppError('restore-server', `Cannot connect to the PostgreSQL server at ${this.base.host}:${this.base.port} (${why}). Check PG_URL and that the server runs.`,
        { cause: err, retryable: code === 'ECONNREFUSED' });
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private env(): NodeJS.ProcessEnv {
    // The password travels in the environment, never on the command line.
    return { ...process.env, PGHOST: String(this.base.host), PGPORT: String(this.base.port), PGUSER: this.base.user,
      ...(this.base.password ? { PGPASSWORD: String(this.base.password) } : {}) };
  }

  private async run(args: string[], options: RestoreOptions = {}) {
    if (options.signal?.aborted) throw restoreInterrupted();
    try {
      return await runProgram(this.pgRestore, args, this.env(), { signal: options.signal, onLine: options.onOutput });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('restore-server', MISSING, { cause: err });
      if (options.signal?.aborted) throw restoreInterrupted();
      throw err;
    }
  }

  async diagnose(): Promise<string> {
    await this.ensure();
    const major = await this.pgRestoreMajor().catch((err: Error) => {
      throw new AppError('restore-server', `pg_restore cannot be run (${err.message}): install the PostgreSQL client tools (Debian: apt-get install postgresql-client).`);
    });
    return `PostgreSQL at ${this.base.host}:${this.base.port} accepts connections; pg_restore ${major}`;
  }

  async pgRestoreMajor(): Promise<number> {
    return parseMajor((await this.run(['--version'])).stdout);
  }

  async restore(archivePath: string, database: string, options: RestoreOptions = {}): Promise<void> {
    const args = ['--no-owner', '--no-privileges', '--exit-on-error', '-d', database];
    if ((options.jobs ?? 1) > 1) args.push('-j', String(options.jobs));
    const result = await this.run([...args, archivePath], options);
    if (result.code !== 0) throw restoreFailure(result.stderr, result.code);
  }
}
