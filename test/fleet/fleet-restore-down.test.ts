import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createScratchDb, dropScratchDb, LOCAL_PG_URL, requireLocalPg } from '../helpers/local-pg.ts';
import { Fleet, type WorkerProcess } from '../helpers/fleet.ts';
import { TcpForward } from '../helpers/tcp-forward.ts';
import { until } from '../helpers/until.ts';

// A fleet (OPS_DATABASE_URL) where one machine's restore server goes away: its worker ("cut",
// which reaches the server through a port the test takes down) takes no job while it is away, the
// jobs go to the other worker ("whole"), an alert names the machine, and once the server is back
// the alert resolves and the worker takes jobs again. The worker looks at its server every 15 s.

const skip = await requireLocalPg();
const OPS = `tokobot_t_fleetrd_${process.pid}`;
const [FIRST, SECOND, THIRD] = ['rd1', 'rd2', 'rd3'].map((s) => `${s}_${process.pid}`) as [string, string, string];
let fleet: Fleet;
let forward: TcpForward;
let cut: WorkerProcess;

before(async () => {
  if (skip) return;
  const server = new URL(LOCAL_PG_URL);
  forward = await TcpForward.start(Number(server.port || 5432));
  await createScratchDb(OPS);
  const ops = new URL(LOCAL_PG_URL);
  ops.pathname = `/${OPS}`;
  fleet = await Fleet.open('fleetrd', [FIRST, SECOND, THIRD].map((id) => ({ id, backup: 'demo' as const })), { SYNC_CRON: '0 0 1 1 *' }, ops.toString());
});
after(async () => {
  await fleet?.close();
  await forward?.down();
  await dropScratchDb(OPS);
});

const succeeded = async (store: string) => (await fleet.runs(store)).filter((r) => r.status === 'success').length;
const alert = async () => (await fleet.query("SELECT kind, subject, params, resolved_at FROM alerts WHERE key = 'restore-server:cut'"))[0];

test('a worker whose restore server is away takes no jobs, the other worker runs them, and an alert names the machine', { skip, timeout: 150_000 }, async () => {
  const through = new URL(LOCAL_PG_URL);
  through.port = String(forward.port);
  cut = fleet.spawnWorker('cut', 1, { PG_URL: through.toString() });
  await fleet.queue.sync(FIRST, 'test');
  await until('the worker syncs through its restore server', async () => (await succeeded(FIRST)) === 1, 60_000);

  await forward.down();
  await until('an alert names the machine whose restore server is away', async () => (await alert())?.resolved_at === null, 25_000);
  const opened = await alert();
  assert.deepEqual({ kind: opened!.kind, subject: opened!.subject, machine: (opened!.params as { machine: string }).machine }, { kind: 'restore-server-down', subject: 'cut', machine: 'cut' });
  assert.match(cut.output(), /the restore server does not answer; taking no jobs until it does/);

  await fleet.queue.sync(SECOND, 'test');
  await new Promise((r) => setTimeout(r, 3_000));
  assert.deepEqual(await fleet.runs(SECOND), [], 'the cut-off worker took no job');
  assert.equal((await fleet.jobsOf(SECOND)).length, 1, 'the job waits in the queue');

  fleet.spawnWorker('whole', 1);
  await until('the other worker runs the waiting job', async () => (await succeeded(SECOND)) === 1, 60_000);
  assert.deepEqual(fleet.ranBy(SECOND), ['whole']);
});

test('back: the alert resolves and the worker takes jobs again', { skip, timeout: 120_000 }, async () => {
  await fleet.stop(fleet.workers.find((w) => w.name === 'whole')!);
  await forward.up();
  await until('the alert resolves', async () => (await alert())?.resolved_at !== null, 25_000);
  assert.match(cut.output(), /the restore server answers again; taking jobs/);
  await fleet.queue.sync(THIRD, 'test');
  await until('the worker back syncs again', async () => (await succeeded(THIRD)) === 1, 60_000);
  assert.deepEqual(fleet.ranBy(THIRD), ['cut']);
  assert.deepEqual(await fleet.overlaps(), []);
  assert.equal((await fleet.stop(cut)).code, 0, cut.output().slice(-2000));
});
