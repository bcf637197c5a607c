import { createMemoryStores } from '../fakes/memory-stores.ts';
import { chatsAndLocksContract } from './chats-locks.contract.ts';
import { priceListsContract } from './price-lists.contract.ts';
import { priceChangeLogContract } from './price-changes.contract.ts';
import { syncRunLogContract } from './sync-runs.contract.ts';
import type { MakeStores } from './stores-under-test.ts';

// The in-memory stores unit tests use keep the same contracts as the PostgreSQL ones.
const make: MakeStores = async (swap) => createMemoryStores({ swapDatabases: swap });
syncRunLogContract(make);
priceListsContract(make);
priceChangeLogContract(make);
chatsAndLocksContract(make);
