import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncRunner } from '../../src/pipeline/sync/sync-runner.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';

const skip = await requireLocalPg();
let h: Harness;
before(async () => {
  if (skip) return;
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  h = await startHarness('external', `run${process.pid}`);
  await h.fake.addFile(`${h.folder}/backup.zip`, fixture.zipPath);
});
after(async () => { await h?.close(); });

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

test('shutdown stops a running sync between stages; the run is failed, never left running', { skip }, async () => {
  const runner = new SyncRunner(h.app.sync, silent);
  const job = runner.run(h.store, 'schedule');
  assert.ok(runner.progress(h.store.id), 'a running sync shows its progress');
  await runner.shutdown(0);
  const o = await job;
  assert.equal(o.status, 'failed');
  assert.match(o.error ?? '', /shutting down/);
  assert.equal(runner.progress(h.store.id), null);
  const runs = await h.app.opsStores.runs.recent(h.store.id, 5);
  assert.ok(runs.every((r) => r.status !== 'running'));
  await assert.rejects(runner.run(h.store, 'chat:1'), /shutting down/);
});

test('a scheduled sync runs the store and lets a finished sync stand', { skip }, async () => {
  const runner = new SyncRunner(h.app.sync, silent);
  const o = await runner.run(h.store, 'schedule');
  assert.equal(o?.status, 'success', o?.error);
  const [run] = await h.app.opsStores.runs.recent(h.store.id, 1);
  assert.equal(run?.trigger, 'schedule');
});
