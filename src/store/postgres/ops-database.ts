import pg from 'pg';
import { ownClient } from '../../adapters/postgres/with-client.ts';
import { migrations } from './migrations.ts';
import { quoteIdent } from '../../adapters/postgres/sql-text.ts';

const MIGRATION_LOCK = 7_302_001;
/** Held on the server's `postgres` database while an ops database is created and its CONNECT rights set. */
const OPEN_LOCK = 7_302_002;

/**
 * A pool on the ops database that a connection the server drops (restart, admin) cannot crash:
 * an idle one errors on the pool, one checked out (a sync's lock, held for the whole run) on
 * itself, where an error without a listener would end the process.
 */
function opsPool(config: pg.ClientConfig, onDropped?: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool({ ...config, max: 8 });
  pool.on('connect', (client) => { client.on('error', (err) => onDropped?.(err)); });
  // An idle one errors on both: its own listener above has told it already.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Opens the ops database on the restore server, creating it when missing, and brings its schema
 * up to date. Safe to call from several processes at once (an advisory lock orders them).
 * `connection`: the restore server administrator's settings for a database.
 */
export async function openOpsDatabase(connection: (database: string) => pg.ClientConfig, name: string, onIdleError?: (err: Error) => void): Promise<pg.Pool> {
  const admin = ownClient(connection('postgres'));
  await admin.connect();
  try {
    // One process at a time: workers of a fleet start together, and two GRANTs on one database at
    // once fail with "tuple concurrently updated" (found by bench:fleet, 4 workers started at once).
    await admin.query('SELECT pg_advisory_lock($1)', [OPEN_LOCK]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`).catch((err: { code?: string }) => {
        // Created meanwhile by another process: 42P04 (duplicate_database) when it committed before
        // this one looked, 23505 (unique_violation on pg_database's name index) when both were creating it.
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      });
    }
    // Only the administrator connects: not the restore role, whose sessions run backups' code.
    await admin.query(`REVOKE CONNECT ON DATABASE ${quoteIdent(name)} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT ON DATABASE ${quoteIdent(name)} TO CURRENT_USER`);
  } finally {
    await admin.end(); // ends the advisory lock with the session
  }
  const pool = opsPool(connection(name), onIdleError);
  await migrate(pool);
  return pool;
}

/**
 * The ops database for a reader (tokobot ask), when it exists and every migration is applied:
 * one pool on it, without the administrator's connection and the migration lock of
 * openOpsDatabase (about 20 ms). Otherwise null (missing, older, or no server), and the reader
 * opens it with openOpsDatabase, which creates and migrates.
 */
export async function openMigratedOpsDatabase(connection: (database: string) => pg.ClientConfig, name: string, onIdleError?: (err: Error) => void): Promise<pg.Pool | null> {
  const pool = opsPool(connection(name), onIdleError);
  const applied = await pool.query('SELECT count(*)::int AS n FROM schema_migrations WHERE version = ANY($1)', [migrations.map((m) => m.version)])
    .then((r) => r.rows[0]?.n as number, () => -1);
  if (applied === migrations.length) return pool;
  await pool.end();
  return null;
}

export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version as number));
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
