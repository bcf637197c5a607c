import { describe } from 'node:test';
import { PostgresBackupLog } from '../../src/store/postgres/postgres-backup-log.ts';
import { MemoryBackupLog } from '../fakes/memory-backup-log.ts';
import { backupLogContract } from './backup-log.contract.ts';
import { scratchOpsDatabase } from './pg-scratch.ts';

describe('PostgresBackupLog', () => {
  const db = scratchOpsDatabase(`tokobot_t_store_backup_log_${process.pid}`, ['backup_runs']);
  backupLogContract(async () => new PostgresBackupLog(await db.emptied()));
});

describe('MemoryBackupLog', () => {
  backupLogContract(async () => new MemoryBackupLog());
});
