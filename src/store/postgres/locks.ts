import type pg from 'pg';
import type { Locks, Release } from '../locks.ts';

const LOCK_CLASS = 7302;

/**
 * A PostgreSQL session advisory lock per name, held on its own connection: two syncs of one
 * store never run at once, even from two processes, and the lock goes away with a process that
 * dies. (A function as well as PgLocks: the backup and alert side still hold a pool.)
 */
export async function tryLock(pool: pg.Pool, name: string): Promise<Release | null> {
  const client = await pool.connect();
  try {
    const res = await client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_CLASS, name]);
    if (!res.rows[0].ok) {
      client.release();
      return null;
    }
  } catch (err) {
    client.release();
    throw err;
  }
  return async () => {
    try {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, name]);
      client.release();
    } catch {
      client.release(true); // a broken connection drops its locks with it
    }
  };
}

export class PgLocks implements Locks {
  constructor(private readonly pool: pg.Pool) {}

  tryLock(name: string): Promise<Release | null> {
    return tryLock(this.pool, name);
  }

  async held(names: string[]): Promise<Set<string>> {
    // pg_locks shows a two-key advisory lock as classid = key 1, objid = key 2 (as an oid), objsubid = 2.
    const res = await this.pool.query(`SELECT n FROM unnest($1::text[]) n WHERE EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'
      AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND l.classid = $2 AND l.objid = hashtext(n)::oid AND l.objsubid = 2)`,
    [names, LOCK_CLASS]);
    return new Set(res.rows.map((r) => r.n as string));
  }
}
