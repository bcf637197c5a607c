import type { StoreConfig } from '../../config/load-config.ts';
import type { BackupRun } from '../../store/backup-log.ts';
import type { SyncOutcome } from '../sync/sync-store.ts';
import type { AlertEngine } from './alert-engine.ts';
import { agentJobParams, errorParams, failureParams, storeParams } from './alert-messages.ts';

/**
 * A sync that failed opens its store's alert; the next one that works resolves it. Nothing is
 * sent here: the caller flushes, so that a burst (every store failing at once) becomes a digest.
 * `machine`: the worker's (WORKER_NAME) in a fleet, where the recipient must know which machine to look at.
 */
export async function syncAlert(engine: AlertEngine, store: StoreConfig, o: SyncOutcome, machine?: string): Promise<void> {
  if (o.status === 'failed') {
    await engine.raise({ key: `sync:${store.id}`, kind: 'sync-failed', severity: 'warning', subject: store.name,
      params: { stage: o.failedStage ?? '?', ...errorParams(o.error ?? 'unknown', o.errorId), ...failureParams(o.failure), ...storeParams(store), ...(machine ? { machine } : {}) } });
  } else {
    await engine.clear(`sync:${store.id}`);
  }
}

/**
 * A backup run that failed opens its job's alert (saying when the last good one was); a good run resolves it and a "missed" one.
 * A shop agent's run (job "<store>/<job>") says so: its message names the store (`store`: its name and zone, when the caller
 * has its config; else its id) and that the shop agent made it (agentJobParams).
 */
export async function backupAlert(engine: AlertEngine, run: BackupRun, lastGood: BackupRun | undefined, machine?: string, store?: Pick<StoreConfig, 'name' | 'timeZone'>): Promise<void> {
  if (run.status === 'failed') {
    await engine.raise({ key: `backup:${run.job}`, kind: 'backup-failed', severity: 'critical', subject: run.job,
      params: { ...errorParams(run.error ?? 'unknown', run.errorId), lastGood: lastGood ? `${lastGood.fileName} (${lastGood.startedAt.toISOString()})` : '-', ...failureParams(run.failure), ...agentJobParams(run.job, store), ...(machine ? { machine } : {}) } });
  } else if (run.status === 'success') {
    await engine.clear(`backup:${run.job}`);
    await engine.clear(`missed:${run.job}`);
  }
}
