import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentFile } from '../../src/config/agent-file-schema.ts';
import { reportBatchSchema, type AgentRun, type Heartbeat, type Report } from '../../src/pipeline/agents/protocol.ts';
import { createScratchDb, dropScratchDb, requireLocalPg, withLocalClient } from '../helpers/local-pg.ts';
import { needPgDump } from '../helpers/needs.ts';
import { SCHEMA } from '../helpers/sample-archives.ts';
import { TOKOBOT_BIN } from '../helpers/tokobot-cli.ts';
import { until } from '../helpers/until.ts';

const skip = (await requireLocalPg()) ?? (await needPgDump());
const DB = `tokobot_t_agent_${process.pid}`;
const TOKEN = 'tka_e2e_secret_0123456789abcdefghij';
const root = mkdtempSync(path.join(tmpdir(), 'tokobot-agent-e2e-'));
const dataDir = path.join(root, 'data');
const copies = path.join(root, 'copies');

/** The head office stand-in: takes report batches with the token (or answers 503 while `down`), keeps every report in arrival order. */
const received: Report[] = [];
const batches: { auth?: string }[] = [];
let down = true;
const headOffice = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    batches.push({ auth: req.headers.authorization });
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => { res.writeHead(status, { 'content-type': 'application/json', ...headers }); res.end(JSON.stringify(json)); };
    if (req.url !== '/api/agent/v1/reports' || req.headers.authorization !== `Bearer ${TOKEN}`) return answer(404, { error: 'token-unknown', message: { en: 'no', id: 'tidak' } });
    if (down) return answer(503, { error: 'busy', message: { en: 'Busy.', id: 'Sibuk.' } }, { 'retry-after': '1' });
    const batch = reportBatchSchema.parse(JSON.parse(body));
    for (const r of batch.reports) if (!received.some((x) => x.seq === r.seq)) received.push(r);
    answer(200, { accepted: batch.reports.length, duplicates: 0, lastSeq: Math.max(...received.map((r) => r.seq)) });
  });
});

let env: Record<string, string> = {};
const children: ReturnType<typeof spawn>[] = [];

before(async () => {
  if (skip) return;
  await createScratchDb(DB);
  await withLocalClient(DB, (c) => c.query(SCHEMA));
  await new Promise<void>((resolve) => headOffice.listen(0, '127.0.0.1', resolve));
  mkdirSync(dataDir);
  const agentFile: AgentFile = {
    headOffice: { url: `http://127.0.0.1:${(headOffice.address() as AddressInfo).port}`, token: TOKEN, store: 'cabang_1', instance: '7d1f3a52-8a43-4a4e-9a55-5f0e5d1c2b11' },
    jobs: [{ id: 'ipos', type: 'postgres', urlEnv: 'IPOS_DB_URL', ipos: true, schedule: '0 2 * * *', destinations: [{ type: 'local', dir: copies }] }],
    heartbeatSeconds: 10,
  };
  writeFileSync(path.join(dataDir, 'agent.json'), JSON.stringify(agentFile), { mode: 0o600 });
  env = { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, TOKOBOT_LANG: 'en', LOG_LEVEL: 'info', STORE_TZ: 'Asia/Jakarta', IPOS_DB_URL: `postgres://postgres@127.0.0.1:5432/${DB}` };
});

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  headOffice.closeAllConnections();
  headOffice.close();
  if (!skip) await dropScratchDb(DB);
  rmSync(root, { recursive: true, force: true });
});

