import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ShopWorld, stopTokobot } from '../helpers/shop-world.ts';
import { needPgDump } from '../helpers/needs.ts';
import { until } from '../helpers/until.ts';

/**
 * What issue 16 is done by: a head office tokobot and an agent on another (simulated) machine,
 * set up as the README says, show the agent's backup in /status and the metrics, the backup's
 * prices answer in chat after the head office's sync, and stopping the agent raises "agent
 * silent". Everything is a real process: `tokobot start`, `tokobot store add`, `tokobot agent
 * enroll`, `tokobot agent`; the shop's iPOS database is a real PostgreSQL database; Dropbox and
 * Telegram are the fakes speaking their HTTP APIs.
 */
const skip = await needPgDump();
let w: ShopWorld;
/** When the first test stopped the agent. */
let stoppedAt = 0;

before(async () => {
  if (skip) return;
  w = await ShopWorld.open(`e${process.pid}`);
});

after(async () => {
  if (skip) return;
  await w?.close();
});

const lastTo = (w: ShopWorld) => w.tg.messages(w.owner.id).at(-1)?.text ?? '';

async function ask(text: string): Promise<string> {
  const before = w.tg.messages(w.owner.id).length;
  w.tg.userSays(w.owner, text);
  return w.tg.until(() => w.tg.messages(w.owner.id).length > before && lastTo(w), 30_000);
}

test('the agent dumps the shop\'s iPOS database, ships it to Dropbox and reports it; the head office syncs it, answers its prices, and shows the run', { skip, timeout: 300_000 }, async () => {
  const token = await w.newToken();
  await w.startHeadOffice();
  await w.enroll(token, '* * * * *');
  const agent = w.startAgent();

  // The first scheduled run (on the next minute) reaches the head office's run log, whole.
  await until('the agent\'s backup is in the head office\'s run log', async () => {
    if (agent.child.exitCode !== null) throw new Error(`tokobot agent ended:\n${agent.output()}`);
    return (await w.agentRuns()).some((r) => r.status === 'success');
  }, 150_000);
  const run = (await w.agentRuns()).find((r) => r.status === 'success')!;
  assert.match(String(run.file_name), /^ipos_\d{8}_\d{6}\.i5bu$/);
  assert.match(String(run.sha256), /^[0-9a-f]{64}$/);
  assert.ok(Number(run.bytes) > 100_000, 'the whole database was dumped');
  const shipped = w.dropbox.fileBytes(`${w.folder}/${run.file_name}`);
  assert.ok(shipped, 'the file is in the store\'s Dropbox folder under its final name');
  assert.equal(shipped.length, Number(run.bytes));
  assert.equal(shipped.subarray(0, 5).toString(), 'PGDMP');
  assert.ok(!w.dropbox.paths().some((p) => p.includes('.partial')), 'no temporary file left');
  // The shop PC goes off for the night now: its silence is timed while the head office syncs (next test).
  await stopTokobot(agent);
  stoppedAt = Date.now();
  assert.ok(!agent.output().includes(token), 'the token is never logged by the agent');

  // The head office's watch sees the new backup and syncs it.
  await until('the head office synced the agent\'s backup', async () =>
    (await w.query("SELECT 1 FROM sync_runs WHERE store = $1 AND status = 'success'", [w.store])).length > 0, 120_000)
    .catch((err) => { throw new Error(`${err.message}\nhead office said:\n${w.headOffice!.output().slice(-4000)}`); });
  assert.match(await ask('indomie'), /Rp \d/);

  const status = await ask('/status');
  assert.match(status, new RegExp(w.store));
  assert.match(status, /ipos/);

  const metrics = await (await fetch(`http://127.0.0.1:${w.httpPort}/metrics`)).text();
  assert.match(metrics, new RegExp(`tokobot_agent_heartbeat_age_seconds\\{store="${w.store}"\\} \\d`));
  assert.ok(metrics.includes(`job="${w.store}/ipos"`), 'the agent\'s job is among the backup metrics');
  assert.ok(!w.headOffice!.output().includes(token), 'the token is never logged by the head office');
});

test('the stopped agent raises "agent silent" at the head office within its limit (1 minute here) and a minute\'s check', { skip, timeout: 300_000 }, async () => {
  assert.ok(stoppedAt, 'the first test ran and stopped its agent');
  const alert = await w.tg.until(() => w.tg.messages(w.owner.id).find((m) => /agent/i.test(m.text ?? '') && /silent|no heartbeat|not heard/i.test(m.text ?? '')), 240_000);
  assert.match(alert.text ?? '', /The shop agent of Toko Agen went silent/);
  const after = (Date.now() - stoppedAt) / 1000;
  assert.ok(after >= 50 && after < 200, `told ${after.toFixed(0)} s after the agent stopped`);
});
