import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { Fleet } from '../helpers/fleet.ts';
import { until } from '../helpers/until.ts';

// Three real `tokobot worker` processes (two slots each) on one ops database with the schedule
// every minute: at a tick each store's sync is fired once, whichever workers run it; a poison
// backup (garbage bytes) fails once, is alerted once and leaves nothing queued, and the other
// stores of the tick succeed. The wait for the tick is the file's cost (up to a minute).

const skip = await requireLocalPg();
const GOOD = ['a', 'b', 'c', 'd'].map((x) => `fs${x}_${process.pid}`);
const POISON = `fsp_${process.pid}`;
let fleet: Fleet;
/** The first minute that starts once all three workers beat. */
let tick: Date;

before(async () => {
  if (skip) return;
  fleet = await Fleet.open('fleetcron', [...GOOD.map((id) => ({ id, backup: 'demo' as const })), { id: POISON, backup: 'garbage' }], { SYNC_CRON: '* * * * *' });
});
after(async () => {
  await fleet?.close();
});

const tickRuns = async (store: string) => (await fleet.runs(store)).filter((r) => r.trigger === 'schedule' && r.started_at >= tick && r.started_at.getTime() < tick.getTime() + 60_000);

test('three workers start and beat', { skip, timeout: 60_000 }, async () => {
  for (const name of ['w1', 'w2', 'w3']) fleet.spawnWorker(name, 2);
  await until('three workers beat', async () => (await fleet.query('SELECT id FROM workers')).length === 3, 45_000);
  const now = Date.now();
  tick = new Date(Math.ceil((now + 1) / 60_000) * 60_000);
});

test('at a tick each store syncs exactly once across the three workers', { skip, timeout: 150_000 }, async (t) => {
  await until('every store has finished its run of the tick', async () => {
    for (const s of [...GOOD, POISON]) if (!(await tickRuns(s)).some((r) => r.status !== 'running')) return false;
    return true;
  }, tick.getTime() - Date.now() + 60_000);
  const ended = Date.now();
  for (const s of GOOD) {
    const runs = await tickRuns(s);
    assert.deepEqual(runs.map((r) => r.status), ['success'], `${s}: one run of the tick`);
  }
  const published = await fleet.query('SELECT store FROM published WHERE store = ANY($1) ORDER BY store', [GOOD]);
  assert.deepEqual(published.map((p) => p.store), [...GOOD].sort());
  // The runs do not say which worker ran them; each worker's data folder does.
  const ranBy = [...GOOD, POISON].map((s) => `${s.slice(0, 3)}: ${fleet.ranBy(s).join('+') || '?'}`);
  t.diagnostic(`tick ${tick.toISOString()}: all five finished ${ended - tick.getTime()} ms after it; ran by ${ranBy.join(', ')}`);
});

test('a poison backup fails once, is alerted once, and leaves nothing queued', { skip, timeout: 60_000 }, async (t) => {
  const runs = await tickRuns(POISON);
  t.diagnostic(`the poison run: ${runs[0]?.error ?? ''}`);
  assert.equal(runs.length, 1, 'tried once: a corrupt backup is not tried again');
  assert.equal(runs[0]!.status, 'failed');
  await until('its job is done', async () => (await fleet.jobsOf(POISON)).length === 0, 10_000);
  const alerts = await fleet.query('SELECT key, kind, resolved_at FROM alerts WHERE key LIKE $1', [`sync:${POISON}`]);
  assert.deepEqual(alerts.map((a) => [a.key, a.kind, a.resolved_at]), [[`sync:${POISON}`, 'sync-failed', null]], 'one open alert');
  assert.deepEqual(await fleet.query('SELECT key FROM alerts WHERE key = ANY($1)', [GOOD.map((s) => `sync:${s}`)]), [], 'no alert for the good stores');
});

test('no two runs of one store ever overlapped; the workers stop cleanly', { skip, timeout: 90_000 }, async () => {
  assert.deepEqual(await fleet.overlaps(), []);
  const ends = await Promise.all(fleet.workers.map((w) => fleet.stop(w)));
  assert.deepEqual(ends, fleet.workers.map(() => ({ code: 0, signal: null })), fleet.workers.map((w) => w.output().slice(-1000)).join('\n'));
});
