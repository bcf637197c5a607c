import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { RESTORE_ROLE, type RestoreRole } from '../../src/adapters/postgres/restore-role.ts';

/** This machine's PostgreSQL (TESTING.md): trust auth on the loopback. */
export const LOCAL_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The restore role the test targets use: the name tokobot uses, a fixed password (loopback-only servers). */
export const TEST_RESTORE_ROLE: RestoreRole = { name: RESTORE_ROLE, password: 'tokobot-restore-tests' };

export function localConnection(database: string): pg.ClientConfig {
  const url = new URL(LOCAL_PG_URL);
  return { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) || undefined, database };
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client(localConnection('postgres'));
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

/** A connection of its own to one database of the test server, for the length of `fn`. */
export async function withLocalClient<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(localConnection(database));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createScratchDb(name: string): Promise<void> {
  await dropScratchDb(name);
  await adminQuery(`CREATE DATABASE "${name}"`);
}

/**
 * A pool on a scratch database of the test server. pool.end() resolves before its connections
 * have closed, so the DROP DATABASE that follows can end one still closing; that error is the
 * teardown's, not the test's: https://github.com/brianc/node-postgres/issues/2328
 */
export function scratchPool(name: string): pg.Pool {
  const pool = new pg.Pool({ ...localConnection(name), max: 8 });
  pool.on('error', () => undefined);
  return pool;
}

export async function dropScratchDb(name: string): Promise<void> {
  await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
}

export async function databasesLike(pattern: string): Promise<string[]> {
  const res = await adminQuery('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [pattern]);
  return res.rows.map((r) => r.datname as string);
}

export async function pgRestoreInto(database: string, archive: string): Promise<void> {
  const c = localConnection(database);
  await promisify(execFile)('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '-h', String(c.host), '-p', String(c.port),
    '-U', String(c.user), '-d', database, archive]);
}

/** `pg_dump -Fc` of a database of the test server into `file`, with this machine's pg_dump. */
export async function pgDumpTo(database: string, file: string): Promise<void> {
  const c = localConnection(database);
  await promisify(execFile)('pg_dump', ['-Fc', '-h', String(c.host), '-p', String(c.port), '-U', String(c.user), '-f', file, database],
    { env: { ...process.env, PGPASSWORD: typeof c.password === 'string' ? c.password : '' } });
}

/** Fails under CI (so CI never passes by skipping); elsewhere returns the skip reason. */
export async function requireLocalPg(): Promise<string | undefined> {
  try {
    await adminQuery('SELECT 1');
    return undefined;
  } catch (err) {
    const reason = `no PostgreSQL at ${new URL(LOCAL_PG_URL).host}: ${(err as Error).message}`;
    if (process.env.CI === 'true') throw new Error(reason);
    return reason;
  }
}

/** A query on one database of a server, on a connection of its own. */
export function queryOn(connection: (database: string) => pg.ClientConfig) {
  return async (database: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> => {
    const c = new pg.Client(connection(database));
    await c.connect();
    try {
      return await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
}
