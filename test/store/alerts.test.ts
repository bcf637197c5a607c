import { describe } from 'node:test';
import { PostgresAlertOutbox } from '../../src/store/postgres/postgres-alert-outbox.ts';
import { PostgresAlertStore } from '../../src/store/postgres/postgres-alert-store.ts';
import { memoryAlertStores } from '../fakes/memory-alert-stores.ts';
import { alertStoreContract, type AlertStores } from './alerts.contract.ts';
import { outboxContract } from './outbox.contract.ts';
import { scratchOpsDatabase } from './pg-scratch.ts';

describe('PostgresAlertStore and PostgresAlertOutbox', () => {
  const db = scratchOpsDatabase(`tokobot_t_store_alerts_${process.pid}`, ['alerts', 'alert_outbox', 'outbox_keys']);
  const fresh = async (): Promise<AlertStores> => {
    const pool = await db.emptied();
    return { alerts: new PostgresAlertStore(pool), outbox: new PostgresAlertOutbox(pool) };
  };
  alertStoreContract(fresh);
  outboxContract(fresh);
});

describe('MemoryAlertStore and MemoryAlertOutbox', () => {
  alertStoreContract(async () => memoryAlertStores());
  outboxContract(async () => memoryAlertStores());
});
