import pg from 'pg';
import { ownClient } from '../../adapters/postgres/with-client.ts';
import { quoteIdent } from '../../adapters/postgres/sql-text.ts';
import { storeDatabases } from '../../pipeline/databases.ts';

async function exists(c: pg.ClientBase, name: string): Promise<boolean> {
  return ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
}

/** A rename fails while a session is connected; sessions that connect again between terminate and rename get this many chances. */
const SWAP_ATTEMPTS = 5;

/**
 * Inside the caller's open transaction (on any database of the restore server but the store's
 * own): staging becomes live, live becomes previous, and the old previous becomes retired (the
 * caller drops it after commit; DROP DATABASE cannot run in a transaction). Renames are
 * transactional in PostgreSQL, so they commit or roll back with whatever else the transaction
 * did, such as publishing the price list.
 */
export async function swapStagingIn(c: pg.ClientBase, storeId: string): Promise<void> {
  const db = storeDatabases(storeId);
  const names = [db.live, db.previous, db.staging];
  for (let attempt = 1; ; attempt++) {
    await c.query('SAVEPOINT swap');
    try {
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()', [names]);
      if (await exists(c, db.previous)) await c.query(`ALTER DATABASE ${quoteIdent(db.previous)} RENAME TO ${quoteIdent(db.retired)}`);
      if (await exists(c, db.live)) await c.query(`ALTER DATABASE ${quoteIdent(db.live)} RENAME TO ${quoteIdent(db.previous)}`);
      await c.query(`ALTER DATABASE ${quoteIdent(db.staging)} RENAME TO ${quoteIdent(db.live)}`);
      await c.query('RELEASE SAVEPOINT swap');
      return;
    } catch (err) {
      await c.query('ROLLBACK TO SAVEPOINT swap');
      // 55006 object_in_use: someone connected again after the terminate.
      if ((err as { code?: string }).code !== '55006' || attempt >= SWAP_ATTEMPTS) throw err;
    }
  }
}

/**
 * The swap when the ops database is not on the restore server (OPS_DATABASE_URL, a fleet's shared
 * ops database): renames cannot join the ops transaction there, so they commit in one transaction
 * of their own on the restore server (`connection`), just before the publication commits. A crash
 * between the two leaves the new database live with the old list, which the next sync publishes.
 */
export function swapOnRestoreServer(connection: pg.ClientConfig): (ops: pg.ClientBase, storeId: string) => Promise<void> {
  return async (_ops, storeId) => {
    const c = ownClient(connection);
    await c.connect();
    try {
      await c.query('BEGIN');
      await swapStagingIn(c, storeId);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await c.end();
    }
  };
}
