import type { Readable, Writable } from 'node:stream';
import mysql from 'mysql2';
import type { Connection, Pool } from 'mysql2';
import { AppError } from '../../errors.ts';
import type { MysqlServer, TableCounts } from '../../pipeline/backup/ports.ts';
import { checkDatabaseName, type MysqlAddress, mysqlFailure, openConnection, parseMysqlUrl, run } from './mysql-connection.ts';
import { type DumpOptions, SqlDumper } from './mysql-dump.ts';
import { quoteIdentifier as q } from './sql-values.ts';
import { StatementSplitter, StatementTooLarge } from './sql-statements.ts';

export interface MysqlDatabaseOptions {
  /** mysql://user:password@host:port/database */
  url: string;
}

/** ER_EMPTY_QUERY: what the server answers to an executable comment meant for a newer version. */
const EMPTY_QUERY = 1065;
/** Statements that would leave the target database: mysqldump --databases / --all-databases output. */
const OTHER_DATABASE = /^(\/\*!\d*\s*)?(USE\s|(CREATE|DROP)\s+(DATABASE|SCHEMA)\b)/i;

/** A MySQL or MariaDB server, dumped and loaded over the protocol with mysql2: no client programs needed. */
export class MysqlDatabase implements MysqlServer {
  readonly database: string;
  private readonly at: MysqlAddress;
  private pool: Pool | null = null;

  constructor(options: MysqlDatabaseOptions) {
    this.at = parseMysqlUrl(options.url);
    this.database = this.at.database;
  }

  async dump(out: Writable, options: DumpOptions = {}): Promise<TableCounts> {
    const doing = `dumping database "${this.database}"`;
    return this.withConnection(this.database, doing, options.signal, {}, async (conn) =>
      new SqlDumper(conn, this.database, out, options).dump());
  }

  async load(input: Readable, database: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    checkDatabaseName(database);
    const doing = `loading the dump into database "${database}"`;
    // The connection speaks the binary charset so mysql2 sends each statement's bytes unchanged
    // (UTF-8 text and raw binary alike); SET NAMES then tells the server they are utf8mb4. Without
    // session tracking, mysql2 does not follow that SET NAMES and keeps sending bytes as they are.
    await this.withConnection(database, doing, options.signal, { charset: 'BINARY', flags: ['-SESSION_TRACK'] }, async (conn) => {
      await run(conn, 'SET NAMES utf8mb4');
      const [limit] = await run<{ max: string | number }[]>(conn, 'SELECT @@max_allowed_packet AS max');
      const splitter = new StatementSplitter(Number(limit?.max ?? 64 << 20));
      try {
        for await (const chunk of input) {
          for (const statement of splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) await this.execute(conn, statement, database);
        }
        for (const statement of splitter.end()) await this.execute(conn, statement, database);
      } catch (err) {
        if (err instanceof StatementTooLarge) {
          throw new AppError('refused', 'mysql', `The dump holds a statement longer than the server's max_allowed_packet (${err.limit} bytes), `
            + `starting "${preview(err.start)}". Raise max_allowed_packet on the server, or dump with smaller statements.`);
        }
        throw err;
      }
    });
  }

  async countRows(database: string): Promise<TableCounts> {
    checkDatabaseName(database);
    return this.withPool(database, `counting the rows of database "${database}"`, async (pool) => {
      const tables = await run<{ name: string }[]>(pool, `SELECT TABLE_NAME AS name FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME`, [database]);
      const counts: TableCounts = {};
      for (const { name } of tables) {
        const [row] = await run<{ n: string | number }[]>(pool, `SELECT COUNT(*) AS n FROM ${q(database)}.${q(name)}`);
        counts[name] = Number(row?.n ?? 0);
      }
      return counts;
    });
  }

  async databaseExists(name: string): Promise<boolean> {
    checkDatabaseName(name);
    return this.withPool(name, `looking for database "${name}"`, async (pool) =>
      (await run<unknown[]>(pool, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name])).length > 0);
  }

  async createDatabase(name: string): Promise<void> {
    checkDatabaseName(name);
    await this.withPool(name, `creating database "${name}"`, (pool) => run(pool, `CREATE DATABASE ${q(name)} CHARACTER SET utf8mb4`));
  }

  async dropDatabase(name: string): Promise<void> {
    checkDatabaseName(name);
    await this.withPool(name, `dropping database "${name}"`, (pool) => run(pool, `DROP DATABASE IF EXISTS ${q(name)}`));
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await new Promise<void>((resolve) => pool.end(() => resolve()));
  }

  private async execute(conn: Connection, statement: Buffer, database: string): Promise<void> {
    if (OTHER_DATABASE.test(statement.toString('latin1', 0, 64))) {
      throw new AppError('refused', 'backup-file', `The dump switches to another database ("${preview(statement)}"), which could overwrite it. `
        + 'Make the dump of one database, without --databases or --all-databases.');
    }
    try {
      await run(conn, statement.toString('latin1'));
    } catch (err) {
      const e = err as { errno?: number; fatal?: boolean; sqlMessage?: string };
      if (e.errno === EMPTY_QUERY) return;
      if (e.fatal || !e.sqlMessage) throw err;
      // The server's message came back through the binary charset: its bytes are UTF-8.
      const message = Buffer.from(e.sqlMessage, 'latin1').toString('utf8');
      throw new AppError('refused', 'mysql', `Loading the dump into "${database}" stopped at the statement "${preview(statement)}": ${message}. `
        + 'The dump may be damaged or made by a newer server version; the data restored so far is incomplete.', { cause: err });
    }
  }

  /** Runs `work` on a connection of its own, closed afterwards; an abort destroys it at once. */
  private async withConnection<T>(database: string, doing: string, signal: AbortSignal | undefined,
    extra: mysql.ConnectionOptions, work: (conn: Connection) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw interrupted(doing);
    let conn: Connection;
    try {
      conn = await openConnection(this.at, database, extra);
    } catch (err) {
      throw mysqlFailure(err, this.at, database, doing);
    }
    const stop = () => conn.destroy();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const result = await work(conn);
      await new Promise<void>((resolve) => conn.end(() => resolve()));
      return result;
    } catch (err) {
      conn.destroy();
      if (signal?.aborted) throw interrupted(doing);
      if (isFromServer(err)) throw mysqlFailure(err, this.at, database, doing);
      throw err;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  private async withPool<T>(database: string, doing: string, work: (pool: Pool) => Promise<T>): Promise<T> {
    this.pool ??= mysql.createPool({ host: this.at.host, port: this.at.port, user: this.at.user, password: this.at.password,
      charset: 'UTF8MB4_GENERAL_CI', connectTimeout: 10_000, connectionLimit: 2, supportBigNumbers: true, bigNumberStrings: true });
    try {
      return await work(this.pool);
    } catch (err) {
      throw mysqlFailure(err, this.at, database, doing);
    }
  }
}

function isFromServer(err: unknown): boolean {
  return typeof err === 'object' && err !== null && ('fatal' in err || 'sqlMessage' in err);
}

function interrupted(doing: string): AppError {
  return new AppError('interrupted', 'mysql', `Stopped while ${doing} (cancelled or out of time); nothing was finished. Run it again when the server is less busy.`);
}

/** The first 200 characters of a statement, for an error message. */
function preview(statement: Buffer): string {
  const text = statement.toString('utf8', 0, 800).replace(/\s+/g, ' ');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
