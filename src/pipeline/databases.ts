import pg from 'pg';
import type { RestoreTarget } from './ports.ts';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The restored iPOS databases of one store: live, the fallback it replaced, and a run's staging copy. */
export function storeDatabases(storeId: string) {
  return { live: `ipos_${storeId}`, previous: `ipos_${storeId}__previous`, staging: `ipos_${storeId}__staging` };
}

async function withAdmin<T>(target: RestoreTarget, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(target.connection('postgres'));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function exists(c: pg.Client, name: string): Promise<boolean> {
  return ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
}

/** Drops a database, ending other sessions on it first (PostgreSQL 13+ has WITH (FORCE); this works on older ones too). */
export async function dropDatabase(target: RestoreTarget, name: string): Promise<void> {
  await withAdmin(target, async (c) => {
    await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  });
}

/** An empty database owned by the restore role, which restores into it and alone reads it. */
export async function createDatabase(target: RestoreTarget, name: string): Promise<void> {
  const owner = String(target.restoreConnection(name).user);
  await withAdmin(target, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(owner)} TEMPLATE template0`));
}

/**
 * Makes `staging` the live database in one transaction: the old live one becomes `previous`
 * (replacing an older fallback). Returns an undo that puts the old live one back.
 */
export async function promoteStaging(target: RestoreTarget, storeId: string): Promise<() => Promise<void>> {
  const db = storeDatabases(storeId);
  await withAdmin(target, async (c) => {
    const names = [db.live, db.previous, db.staging];
    await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()', [names]);
    const hadLive = await exists(c, db.live);
    if (hadLive) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(db.previous)}`);
    await c.query('BEGIN');
    try {
      if (hadLive) await c.query(`ALTER DATABASE ${quoteIdent(db.live)} RENAME TO ${quoteIdent(db.previous)}`);
      await c.query(`ALTER DATABASE ${quoteIdent(db.staging)} RENAME TO ${quoteIdent(db.live)}`);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK');
      throw err;
    }
  });
  return async () => {
    await withAdmin(target, async (c) => {
      await c.query('BEGIN');
      await c.query(`ALTER DATABASE ${quoteIdent(db.live)} RENAME TO ${quoteIdent(db.staging)}`);
      if (await exists(c, db.previous)) await c.query(`ALTER DATABASE ${quoteIdent(db.previous)} RENAME TO ${quoteIdent(db.live)}`);
      await c.query('COMMIT');
    });
  };
}
