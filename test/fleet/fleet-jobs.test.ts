import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { databasesLike, requireLocalPg } from '../helpers/local-pg.ts';
import { Fleet, type WorkerProcess } from '../helpers/fleet.ts';
import { until } from '../helpers/until.ts';

// Real `tokobot worker` processes on one ops database, the jobs asked from the test as the front
// ends ask them (GraphileQueue). No schedule comes during the file (SYNC_CRON in January): every
// run below is one the test asked for. In order: a worker killed mid-sync (kill -9) and its job
// taken up by another; two asks before any worker is up are one run; asks while the store syncs
// are one more run; a job for a store no worker knows is dropped.

const skip = await requireLocalPg();
const KILLED = `fk_${process.pid}`;
const EARLY = `fe_${process.pid}`;
const BUSY = `fb_${process.pid}`;
const GONE = `fg_${process.pid}`;
let fleet: Fleet;
let killer: WorkerProcess;
let survivor: WorkerProcess;
let killedAt = 0;

before(async () => {
  if (skip) return;
  fleet = await Fleet.open('fleetjobs', [KILLED, EARLY, BUSY].map((id) => ({ id, backup: 'demo' as const })), { SYNC_CRON: '0 0 1 1 *', WORKER_DEAD_AFTER_S: '10' });
});
after(async () => {
  await fleet?.close();
});

const finished = async (store: string) => (await fleet.runs(store)).filter((r) => r.status !== 'running');

test('a worker killed (kill -9) mid-sync: another takes its job up, publishes once, the interrupted run is marked failed', { skip, timeout: 180_000 }, async (t) => {
  killer = fleet.spawnWorker('killer', 1, { TOKOBOT_TEST_KILL_AT: 'sync:restored' });
  await fleet.queue.sync(KILLED, 'test');
  const end = await killer.exited;
  killedAt = Date.now();
  assert.equal(end.signal, 'SIGKILL', `the worker killed itself at sync:restored: ${killer.output().slice(-2000)}`);
  const [interrupted] = await fleet.runs(KILLED);
  assert.equal(interrupted?.status, 'running', 'the dead worker left its run running');
  assert.deepEqual(await databasesLike(`ipos_${KILLED}__staging`), [`ipos_${KILLED}__staging`], 'and its staging database');
  const [job] = await fleet.jobsOf(KILLED);
  assert.ok(job?.locked_by, 'its job is still locked by the dead worker');

  // Two asks for another store while no worker is alive (the next test checks they made one run).
  await fleet.queue.sync(EARLY, 'test-early-1');
  await fleet.queue.sync(EARLY, 'test-early-2');
  survivor = fleet.spawnWorker('survivor', 2, { WORKER_DEAD_AFTER_S: '10' });
  await until('the job of the killed worker is published by the other', async () => (await finished(KILLED)).some((r) => r.status === 'success'), 100_000);
  const takenUp = Date.now() - killedAt;
  t.diagnostic(`kill -9 → the other worker published the store: ${takenUp} ms (dead after 10 s, beats every 2.5 s)`);
  // The bound: the survivor's start, 10 s of its own steady beats, the dead one's 10 s of silence, a beat, then the sync
  // itself — about 15 s on a quiet machine, more while the whole suite runs (without the heartbeats: 4 hours).
  assert.ok(takenUp < 90_000, `taken up in ${takenUp} ms`);
  const runs = await fleet.runs(KILLED);
  assert.deepEqual(runs.map((r) => [r.trigger, r.status]), [['test', 'failed'], ['test', 'success']], 'the interrupted run, then one success');
  assert.match(runs[0]!.error ?? '', /^interrupted: tokobot stopped during the \w+ stage/);
  assert.ok(runs[0]!.finished_at! <= runs[1]!.started_at, 'marked failed before the next run started');
  const published = await fleet.query('SELECT run_id FROM published WHERE store = $1', [KILLED]);
  assert.deepEqual(published.map((p) => Number(p.run_id)), [runs[1]!.id], 'published once, by the run that succeeded');
  await until('the job is done', async () => (await fleet.jobsOf(KILLED)).length === 0, 5_000);
  assert.deepEqual(await databasesLike(`ipos_${KILLED}__staging`), [], 'no staging database left');
  assert.match(survivor.output(), /stopped beating; its jobs were handed to the others/);
  assert.deepEqual(await fleet.query("SELECT machine FROM workers WHERE machine = 'killer'"), [], 'the dead worker is forgotten');
});

test('two asks before any worker takes them are one run', { skip, timeout: 60_000 }, async () => {
  await until('the early asks ran', async () => (await finished(EARLY)).length > 0 && (await fleet.jobsOf(EARLY)).length === 0, 30_000);
  const runs = await fleet.runs(EARLY);
  assert.deepEqual(runs.map((r) => [r.trigger, r.status]), [['test-early-2', 'success']], 'one run, with the last ask\'s trigger');
});

test('asks while the store syncs make exactly one more sync after it', { skip, timeout: 90_000 }, async () => {
  await fleet.queue.sync(BUSY, 'test-busy-1');
  await until('the first sync runs', async () => (await fleet.runs(BUSY)).some((r) => r.status === 'running'), 20_000);
  await fleet.queue.sync(BUSY, 'test-busy-2');
  await fleet.queue.sync(BUSY, 'test-busy-3');
  assert.equal((await finished(BUSY)).length, 0, 'asked while the first was still running');
  await until('the store is idle again', async () => (await fleet.jobsOf(BUSY)).length === 0 && (await finished(BUSY)).length >= 2, 60_000);
  const runs = await fleet.runs(BUSY);
  // The same backup again: the second finds the list already published from it.
  assert.deepEqual(runs.map((r) => [r.trigger, r.status]), [['test-busy-1', 'success'], ['test-busy-3', 'no-change']]);
});

test('a job for a store no worker has in its config is dropped and logged; the workers go on', { skip, timeout: 60_000 }, async () => {
  await fleet.queue.sync(GONE, 'test');
  await until('the job is dropped', async () => (await fleet.jobsOf(GONE)).length === 0, 20_000);
  assert.match(survivor.output(), new RegExp(`store ${GONE} is no longer configured; its queued sync was dropped`));
  assert.deepEqual(await fleet.runs(GONE), [], 'no run recorded');
  await fleet.queue.sync(EARLY, 'test-after');
  await until('the next job runs', async () => (await finished(EARLY)).length === 2, 30_000);
  assert.equal(survivor.child.exitCode, null, 'the worker still runs');
});

test('no two runs of one store overlapped; the worker stops cleanly on SIGTERM', { skip, timeout: 60_000 }, async () => {
  assert.deepEqual(await fleet.overlaps(), []);
  assert.deepEqual(await fleet.stop(survivor), { code: 0, signal: null }, survivor.output().slice(-2000));
  assert.deepEqual(await fleet.query('SELECT machine FROM workers'), [], 'a stopped worker leaves the heartbeat table');
});
