import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { RestoreOptions, RestoreTarget, RestoredCounts } from '../../pipeline/ports.ts';
import { quoteIdent } from './sql-text.ts';
import { withClient } from './with-client.ts';

/**
 * A session on a restored database pins search_path to pg_catalog alone: then `upper`, `=`,
 * `coalesce` mean PostgreSQL's own, whatever the archive defines in public (a public.=(varchar,
 * varchar) would otherwise win over the built-in one, because PostgreSQL prefers the closest
 * argument types over the search order). A startup option outranks any ALTER ROLE/DATABASE SET
 * the archive's code may have left.
 */
const PINNED = '-c search_path=pg_catalog';

/**
 * What every PostgreSQL restore target does with the databases on its server, written once: the
 * administrator creates and drops them; the restore role restores, analyzes, reads and exports
 * them. A target says how each logs in (adminConnection, restoreConnection) and how it starts
 * and restores; these connection settings stay inside the adapters, apart from opsConnection.
 */
export abstract class PostgresRestoreServer implements Omit<RestoreTarget, 'kind' | 'ensure' | 'restore' | 'pgRestoreMajor' | 'diagnose'> {
  /** The administrator (a role that may create databases and roles), connected to `database`. */
  abstract adminConnection(database: string): pg.ClientConfig;
  /** The restore role, connected to `database`; its `user` owns the databases createDatabase makes. */
  abstract restoreConnection(database: string): pg.ClientConfig;
  abstract restore(archivePath: string, database: string, options?: RestoreOptions): Promise<void>;

  opsConnection(database: string): pg.ClientConfig {
    return this.adminConnection(database);
  }

  /** An administrator's connection to the server's `postgres` database, for the length of `fn`. */
  protected withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    return withClient({ ...this.adminConnection('postgres'), connectionTimeoutMillis: 10_000 }, fn);
  }

  /** A restore-role session on a restored database with search_path pinned (see PINNED), for the length of `fn`. */
  protected withRestored<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
    return withClient({ ...this.restoreConnection(database), options: PINNED }, fn);
  }

  /**
   * `fn` inside a read-only transaction that is rolled back: the one statement of a read cannot
   * write, even through an archive's function, nor turn read-only off (PostgreSQL refuses that
   * inside a read-only transaction).
   */
  private readOnly<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
    return this.withRestored(database, async (c) => {
      await c.query('BEGIN READ ONLY');
      try {
        return await fn(c);
      } finally {
        await c.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  /** The server's major version, e.g. 15: what runs the statements of tokobot's own restorer. */
  protected serverMajor(): Promise<number> {
    return this.withAdmin(async (c) => Math.floor(Number((await c.query('SHOW server_version_num')).rows[0].server_version_num) / 10_000));
  }

  databaseExists(name: string): Promise<boolean> {
    return this.withAdmin(async (c) => ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0);
  }

  /**
   * Ends other sessions first (PostgreSQL 13+ has WITH (FORCE); this works on older ones too). One
   * admin connection for all the names: a sync clears its spare databases before and after every
   * run, mostly none, and a connection each was most of the time a job spent outside its run.
   */
  async dropDatabase(...names: string[]): Promise<void> {
    await this.withAdmin(async (c) => {
      const present = (await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names])).rows.map((r) => r.datname);
      for (const name of present) {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      }
    });
  }

  async createDatabase(name: string): Promise<void> {
    const owner = String(this.restoreConnection(name).user);
    await this.withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(owner)} TEMPLATE template0`));
  }

  /**
   * Without statistics the export's joins over 160,000 price rows take minutes instead of
   * seconds. The restore role owns every table; what it does not own, ANALYZE skips with a warning.
   */
  async analyze(database: string): Promise<void> {
    await this.withRestored(database, (c) => c.query('ANALYZE'));
  }

  readRestored<Row = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<Row[]> {
    // The extended protocol runs exactly one statement, whatever the text holds (pg 8.12+; not in @types/pg).
    const query: pg.QueryConfig & { queryMode: 'extended' } = { text: sql, values: params, queryMode: 'extended' };
    return this.readOnly(database, async (c) => (await c.query(query)).rows as Row[]);
  }

  exportCsv(database: string, sql: string, destPath: string): Promise<{ bytes: number }> {
    return this.readOnly(database, async (c) => {
      // Imported here: commands that only read the ops database (tokobot ask) never load it.
      const { to: copyTo } = await import('pg-copy-streams');
      const stream = c.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
      const file = createWriteStream(destPath, { mode: 0o640 });
      await pipeline(stream, file);
      return { bytes: file.bytesWritten };
    });
  }

  countRows(database: string): Promise<RestoredCounts> {
    return this.readOnly(database, async (c) => {
      const tables = (await c.query(
        "SELECT schemaname, relname FROM pg_stat_user_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2")).rows;
      const counts: RestoredCounts = {};
      for (const t of tables) {
        // ONLY: a table's own rows, as pg_dump copies them; an inheritance parent's count would also hold its children's.
        const res = await c.query(`SELECT count(*)::bigint AS n FROM ONLY ${quoteIdent(t.schemaname)}.${quoteIdent(t.relname)}`);
        counts[`${t.schemaname}.${t.relname}`] = Number(res.rows[0].n);
      }
      return counts;
    });
  }
}
