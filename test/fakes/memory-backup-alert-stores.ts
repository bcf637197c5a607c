import type { BackupAlertStores } from '../../src/store/backup-alert-stores.ts';
import { memoryAlertStores, type MemoryAlertOutbox, type MemoryAlertStore } from './memory-alert-stores.ts';
import { MemoryBackupLog } from './memory-backup-log.ts';
import { MemoryOpsWatch } from './memory-ops-watch.ts';
import { MemoryRunHistory } from './memory-run-history.ts';
import { MemorySyncRunLog } from './memory-stores.ts';

export interface MemoryBackupAlertStores extends BackupAlertStores {
  backupLog: MemoryBackupLog;
  alerts: MemoryAlertStore;
  outbox: MemoryAlertOutbox;
  watch: MemoryOpsWatch;
  /** A sync run log, which the watch and the history read with the backup log. */
  syncRuns: MemorySyncRunLog;
}

/** createBackupAlertStores in memory; `clock` is the run logs' now. */
export function createMemoryBackupAlertStores(clock?: () => Date): MemoryBackupAlertStores {
  const syncRuns = new MemorySyncRunLog(clock);
  const backupLog = new MemoryBackupLog(clock);
  return { backupLog, syncRuns, ...memoryAlertStores(), watch: new MemoryOpsWatch(syncRuns, backupLog), history: new MemoryRunHistory(syncRuns, backupLog) };
}
