import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackupLog } from '../../src/store/backup-log.ts';
import type { OpsWatch } from '../../src/store/ops-watch.ts';
import type { RunStatus } from '../../src/store/sync-runs.ts';

/** A sync run as it ended up recorded. */
export interface SyncRunRow {
  store: string;
  status: RunStatus;
  stage: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface OpsWatchHarness {
  watch: OpsWatch;
  backupLog: BackupLog;
  /** Records a sync run as the sync side's store would. */
  addSync(run: SyncRunRow): Promise<void>;
}

const T0 = new Date(Date.UTC(2026, 10, 23, 2, 0));
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** What every OpsWatch must do; `fresh` gives one over empty run logs. */
export function opsWatchContract(fresh: () => Promise<OpsWatchHarness>): void {
  test('ping answers while the ops database does', async () => {
    const { watch } = await fresh();
    await watch.ping();
  });

  test('tally and lastFinished of syncs: counts per store and status; the latest started of the finished runs, with its duration', async () => {
    const h = await fresh();
    await h.addSync({ store: 'pusat', status: 'success', stage: null, startedAt: at(0), finishedAt: at(90) });
    await h.addSync({ store: 'pusat', status: 'failed', stage: 'restore', startedAt: at(100), finishedAt: at(130) });
    await h.addSync({ store: 'pusat', status: 'running', stage: 'restore', startedAt: at(200), finishedAt: null });
    await h.addSync({ store: 'cabang', status: 'success', stage: null, startedAt: at(0), finishedAt: at(12.5) });
    await h.addSync({ store: 'cabang', status: 'success', stage: null, startedAt: at(-50), finishedAt: at(60) });
    assert.deepEqual(sorted(await h.watch.tally('sync')), sorted([
      { subject: 'pusat', status: 'success', runs: 1 }, { subject: 'pusat', status: 'failed', runs: 1 }, { subject: 'pusat', status: 'running', runs: 1 },
      { subject: 'cabang', status: 'success', runs: 2 }]));
    assert.deepEqual(sorted(await h.watch.lastFinished('sync')), sorted([
      { subject: 'pusat', status: 'failed', seconds: 30 }, { subject: 'cabang', status: 'success', seconds: 12.5 }]));
    assert.deepEqual(await h.watch.tally('backup'), []);
  });

  test('tally and lastFinished of backup jobs come from the backup run log', async () => {
    const h = await fresh();
    const good = await h.backupLog.start('nightly', 'schedule');
    await h.backupLog.update(good, {}, 'success');
    await h.backupLog.start('nightly', 'cli');
    const bad = await h.backupLog.start('other', 'cli');
    await h.backupLog.update(bad, {}, 'failed');
    assert.deepEqual(sorted(await h.watch.tally('backup')), sorted([
      { subject: 'nightly', status: 'success', runs: 1 }, { subject: 'nightly', status: 'pending', runs: 1 }, { subject: 'other', status: 'failed', runs: 1 }]));
    const last = await h.watch.lastFinished('backup');
    assert.deepEqual(sorted(last.map((l) => [l.subject, l.status])), [['nightly', 'success'], ['other', 'failed']]);
    for (const l of last) assert.ok(l.seconds >= 0 && l.seconds < 60, String(l.seconds));
  });
}
