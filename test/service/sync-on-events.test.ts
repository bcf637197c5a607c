import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/errors.ts';
import type { StoreConfig } from '../../src/config/load-config.ts';
import { syncOnEvents } from '../../src/main/sync-watch.ts';
import type { SyncRunner } from '../../src/pipeline/sync/sync-runner.ts';
import { until } from '../helpers/until.ts';

/** A runner whose runs end when the test says, refusing a second run of a store as the real one does. */
function heldRunner() {
  const started: string[] = [];
  const releases: (() => void)[] = [];
  const listeners: ((o: unknown, s: StoreConfig) => void)[] = [];
  const running = new Set<string>();
  const runner = {
    run(store: StoreConfig, trigger: string) {
      if (running.has(store.id)) return Promise.reject(new AppError('busy', 'tokobot', 'already syncing'));
      running.add(store.id);
      started.push(trigger);
      return new Promise((resolve) => releases.push(() => {
        running.delete(store.id);
        const outcome = { status: 'success' };
        resolve(outcome);
        for (const l of listeners) l(outcome, store);
      }));
    },
    onFinished(l: (o: unknown, s: StoreConfig) => void) { listeners.push(l); },
  };
  return { runner: runner as unknown as SyncRunner, started, finishOne: () => releases.shift()?.() };
}

const store = { id: 'toko' } as StoreConfig;
const logger = { info: () => undefined, warn: () => undefined };
const settle = () => new Promise((r) => setTimeout(r, 20));

test('events during a sync make one more sync after it, however many', async () => {
  const r = heldRunner();
  const sync = syncOnEvents(r.runner, logger, new AbortController().signal);
  sync(store);
  await until('the first sync', () => r.started.length === 1);
  sync(store); sync(store); sync(store);
  r.finishOne();
  await until('one more sync', () => r.started.length === 2);
  r.finishOne();
  await settle();
  assert.deepEqual(r.started, ['watch', 'watch']);
});

test('an event while the schedule syncs the store is not lost: one sync after that run', async () => {
  const r = heldRunner();
  const sync = syncOnEvents(r.runner, logger, new AbortController().signal);
  void r.runner.run(store, 'schedule');
  sync(store);
  sync(store);
  await settle();
  assert.deepEqual(r.started, ['schedule']);
  r.finishOne();
  await until('the sync after it', () => r.started.length === 2);
  r.finishOne();
  await settle();
  assert.deepEqual(r.started, ['schedule', 'watch']);
});

test('after shutdown, events start nothing', async () => {
  const r = heldRunner();
  const stop = new AbortController();
  const sync = syncOnEvents(r.runner, logger, stop.signal);
  stop.abort();
  sync(store);
  await settle();
  assert.deepEqual(r.started, []);
});
