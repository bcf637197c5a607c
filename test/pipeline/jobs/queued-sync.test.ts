import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startThroughQueue, syncThroughQueue } from '../../../src/pipeline/jobs/queued-sync.ts';
import type { SyncProgress } from '../../../src/pipeline/sync/run-tracker.ts';
import { MemorySyncRunLog } from '../../fakes/memory-stores.ts';

const store = { id: 'toko1', name: 'Toko Satu', schedule: '*/30 * * * *', source: { type: 'folder' as const, dir: '/b' } };

/** A queue whose "worker" runs the asked sync in the run log a moment later: stages, then `end`. */
function workerBehind(runs: MemorySyncRunLog, end: 'success' | 'failed') {
  const asked: string[] = [];
  return {
    asked,
    async sync(id: string, trigger: string) {
      asked.push(`${id}:${trigger}`);
      setTimeout(() => void (async () => {
        const run = await runs.start(id, trigger);
        await runs.update(run, { stage: 'restore' });
        await new Promise((r) => setTimeout(r, 30));
        if (end === 'success') await runs.update(run, { stage: 'publish', sourceFile: 'a.i5bu', rowCount: 1234 }, 'success');
        else await runs.update(run, { stage: 'restore', error: 'restore: the archive is damaged' }, 'failed');
      })(), 20);
    },
  };
}

test('a front end with no worker queues /sync and follows it in the run log to its end, ignoring other runs of the store', async () => {
  const runs = new MemorySyncRunLog();
  const earlier = await runs.start('toko1', 'chat:7');
  await runs.update(earlier, {}, 'failed');
  const other = await runs.start('toko1', 'schedule'); // a scheduled run going on meanwhile is not this one
  const queue = workerBehind(runs, 'success');
  const seen: SyncProgress[] = [];
  const o = await syncThroughQueue({ queue, runs, pollMs: 5 }, store, 'chat:7', (p) => seen.push(p));
  assert.deepEqual(queue.asked, ['toko1:chat:7']);
  assert.equal(o.status, 'success');
  assert.ok(o.runId > other);
  assert.equal(o.rows, 1234);
  assert.equal(o.file, 'a.i5bu');
  assert.ok(seen.some((p) => p.stage === 'restore'));
});

test('a failed queued run comes back failed with its stage and error', async () => {
  const runs = new MemorySyncRunLog();
  const o = await syncThroughQueue({ queue: workerBehind(runs, 'failed'), runs, pollMs: 5 }, store, 'chat:8');
  assert.deepEqual({ status: o.status, stage: o.failedStage, error: o.error }, { status: 'failed', stage: 'restore', error: 'restore: the archive is damaged' });
});

test('no worker taking it: the asker is told, in both languages, that the sync waits in the queue', async () => {
  const runs = new MemorySyncRunLog();
  const queue = { sync: async () => undefined };
  await assert.rejects(syncThroughQueue({ queue, runs, pollMs: 5, waitMs: 40 }, store, 'chat:9'), (err: Error & { messageId?: string }) =>
    /queued but did not end in time: is a tokobot worker running/.test(err.message) && /masuk antrean/.test(err.messageId ?? ''));
});

test('Sync now answers once a worker has started the queued sync, or says it is still queued', async () => {
  const runs = new MemorySyncRunLog();
  const queue = workerBehind(runs, 'success');
  assert.equal(await startThroughQueue({ queue, runs, pollMs: 5 }, 'toko1', 'web:1'), true);
  assert.deepEqual(queue.asked, ['toko1:web:1']);
  assert.ok((await runs.recent('toko1', 1))[0], 'a run is recorded by then');
  assert.equal(await startThroughQueue({ queue: { sync: async () => undefined }, runs, pollMs: 5 }, 'toko1', 'web:2', 50), false);
});
