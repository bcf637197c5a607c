import { after, before } from 'node:test';
import type pg from 'pg';
import { scratchOps, type ScratchOps } from '../helpers/scratch-ops.ts';

/**
 * A migrated scratch ops database for the enclosing suite (made before it, dropped after it);
 * `emptied()` truncates the given tables and answers the pool, for a test that starts from nothing.
 */
export function scratchOpsDatabase(name: string, tables: string[]): { pool: () => pg.Pool; emptied: () => Promise<pg.Pool> } {
  let ops: ScratchOps | undefined;
  before(async () => { ops = await scratchOps(name); });
  after(async () => { await ops?.close(); });
  const get = () => (ops as ScratchOps).pool;
  return { pool: get, emptied: async () => { await get().query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`); return get(); } };
}
