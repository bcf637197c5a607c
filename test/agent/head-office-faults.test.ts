import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ShopWorld, stopTokobot } from '../helpers/shop-world.ts';
import { needPgDump } from '../helpers/needs.ts';
import { until } from '../helpers/until.ts';

/**
 * A shop's bad nights, between real processes: the head office down all night while the agent
 * keeps backing up, an agent killed mid-upload, a revoked token, a report forged for another store.
 * The agent runs with --once for each night's backup (as a scheduled task would), so nothing
 * waits for a clock minute.
 */
const skip = await needPgDump();
let w: ShopWorld;
let token = '';

before(async () => {
  if (skip) return;
  w = await ShopWorld.open(`f${process.pid}`);
  token = await w.newToken();
  await w.startHeadOffice();
  await w.enroll(token, '0 3 1 1 *', 10);
  await stopTokobot(w.headOffice); // the head office goes down for the night
});

after(async () => {
  if (skip) return;
  await w?.close();
});

const state = () => JSON.parse(readFileSync(path.join(w.dir, 'shop-pc', 'agent-state.json'), 'utf8')) as { pending: number; lastError: { kind: string; refusal?: string } | null };
const shipped = () => w.dropbox.paths().filter((p) => p.startsWith(`${w.folder}/`)).map((p) => path.posix.basename(p));

test('head office down all night, an agent killed mid-upload: backups go on, nothing half-made stays, and every report arrives once and in order when it is back', { skip, timeout: 300_000 }, async () => {
  for (const night of [1, 2]) {
    const r = await w.cli(['agent', '--once'], w.agentEnv());
    assert.equal(r.code, 0, `night ${night}: the backup is made without the head office\n${r.stderr}`);
  }
  assert.equal(shipped().filter((n) => /^ipos_.*\.i5bu$/.test(n)).length, 2, 'both nights\' backups are in Dropbox');
  assert.ok(state().pending > 0, 'the reports wait in the outbox');
  assert.equal(state().lastError?.kind, 'unreachable');

  // Night 3: the PC loses power in the middle of the upload: the file is up under its temporary name, not yet renamed.
  const killed = await w.cli(['agent', '--once'], w.agentEnv({ TOKOBOT_TEST_KILL_AT: 'before-rename' }));
  assert.notEqual(killed.code, 0, 'the agent was killed');
  assert.ok(shipped().some((n) => n.endsWith('.partial')), 'the killed upload left its temporary file');
  // Night 4: the next run clears what the killed one left, then makes a whole backup.
  assert.equal((await w.cli(['agent', '--once'], w.agentEnv())).code, 0);
  const files = shipped();
  assert.ok(!files.some((n) => n.startsWith('.') || n.includes('partial')), `no temporary file is left: ${files.join(', ')}`);
  const finals = files.filter((n) => /^ipos_.*\.i5bu$/.test(n));
  assert.equal(finals.length, 3, 'three whole backups: the killed one left none under a final name');
  for (const name of finals) assert.equal(w.dropbox.fileBytes(`${w.folder}/${name}`)!.subarray(0, 5).toString(), 'PGDMP');

  // Morning: the head office is back, and the agent (resident now) hands over the night.
  await w.startHeadOffice();
  const agent = w.startAgent();
  await until('every report of the night is delivered', async () => {
    if (agent.child.exitCode !== null) throw new Error(`tokobot agent ended:\n${agent.output()}`);
    try { return state().pending === 0 && (await w.agentRuns()).length >= 4; } catch { return false; }
  }, 90_000);
  const runs = await w.agentRuns();
  assert.deepEqual(runs.map((r) => r.status), ['success', 'success', 'failed', 'success'], 'each run once, as it ended');
  assert.match(String(runs[2]!.error), /interrupted|stopped|killed|power/i);
  assert.deepEqual(runs.filter((r) => r.status === 'success').map((r) => r.file_name).sort(), finals.sort());
  for (const r of runs.filter((x) => x.status === 'success')) assert.equal(Number(r.bytes), w.dropbox.fileBytes(`${w.folder}/${r.file_name}`)!.length);
  const doctor = await w.cli(['doctor'], w.agentEnv());
  assert.match(doctor.stdout, /reports to the head office: \d+ report\(s\) waiting, 0 refused; last sent \d+ \w+ \d{4} \d\d:\d\d WIB/, 'doctor tells when reports last went through');
  // In order: the reports were taken in the order the agent made them.
  const seqs = runs.map((r) => Number(r.agent_seq));
  assert.deepEqual([...seqs].sort((a, b) => a - b), seqs, 'later runs carry later reports');
  // The agent sends each job's latest run again when it starts: a restart is counted once too.
  const lastSeq = async () => Number((await w.query('SELECT last_seq FROM agents WHERE store = $1', [w.store]))[0]!.last_seq);
  const before = await lastSeq();
  await stopTokobot(agent);
  w.startAgent();
  await until('the restarted agent has reported', async () => (await lastSeq()) > before + 1, 60_000);
  assert.equal((await w.agentRuns()).length, 4, 'no run counted twice');
  const metrics = await (await fetch(`http://127.0.0.1:${w.httpPort}/metrics`)).text();
  assert.match(metrics, new RegExp(`tokobot_backup_runs\\{job="${w.store}/ipos",status="success"\\} 3`));
});

test('a revoked token is refused: the agent says so in its log and tokobot doctor says what to do; a token cannot report for another store', { skip, timeout: 120_000 }, async () => {
  const other = await w.cli(['store', 'add', w.otherStore], w.headOfficeEnv());
  const otherToken = /tka_[a-z0-9_]+_[A-Za-z0-9_-]+/.exec(other.stdout)![0];
  const forged = await fetch(`${w.url}/api/agent/v1/reports`, {
    method: 'POST', headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ store: w.store, agent: { instance: '00000000-0000-4000-8000-000000000000', host: 'x', version: '0' }, sentAt: new Date().toISOString(),
      reports: [{ seq: 1, type: 'heartbeat', beat: { at: new Date().toISOString(), startedAt: new Date().toISOString(), timeZone: 'Asia/Jakarta', disk: [], jobs: [], outboxPending: 0, diskMinFreeBytes: 0 } }] }),
  });
  assert.equal(forged.status, 403, 'a token of another store cannot report for this one');

  assert.equal((await w.cli(['store', 'revoke', w.store], w.headOfficeEnv())).code, 0);
  const agent = w.agent!;
  await until('the agent logs the refusal', () => /token-revoked/.test(agent.output()), 60_000);
  assert.match(agent.output(), /make a new token with `tokobot store add/);
  const doctor = await w.cli(['doctor'], w.agentEnv());
  assert.equal(doctor.code, 1);
  assert.match(doctor.stdout + doctor.stderr, /revoked/i);
  assert.ok(!(doctor.stdout + doctor.stderr + agent.output()).includes(token), 'the token is never printed');
});
