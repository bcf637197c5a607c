import { AppError } from '../../errors.ts';
import type { StoreConfig } from '../../config/load-config.ts';
import type { SyncRun, SyncRunLog } from '../../store/sync-runs.ts';
import type { JobQueue } from '../ports.ts';
import type { SyncProgress, SyncStage, SyncProgressFn } from '../sync/run-tracker.ts';
import type { SyncOutcome } from '../sync/sync-store.ts';
import { SYNC_STAGES } from '../sync/run-tracker.ts';
import { stageDurations } from '../runs/stage-tracker.ts';

export interface QueuedSyncDeps {
  queue: Pick<JobQueue, 'sync'>;
  runs: Pick<SyncRunLog, 'recent'>;
  /** Between looks at the run log (default 250 ms for /sync: a small shop's sync takes a couple of seconds, and the chat should show a stage of it). */
  pollMs?: number;
  /** How long a sync may wait for a worker and run before the asker is told to look again later. */
  waitMs?: number;
  /** The progress of the store's sync when this process's own worker runs it (finer than the run log's stages). */
  localProgress?: (store: string) => SyncProgress | null;
}

const stageOf = (run: SyncRun): SyncStage => SYNC_STAGES.find((s) => s === run.stage) ?? 'check';

/** A finished run as the runner would have handed it back (the kind of failure is not in the run log). */
function outcomeOf(run: SyncRun): SyncOutcome {
  return {
    runId: run.id, store: run.store, status: run.status === 'running' ? 'failed' : run.status, durationsMs: stageDurations(run.stages),
    ...(run.sourceFile ? { file: run.sourceFile } : {}), ...(run.bytes !== null ? { bytes: run.bytes } : {}), ...(run.rowCount !== null ? { rows: run.rowCount } : {}),
    ...(run.status === 'failed' ? { failedStage: run.stage ?? undefined, error: run.error ?? undefined } : {}),
  };
}

/**
 * Queues a person's sync of the store (ahead of the scheduled ones waiting) and looks at its run
 * in the run log every `pollMs` until `look` gives an answer or `waitMs` has passed (undefined).
 * The run is the first of the store with this trigger after the ask (run ids grow); none yet
 * while the sync waits for a worker.
 */
async function askAndFollow<T>(deps: Pick<QueuedSyncDeps, 'queue' | 'runs'>, storeId: string, trigger: string, waits: { pollMs: number; waitMs: number },
  look: (run: SyncRun | undefined) => T | undefined): Promise<T | undefined> {
  const before = (await deps.runs.recent(storeId, 1))[0]?.id ?? 0;
  await deps.queue.sync(storeId, trigger, { urgent: true });
  const deadline = Date.now() + waits.waitMs;
  while (Date.now() < deadline) {
    const answer = look((await deps.runs.recent(storeId, 10)).find((r) => r.id > before && r.trigger === trigger));
    if (answer !== undefined) return answer;
    await new Promise((resolve) => setTimeout(resolve, waits.pollMs));
  }
  return undefined;
}

/**
 * A sync a person asks for (/sync): queued, so that it never runs beside another sync of the
 * store and a backup landing meanwhile is not refused as busy, then followed to its end — its
 * stages (or this process's finer progress, when its own worker runs it) as progress.
 */
export async function syncThroughQueue(deps: QueuedSyncDeps, store: StoreConfig, trigger: string, onProgress: SyncProgressFn = () => undefined): Promise<SyncOutcome> {
  let shown = '';
  const outcome = await askAndFollow(deps, store.id, trigger, { pollMs: deps.pollMs ?? 250, waitMs: deps.waitMs ?? 60 * 60_000 }, (run) => {
    if (!run) return undefined;
    if (run.status !== 'running') return outcomeOf(run);
    const progress = deps.localProgress?.(store.id) ?? { stage: stageOf(run) };
    if (JSON.stringify(progress) !== shown) {
      shown = JSON.stringify(progress);
      onProgress(progress);
    }
    return undefined;
  });
  if (outcome) return outcome;
  throw new AppError('interrupted', 'tokobot', {
    en: `the sync of ${store.name} is queued but did not end in time: is a tokobot worker running? /status shows it when it ends`,
    id: `sync ${store.name} sudah masuk antrean tetapi belum selesai: apakah tokobot worker berjalan? /status menunjukkannya setelah selesai`,
  });
}

/**
 * The dashboard's Sync now: queued as /sync is, answered once a worker has started it (true), or
 * after `waitMs` still queued (false), so that the page it shows has the store running.
 */
export async function startThroughQueue(deps: Pick<QueuedSyncDeps, 'queue' | 'runs' | 'pollMs'>, storeId: string, trigger: string, waitMs = 15_000): Promise<boolean> {
  return (await askAndFollow(deps, storeId, trigger, { pollMs: deps.pollMs ?? 100, waitMs }, (run) => (run ? true : undefined))) ?? false;
}
