import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackupLog } from '../../src/store/backup-log.ts';
import type { RunHistory, RunRecord } from '../../src/store/run-history.ts';
import type { SyncRunLog } from '../../src/store/sync-runs.ts';

/** A history over empty run logs, and the logs it reads (each kind's runs are recorded through its own log, as the runners do). */
export interface RunHistoryHarness {
  history: RunHistory;
  syncRuns: SyncRunLog;
  backupLog: BackupLog;
}

/** Long enough that two times taken one after the other differ on any store's clock. */
const tick = () => sleep(5);
const STAGES = [{ name: 'check', startedAt: '2026-11-23T02:00:00.000Z', endedAt: '2026-11-23T02:00:01.000Z' }, { name: 'restore', startedAt: '2026-11-23T02:00:01.000Z' }];
const brief = (r: RunRecord) => `${r.kind} ${r.subject} ${r.status}`;

/** What every RunHistory must do (src/store/run-history.ts); `fresh` gives one over empty logs for each test. */
export function runHistoryContract(fresh: () => Promise<RunHistoryHarness>): void {
  test('running: every run recorded running or pending, of both kinds or one, oldest first, with what both kinds record alike', async () => {
    const { history, syncRuns, backupLog } = await fresh();
    const done = await syncRuns.start('pusat', 'schedule');
    await syncRuns.update(done, { stage: 'publish' }, 'success');
    await tick();
    const pending = await backupLog.start('nightly', 'schedule');
    await tick();
    const sync = await syncRuns.start('pusat', 'chat:42');
    await syncRuns.update(sync, { stage: 'restore', stages: STAGES });
    await tick();
    const backup = await backupLog.start('webshop', 'cli');
    await backupLog.update(backup, { stage: 'dump', stages: STAGES.slice(0, 1) }, 'running');
    const failed = await backupLog.start('webshop', 'cli');
    await backupLog.update(failed, { error: 'dump: no' }, 'failed');

    const running = await history.running();
    assert.deepEqual(running.map(brief), ['backup nightly pending', 'sync pusat running', 'backup webshop running']);
    const [first, second] = running;
    assert.ok(first?.startedAt instanceof Date);
    assert.deepEqual({ ...first, startedAt: undefined }, { kind: 'backup', id: pending, subject: 'nightly', trigger: 'schedule', status: 'pending',
      stage: null, stages: [], startedAt: undefined, finishedAt: null, error: null });
    assert.deepEqual({ ...second, startedAt: undefined }, { kind: 'sync', id: sync, subject: 'pusat', trigger: 'chat:42', status: 'running',
      stage: 'restore', stages: STAGES, startedAt: undefined, finishedAt: null, error: null });
    assert.deepEqual((await history.running('sync')).map(brief), ['sync pusat running']);
    assert.deepEqual((await history.running('backup')).map((r) => r.id), [pending, backup]);
    assert.deepEqual((await history.running('backup'))[1]?.stages, STAGES.slice(0, 1));
  });

  test('recent: newest first across kinds, by kind, by subject (a store and a job may share a name), at most `limit`', async () => {
    const { history, syncRuns, backupLog } = await fresh();
    const a = await syncRuns.start('pusat', 'schedule');
    await syncRuns.update(a, { stage: 'restore', error: 'restore: disk full' }, 'failed');
    await tick();
    const b = await backupLog.start('pusat', 'schedule');
    await backupLog.update(b, { stage: 'prune' }, 'success');
    await tick();
    const c = await syncRuns.start('cabang', 'cli');
    await tick();
    const d = await backupLog.start('webshop', 'chat:7');

    assert.deepEqual((await history.recent({ limit: 10 })).map((r) => [r.kind, r.id]), [['backup', d], ['sync', c], ['backup', b], ['sync', a]]);
    assert.deepEqual((await history.recent({ limit: 2 })).map((r) => r.id), [d, c]);
    assert.deepEqual((await history.recent({ kind: 'sync', limit: 10 })).map((r) => r.id), [c, a]);
    assert.deepEqual((await history.recent({ subject: 'pusat', limit: 10 })).map(brief), ['backup pusat success', 'sync pusat failed']);
    assert.deepEqual((await history.recent({ kind: 'backup', subject: 'pusat', limit: 10 })).map((r) => r.id), [b]);
    assert.deepEqual(await history.recent({ subject: 'gudang', limit: 10 }), []);
    const failed = (await history.recent({ kind: 'sync', subject: 'pusat', limit: 1 }))[0];
    assert.deepEqual([failed?.status, failed?.stage, failed?.error], ['failed', 'restore', 'restore: disk full']);
    assert.ok(failed?.finishedAt instanceof Date && failed.finishedAt.getTime() >= failed.startedAt.getTime());
  });

  test('a run ended by crash recovery is no longer running', async () => {
    const { history, syncRuns, backupLog } = await fresh();
    await syncRuns.start('pusat', 'schedule');
    const backup = await backupLog.start('nightly', 'schedule');
    assert.equal((await history.running()).length, 2);
    await syncRuns.failInterrupted('pusat');
    await backupLog.failInterrupted(backup, 'tokobot stopped during this backup');
    assert.deepEqual(await history.running(), []);
    assert.deepEqual((await history.recent({ limit: 5 })).map((r) => r.status), ['failed', 'failed']);
  });
}
