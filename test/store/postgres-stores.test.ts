import { after, before } from 'node:test';
import { createOpsStores } from '../../src/store/index.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOps, type ScratchOps } from '../helpers/scratch-ops.ts';
import { chatsAndLocksContract } from './chats-locks.contract.ts';
import { priceListsContract } from './price-lists.contract.ts';
import { priceChangeLogContract } from './price-changes.contract.ts';
import { syncRunLogContract } from './sync-runs.contract.ts';
import type { MakeStores } from './stores-under-test.ts';

const skip = await requireLocalPg();
let ops: ScratchOps;

before(async () => {
  if (!skip) ops = await scratchOps(`tokobot_t_stores_${process.pid}`);
});

after(async () => {
  await ops?.close();
});

/** The stores over the migrated ops database, emptied for each test. */
const make: MakeStores = async (swap = async () => undefined) => {
  await ops.pool.query('TRUNCATE sync_runs, published, price_rows, price_items, chat_users, strangers, chat_migrations, price_change_subscribers RESTART IDENTITY CASCADE');
  return createOpsStores(ops.pool, { swapDatabases: (_client, store) => swap(store) });
};
syncRunLogContract(make, skip);
priceListsContract(make, skip);
priceChangeLogContract(make, skip);
chatsAndLocksContract(make, skip);
