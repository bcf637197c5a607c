import { after, before } from 'node:test';
import type pg from 'pg';
import { createOpsStores, migrate, type OpsStores } from '../../src/store/index.ts';
import { createScratchDb, dropScratchDb, scratchPool } from './local-pg.ts';

export interface ScratchOps {
  pool: pg.Pool;
  stores: OpsStores;
  close(): Promise<void>;
}

/**
 * A migrated ops database of its own on the test server, with the stores over it. Publications
 * swap no restored databases: there are none.
 */
export async function scratchOps(name: string): Promise<ScratchOps> {
  await createScratchDb(name);
  const pool = scratchPool(name);
  await migrate(pool);
  const stores = createOpsStores(pool, { swapDatabases: async () => undefined });
  return {
    pool, stores,
    async close() {
      await pool.end();
      await dropScratchDb(name);
    },
  };
}

/**
 * A scratch ops database for the whole test file (made before its tests, dropped after), or
 * nothing when `skip` says the server is missing. Returns its pool once the tests run.
 */
export function scratchOpsForFile(name: string, skip: string | undefined): () => pg.Pool {
  let ops: ScratchOps | undefined;
  before(async () => { if (!skip) ops = await scratchOps(name); });
  after(async () => { await ops?.close(); });
  return () => {
    if (!ops) throw new Error(`scratch ops database ${name} is not made (skipped: ${skip ?? 'no'})`);
    return ops.pool;
  };
}
