import { AppError } from '../../errors.ts';
import type { StoreConfig } from '../../config/load-config.ts';
import type { SyncRun, SyncRunLog } from '../../store/sync-runs.ts';
import type { JobQueue } from '../ports.ts';
import type { SyncProgress, SyncStage, SyncProgressFn } from '../sync/run-tracker.ts';
import type { SyncOutcome } from '../sync/sync-store.ts';
import { SYNC_STAGES } from '../sync/run-tracker.ts';

export interface QueuedSyncDeps {
  queue: Pick<JobQueue, 'sync'>;
  runs: Pick<SyncRunLog, 'recent'>;
  /** Between looks at the run log. */
  pollMs?: number;
  /** How long a sync may wait for a worker and run before the asker is told to look again later. */
  waitMs?: number;
  /** The progress of the store's sync when this process's own worker runs it (finer than the run log's stages). */
  localProgress?: (store: string) => SyncProgress | null;
}

const stageOf = (run: SyncRun): SyncStage => SYNC_STAGES.find((s) => s === run.stage) ?? 'check';

/** A finished run as the runner would have handed it back (the kind of failure is not in the run log). */
function outcomeOf(run: SyncRun): SyncOutcome {
  const durationsMs = Object.fromEntries(run.stages.map((s) => [s.name, s.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : 0]));
  return {
    runId: run.id, store: run.store, status: run.status === 'running' ? 'failed' : run.status, durationsMs,
    ...(run.sourceFile ? { file: run.sourceFile } : {}), ...(run.bytes !== null ? { bytes: run.bytes } : {}), ...(run.rowCount !== null ? { rows: run.rowCount } : {}),
    ...(run.status === 'failed' ? { failedStage: run.stage ?? undefined, error: run.error ?? undefined } : {}),
  };
}

/**
 * A sync a person asks for (/sync, the dashboard): queued before the scheduled ones waiting, so
 * that it never runs beside another sync of the store and a backup landing meanwhile is not
 * refused as busy, then followed in the run log — its stages (or this process's finer progress,
 * when its own worker runs it) as progress, its end as the outcome. The run is the first of the
 * store with this trigger after the ask (run ids grow).
 */
export async function syncThroughQueue(deps: QueuedSyncDeps, store: StoreConfig, trigger: string, onProgress: SyncProgressFn = () => undefined): Promise<SyncOutcome> {
  const pollMs = deps.pollMs ?? 1_000;
  const before = (await deps.runs.recent(store.id, 1))[0]?.id ?? 0;
  await deps.queue.sync(store.id, trigger, { urgent: true });
  let shown = '';
  const deadline = Date.now() + (deps.waitMs ?? 60 * 60_000);
  while (Date.now() < deadline) {
    const run = (await deps.runs.recent(store.id, 10)).find((r) => r.id > before && r.trigger === trigger);
    if (run && run.status !== 'running') return outcomeOf(run);
    const here = run ? deps.localProgress?.(store.id) : null;
    const progress = here ?? (run ? { stage: stageOf(run) } : null);
    if (progress && JSON.stringify(progress) !== shown) {
      shown = JSON.stringify(progress);
      onProgress(progress);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new AppError('interrupted', 'tokobot', {
    en: `the sync of ${store.name} is queued but did not end in time: is a tokobot worker running? /status shows it when it ends`,
    id: `sync ${store.name} sudah masuk antrean tetapi belum selesai: apakah tokobot worker berjalan? /status menunjukkannya setelah selesai`,
  });
}

/**
 * Queues a person's sync (ahead of scheduled ones) and resolves once a worker has started it (its
 * run is in the run log), or after `waitMs` with false: still queued. The dashboard's Sync now
 * answers after this, so the page it shows has the store running, as a sync started here would.
 */
export async function startThroughQueue(deps: Pick<QueuedSyncDeps, 'queue' | 'runs' | 'pollMs'>, storeId: string, trigger: string, waitMs = 15_000): Promise<boolean> {
  const before = (await deps.runs.recent(storeId, 1))[0]?.id ?? 0;
  await deps.queue.sync(storeId, trigger, { urgent: true });
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if ((await deps.runs.recent(storeId, 10)).some((r) => r.id > before && r.trigger === trigger)) return true;
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 100));
  }
  return false;
}
