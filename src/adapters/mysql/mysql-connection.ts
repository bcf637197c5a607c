import mysql from 'mysql2';
import type { Connection, ConnectionOptions, Pool, QueryOptions } from 'mysql2';
import { AppError } from '../../errors.ts';

export interface MysqlAddress {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

/** mysql://user:password@host:port/database; percent-escapes in user and password are decoded. */
export function parseMysqlUrl(url: string): MysqlAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch (err) {
    throw new AppError('config', 'mysql', 'The MySQL URL is not valid; write it as mysql://user:password@host:3306/database.', { cause: err });
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (u.protocol !== 'mysql:' || !database) {
    throw new AppError('config', 'mysql', 'The MySQL URL must look like mysql://user:password@host:3306/database (the database name is missing or the scheme is not mysql://).');
  }
  return {
    host: decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || 'root',
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
  };
}

/** Rejects names the dump and load could not quote safely. */
export function checkDatabaseName(name: string): void {
  if (!name || name.includes('`') || name.includes('\0') || name.length > 64) {
    throw new AppError('usage', 'mysql', `"${name}" cannot be a database name here: use 1 to 64 characters without backticks.`);
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET',
  'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT']);

/** Turns a mysql2 failure into an AppError for the shop's admin. `doing` says what was under way. */
export function mysqlFailure(err: unknown, at: MysqlAddress, database: string, doing: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; sqlMessage?: string; message?: string };
  const where = `the MySQL server at ${at.host}:${at.port}`;
  if (e.code && UNREACHABLE.has(e.code)) {
    const why = e.code === 'ECONNREFUSED' ? 'nothing is listening there'
      : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'the host name is not known'
      : e.code === 'ETIMEDOUT' ? 'it did not answer in time' : 'the connection was lost';
    return new AppError('unreachable', 'mysql', `Cannot reach ${where} while ${doing} (${why}). Check the host and port in the job's URL and that the server runs.`,
      { cause: err, retryable: true });
  }
  if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.code === 'ER_DBACCESS_DENIED_ERROR' || e.code === 'ER_TABLEACCESS_DENIED_ERROR'
    || e.code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR') {
    return new AppError('refused', 'mysql', `${capital(where)} refused user '${at.user}' while ${doing}: ${e.sqlMessage ?? e.message}. ` +
      "Check the user name and password in the job's URL and that this user may read the database.", { cause: err });
  }
  if (e.code === 'ER_BAD_DB_ERROR') {
    return new AppError('refused', 'mysql', `${capital(where)} has no database "${database}". Check the database name in the job's URL.`, { cause: err });
  }
  return new AppError('refused', 'mysql', `${capital(where)} refused ${doing}: ${e.sqlMessage ?? e.message ?? String(err)}`, { cause: err });
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Opens one connection (resolving once logged in); `database` null opens none. */
export function openConnection(at: MysqlAddress, database: string | null, extra: ConnectionOptions = {}): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const conn = mysql.createConnection({
      host: at.host, port: at.port, user: at.user, password: at.password, ...(database === null ? {} : { database }),
      charset: 'UTF8MB4_GENERAL_CI', connectTimeout: 10_000, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true,
      ...extra,
    });
    conn.connect((err) => {
      if (err) {
        conn.destroy();
        reject(err);
      } else {
        // Errors after the login (a lost connection) reach the command under way; this keeps
        // them from becoming an uncaught 'error' event.
        conn.on('error', () => undefined);
        resolve(conn);
      }
    });
  });
}

/** One query on a callback connection, as a promise. */
export function run<T = unknown>(conn: Connection | Pool, sql: string | QueryOptions, values?: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    conn.query(typeof sql === 'string' ? { sql } : sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T)));
  });
}
