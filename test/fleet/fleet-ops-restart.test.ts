import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/adapters/postgres/embedded-postgres.ts';
import { restoreArchive } from '../../src/adapters/postgres/archive-restorer.ts';
import { requireLocalPg, TEST_RESTORE_ROLE } from '../helpers/local-pg.ts';
import { freePort } from '../helpers/free-port.ts';
import { Fleet } from '../helpers/fleet.ts';
import { until } from '../helpers/until.ts';

// The fleet's shared ops database on a PostgreSQL server of the test's own (the embedded one),
// stopped and started again while a worker runs a sync: the workers reconnect, the next sync
// runs, and the sync asked before the restart is neither lost nor published twice.

const skip = await requireLocalPg();
const PASSWORD = 'fleet-ops-restart';
const FIRST = `fo1_${process.pid}`;
const NEXT = `fo2_${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-fleet-opspg-'));
let server: EmbeddedPostgres;
let fleet: Fleet;

before(async () => {
  if (skip) return;
  const port = await freePort();
  server = new EmbeddedPostgres({ dir: path.join(dir, 'pg'), port, password: PASSWORD, restoreRole: TEST_RESTORE_ROLE, restorer: (file, client) => restoreArchive(file, client) });
  await server.ensure();
  const admin = new pg.Client(server.adminConnection('postgres'));
  await admin.connect();
  await admin.query('CREATE DATABASE tokobot_ops');
  await admin.end();
  fleet = await Fleet.open('fleetopspg', [FIRST, NEXT].map((id) => ({ id, backup: 'demo' as const })),
    { SYNC_CRON: '0 0 1 1 *', WORKER_DEAD_AFTER_S: '10' }, `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/tokobot_ops`);
});
after(async () => {
  await fleet?.close();
  await server?.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

test('the ops database restarts mid-sync: workers reconnect, no job is lost or published twice', { skip, timeout: 150_000 }, async (t) => {
  const workers = [fleet.spawnWorker('o1', 1), fleet.spawnWorker('o2', 1)];
  await until('two workers beat', async () => (await fleet.query('SELECT id FROM workers')).length === 2, 45_000);
  await fleet.queue.sync(FIRST, 'test');
  await until('the sync runs', async () => (await fleet.runs(FIRST)).some((r) => r.status === 'running'), 20_000);
  await server.stop();
  const down = Date.now();
  await new Promise((r) => setTimeout(r, 3_000));
  await server.ensure();
  const up = Date.now();
  t.diagnostic(`ops database down for ${up - down} ms`);
  await until('both workers beat again', async () => {
    const rows = await fleet.query('SELECT beat_at FROM workers').catch(() => []);
    return rows.length === 2 && rows.every((r) => (r.beat_at as Date).getTime() > up);
  }, 30_000).catch((err) => {
    throw new Error(`${(err as Error).message}\n${workers.map((w) => `${w.name} (exit ${w.child.exitCode ?? w.child.signalCode}): ${w.output().slice(-3000)}`).join('\n')}`);
  });
  await until('the sync asked before the restart has ended', async () => (await fleet.jobsOf(FIRST).catch(() => [{}])).length === 0, 60_000);
  const first = await fleet.runs(FIRST);
  t.diagnostic(`${FIRST}: ${JSON.stringify(first.map((r) => [r.status, r.error?.slice(0, 120)]))}`);
  assert.ok(first.every((r) => r.status !== 'running'), 'no run left running');
  assert.equal(first.filter((r) => r.status === 'success').length, 1, 'published once');
  await fleet.queue.sync(NEXT, 'test');
  await until('the next sync is published', async () => (await fleet.runs(NEXT)).some((r) => r.status === 'success'), 40_000);
  assert.deepEqual((await fleet.query('SELECT store FROM published ORDER BY store')).map((p) => p.store), [FIRST, NEXT].sort());
  assert.deepEqual(await fleet.overlaps(), []);
  const ends = await Promise.all(workers.map((w) => fleet.stop(w)));
  assert.deepEqual(ends, workers.map(() => ({ code: 0, signal: null })), workers.map((w) => w.output().slice(-1500)).join('\n'));
});