/** `tokobot agent ARGS` as a process of its own (cwd: a folder with no .env). */
function agentProcess(args: string[]) {
  const child = spawn(process.execPath, [TOKOBOT_BIN, 'agent', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = { stderr: '', code: null as number | null };
  child.stderr.on('data', (d) => { out.stderr += d; });
  child.stdout.on('data', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { out.code = code; resolve(code); }));
  return { child, out, exited };
}

test('tokobot agent: dumps the shop\'s database, keeps its reports through a head office outage, then delivers them in order', { skip, timeout: 120_000 }, async () => {
  // The head office is down: the backup is made and stored all the same; its reports wait in the outbox.
  const once = agentProcess(['--once']);
  assert.equal(await once.exited, 0, once.out.stderr);
  const [file] = readdirSync(copies);
  assert.match(file ?? '', /^ipos_.*\.i5bu$/);
  assert.deepEqual(readdirSync(copies), [file], 'only the final name, no partial file');
  assert.ok(readdirSync(path.join(dataDir, 'agent-outbox')).filter((n) => n.endsWith('.json')).length >= 5, 'the run\'s reports are kept');
  assert.equal(received.length, 0);
  const state = JSON.parse(readFileSync(path.join(dataDir, 'agent-state.json'), 'utf8'));
  assert.equal(state.lastError.kind, 'unreachable');

  // Back up: a resident agent sends what was kept, oldest first, then its own heartbeat; it stops on SIGTERM.
  down = false;
  const resident = agentProcess([]);
  await until('the kept reports and a new heartbeat arrive', () => received.filter((r) => r.type === 'heartbeat').length >= 2 && readdirSync(path.join(dataDir, 'agent-outbox')).filter((n) => /^\d+\.json$/.test(n)).length === 0, 30_000);
  resident.child.kill('SIGTERM');
  assert.equal(await resident.exited, 0, resident.out.stderr);
  assert.ok(!existsSync(path.join(dataDir, 'agent.pid')), 'the pid lock is given back');

  assert.deepEqual(received.map((r) => r.seq), received.map((_, i) => i + 1), 'every seq once, in order, none missing');
  const runs = received.filter((r): r is Extract<Report, { type: 'run' }> => r.type === 'run').map((r) => r.run);
  assert.equal(new Set(runs.map((r) => r.id)).size, 1, 'one run, reported under one UUID');
  assert.deepEqual([runs[0]?.status, runs.at(-1)?.status], ['pending', 'success']);
  const last = runs.at(-1) as AgentRun;
  const bytes = readFileSync(path.join(copies, file as string));
  assert.deepEqual([last.fileName, last.bytes, last.sha256], [file, statSync(path.join(copies, file as string)).size, createHash('sha256').update(bytes).digest('hex')]);
  assert.deepEqual(last.verification && { ok: last.verification.ok, tables: last.verification.tables, rows: last.verification.rows }, { ok: true, tables: 3, rows: 2 + 400 + 800 });
  assert.deepEqual(last.stages.map((s) => s.name), ['dump', 'verify', 'upload', 'prune']);
  assert.ok(last.stages.every((s) => s.endedAt), 'every stage has its end (durations)');
  assert.equal(last.destinations[0]?.location, path.join(copies, file as string));
  const beat = (received.filter((r) => r.type === 'heartbeat').at(-1) as { beat: Heartbeat }).beat;
  assert.deepEqual(beat.jobs.map((j) => [j.id, j.type, j.schedule]), [['ipos', 'postgres', '0 2 * * *']]);
  assert.ok(beat.jobs[0]?.nextRun);
  assert.deepEqual(beat.disk.map((d) => d.dir), [dataDir, copies]);
  assert.ok(beat.disk.every((d) => d.freeBytes > 0 && d.totalBytes >= d.freeBytes));
  assert.equal(beat.timeZone, 'Asia/Jakarta');
  assert.ok(batches.every((b) => b.auth === `Bearer ${TOKEN}`));
  for (const text of [once.out.stderr, resident.out.stderr]) assert.ok(!text.includes(TOKEN), 'the token is never logged');
  const after = JSON.parse(readFileSync(path.join(dataDir, 'agent-state.json'), 'utf8'));
  assert.deepEqual([after.lastError, after.pending, after.rejected], [null, 0, 0]);
});

test('a second agent on the same DATA_DIR is refused, naming the pid that runs', { skip, timeout: 60_000 }, async () => {
  const first = agentProcess([]);
  await until('the first agent holds DATA_DIR', () => existsSync(path.join(dataDir, 'agent.pid')), 20_000);
  const second = agentProcess([]);
  assert.notEqual(await second.exited, 0);
  assert.match(second.out.stderr, new RegExp(`pid ${first.child.pid}`));
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0, first.out.stderr);
});

test('an agent killed mid-upload: the next start ends that run as failed and reports it, no half file stays, the next backup is whole', { skip, timeout: 120_000 }, async () => {
  down = false;
  const before = new Set(readdirSync(copies));
  const killed = spawn(process.execPath, [TOKOBOT_BIN, 'agent', '--once'], { cwd: root, env: { ...env, TOKOBOT_TEST_KILL_AT: 'mid-upload' }, stdio: 'ignore' });
  children.push(killed);
  const signal = await new Promise((resolve) => killed.on('close', (_code, sig) => resolve(sig)));
  assert.equal(signal, 'SIGKILL');
  assert.ok(existsSync(path.join(dataDir, 'agent.pid')), 'a killed agent leaves its pid file');

  const next = agentProcess(['--once']);
  assert.equal(await next.exited, 0, next.out.stderr);
  const added = readdirSync(copies).filter((n) => !before.has(n));
  assert.equal(added.length, 1, `only the new backup, whole: ${added.join(', ')}`);
  assert.match(added[0] ?? '', /^ipos_.*\.i5bu$/);
  await until('the reports of both runs arrive', () => readdirSync(path.join(dataDir, 'agent-outbox')).filter((n) => /^\d+\.json$/.test(n)).length === 0, 20_000);
  const byRun = new Map<string, AgentRun>();
  for (const r of received) if (r.type === 'run') byRun.set(r.run.id, r.run);
  const ends = [...byRun.values()].slice(-2);
  assert.equal(ends[0]?.status, 'failed');
  assert.match(ends[0]?.error ?? '', /stopped during this backup/);
  assert.equal(ends[1]?.status, 'success');
  assert.deepEqual(received.map((r) => r.seq), received.map((_, i) => i + 1), 'still every seq once, in order');
});
