import { after, before } from 'node:test';
import pg from 'pg';
import { migrate } from '../../src/store/postgres/ops-database.ts';
import { createScratchDb, dropScratchDb, localConnection } from '../helpers/local-pg.ts';

/**
 * A migrated scratch ops database for the enclosing suite (made before it, dropped after it);
 * `emptied()` truncates the given tables and answers the pool, for a test that starts from nothing.
 */
export function scratchOpsDatabase(name: string, tables: string[]): { pool: () => pg.Pool; emptied: () => Promise<pg.Pool> } {
  let pool: pg.Pool | undefined;
  before(async () => {
    await createScratchDb(name);
    pool = new pg.Pool(localConnection(name));
    await migrate(pool);
  });
  after(async () => {
    await pool?.end();
    await dropScratchDb(name);
  });
  const get = () => pool as pg.Pool;
  return { pool: get, emptied: async () => { await get().query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`); return get(); } };
}
