import { describe } from 'node:test';
import { PostgresBackupLog } from '../../src/store/postgres/postgres-backup-log.ts';
import { PgRunHistory } from '../../src/store/postgres/run-history.ts';
import { PgSyncRunLog } from '../../src/store/postgres/sync-runs.ts';
import { MemoryBackupLog } from '../fakes/memory-backup-log.ts';
import { MemoryRunHistory } from '../fakes/memory-run-history.ts';
import { MemorySyncRunLog } from '../fakes/memory-stores.ts';
import { scratchOpsDatabase } from './pg-scratch.ts';
import { runHistoryContract } from './run-history.contract.ts';

describe('PgRunHistory (the view runs)', () => {
  const db = scratchOpsDatabase(`tokobot_t_store_run_history_${process.pid}`, ['sync_runs', 'backup_runs']);
  runHistoryContract(async () => {
    const pool = await db.emptied();
    return { history: new PgRunHistory(pool), syncRuns: new PgSyncRunLog(pool), backupLog: new PostgresBackupLog(pool) };
  });
});

describe('MemoryRunHistory', () => {
  runHistoryContract(async () => {
    const syncRuns = new MemorySyncRunLog();
    const backupLog = new MemoryBackupLog();
    return { history: new MemoryRunHistory(syncRuns, backupLog), syncRuns, backupLog };
  });
});
