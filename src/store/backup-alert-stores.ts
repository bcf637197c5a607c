import type pg from 'pg';
import type { AlertStore } from './alerts.ts';
import type { BackupLog } from './backup-log.ts';
import type { OpsWatch } from './ops-watch.ts';
import type { AlertOutboxStore } from './outbox.ts';
import type { RunHistory } from './run-history.ts';
import { PostgresAlertOutbox } from './postgres/postgres-alert-outbox.ts';
import { PostgresAlertStore } from './postgres/postgres-alert-store.ts';
import { PostgresBackupLog } from './postgres/postgres-backup-log.ts';
import { PostgresOpsWatch } from './postgres/postgres-ops-watch.ts';
import { PgRunHistory } from './postgres/run-history.ts';

/** The backup and alert side of the ops database, with the read-only views across every kind of run. */
export interface BackupAlertStores {
  backupLog: BackupLog;
  alerts: AlertStore;
  outbox: AlertOutboxStore;
  watch: OpsWatch;
  /** Syncs and backup runs together, from every process. */
  history: RunHistory;
}

/** Those stores over the ops database's pool (already migrated). */
export function createBackupAlertStores(pool: pg.Pool): BackupAlertStores {
  return {
    backupLog: new PostgresBackupLog(pool), alerts: new PostgresAlertStore(pool), outbox: new PostgresAlertOutbox(pool), watch: new PostgresOpsWatch(pool),
    history: new PgRunHistory(pool),
  };
}
