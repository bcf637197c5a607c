import type { BackupAlertStores } from '../../src/store/backup-alert-stores.ts';
import { memoryAlertStores, type MemoryAlertOutbox, type MemoryAlertStore } from './memory-alert-stores.ts';
import { MemoryBackupLog } from './memory-backup-log.ts';
import { MemoryOpsWatch } from './memory-ops-watch.ts';

export interface MemoryBackupAlertStores extends BackupAlertStores {
  backupLog: MemoryBackupLog;
  alerts: MemoryAlertStore;
  outbox: MemoryAlertOutbox;
  watch: MemoryOpsWatch;
}

/** createBackupAlertStores in memory; `clock` is the run log's now. */
export function createMemoryBackupAlertStores(clock?: () => Date): MemoryBackupAlertStores {
  const backupLog = new MemoryBackupLog(clock);
  return { backupLog, ...memoryAlertStores(), watch: new MemoryOpsWatch(backupLog) };
}
