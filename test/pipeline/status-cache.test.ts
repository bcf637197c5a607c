import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cachedStoreStatuses, storeStatuses } from '../../src/pipeline/status.ts';
import type { StoreConfig } from '../../src/config/load-config.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOps, type ScratchOps } from '../helpers/scratch-ops.ts';

const skip = await requireLocalPg();
let ops: ScratchOps;
before(async () => { if (!skip) ops = await scratchOps(`tokobot_t_status_cache_${process.pid}`); });
after(async () => { await ops?.close(); });

const stores: StoreConfig[] = ['pusat', 'gudang'].map((id) => ({ id, name: id.toUpperCase(), schedule: '*/30 * * * *', source: { type: 'folder', dir: '/not-read' } }));
const at = (iso: string) => new Date(iso);

test('the ops database version changes with every write that ends, and stays while nothing is written', { skip }, async () => {
  const { stores: s, pool } = ops;
  const before = await s.version.current();
  await s.runs.start('pusat', 'cli');
  assert.notEqual(await s.version.current(), before, 'a committed insert');
  const committed = await s.version.current();
  await pool.query('BEGIN; INSERT INTO sync_runs (store, trigger, status) VALUES ($$x$$, $$cli$$, $$running$$); ROLLBACK');
  assert.notEqual(await s.version.current(), committed, 'an aborted write too (it only costs a read)');
  // The server is shared with other tests that write: some two versions in a row are equal.
  let same = false;
  for (let i = 0; i < 50 && !same; i++) same = (await s.version.current()) === (await s.version.current());
  assert.ok(same, 'nothing written between two looks: the same version');
});

test('cached statuses are storeStatuses: reused only at the same version, locks and the time always fresh', { skip }, async () => {
  const s = ops.stores;
  await ops.pool.query('TRUNCATE sync_runs, published RESTART IDENTITY CASCADE');
  let version = 'v1';
  let reads = 0;
  const counted = { ...s, version: { current: async () => version }, runs: { statusRuns: (ids: string[]) => { reads++; return s.runs.statusRuns(ids); } } };
  const cached = cachedStoreStatuses(counted);
  const id = await s.runs.start('pusat', 'cli');
  await s.runs.update(id, { sourceModified: at('2026-11-20T00:00:00Z'), archive: { dumpTime: '2026-11-20 06:00:00' }, rowCount: 5 }, 'success');
  const now = at('2026-11-20T12:00:00Z');
  assert.deepEqual(await cached(stores, now), await storeStatuses(s, stores, now));
  assert.equal(reads, 1);

  const later = at('2026-11-22T12:00:00Z');
  const release = await s.locks.tryLock('sync:gudang');
  try {
    const warm = await cached(stores, later);
    assert.equal(reads, 1, 'same version: the rows read before are used');
    assert.deepEqual(warm, await storeStatuses(s, stores, later), 'ages from the time given, the lock seen');
    assert.deepEqual(warm.map((x) => x.freshness), ['CHECK', 'RUNNING']);
  } finally {
    await release?.();
  }

  await s.runs.update(await s.runs.start('pusat', 'cli'), { error: 'boom' }, 'failed');
  version = 'v2';
  const fresh = await cached(stores, later);
  assert.equal(reads, 2, 'a new version: read again');
  assert.deepEqual(fresh, await storeStatuses(s, stores, later));
  assert.equal(fresh[0]?.freshness, 'FAILED');
  assert.deepEqual(await cached([stores[1]!], later), await storeStatuses(s, [stores[1]!], later), 'other stores asked: read for them');
  assert.equal(reads, 3);
});

test('a failed read is not kept: the next call reads again', { skip }, async () => {
  const s = ops.stores;
  let fail = true;
  const flaky = { ...s, version: { current: async () => 'same' },
    runs: { statusRuns: async (ids: string[]) => { if (fail) throw new Error('connection reset'); return s.runs.statusRuns(ids); } } };
  const cached = cachedStoreStatuses(flaky);
  await assert.rejects(cached(stores), /connection reset/);
  fail = false;
  assert.equal((await cached(stores)).length, 2);
});
