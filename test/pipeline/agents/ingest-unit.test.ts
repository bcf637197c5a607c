import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { StoreConfig } from '../../../src/config/stores-from.ts';
import { AlertEngine } from '../../../src/pipeline/alerts/alert-engine.ts';
import { AgentIngest, runOnOurClock, type IngestAnswer } from '../../../src/pipeline/agents/ingest.ts';
import type { AgentRun, RefusalBody, ReportBatch } from '../../../src/pipeline/agents/protocol.ts';
import { createAgentToken } from '../../../src/pipeline/agents/tokens.ts';
import { MemoryAgents } from '../../fakes/memory-agents.ts';
import { MemoryAlertStore } from '../../fakes/memory-alert-stores.ts';

/** AgentIngest over the in-memory Agents: the protocol's decisions without HTTP or a database (agent-ingest.test.ts has both). */
const shop: StoreConfig = { id: 'shop', name: 'Toko', schedule: '0 * * * *', timeZone: 'Asia/Jakarta', source: { type: 'folder', dir: '/x' } };
const silent = { warn: () => undefined, error: () => undefined };
const refusalOf = (a: IngestAnswer) => (a.body as RefusalBody).error;

async function setup(now = () => Date.parse('2026-11-30T12:00:00Z')) {
  const agents = new MemoryAgents();
  const alerts = new AlertEngine({ store: new MemoryAlertStore(), recipients: [], remindMs: 3_600_000, zone: 'Asia/Jakarta' });
  const ingest = new AgentIngest({ agents, stores: [shop], runs: agents.log, alerts, ratePerMinute: 5, version: '9.9.9', logger: silent, now });
  const { token } = await createAgentToken(agents, 'shop', 'test');
  return { agents, alerts, ingest, caller: { authorization: `Bearer ${token}`, from: '10.0.0.1' } };
}

const run = (o: Partial<AgentRun> = {}): AgentRun => ({
  id: randomUUID(), job: 'ipos', jobType: 'postgres', trigger: 'schedule', status: 'running', stage: 'dump', stages: [{ name: 'dump', startedAt: '2026-11-30T14:00:00.000Z', endedAt: '2026-11-30T14:01:00.000Z' }],
  startedAt: '2026-11-30T14:00:00.000Z', finishedAt: null, fileName: null, bytes: null, sha256: null, destinations: [], verification: null, error: null, failure: null, ...o,
});
const body = (b: Partial<ReportBatch> & Pick<ReportBatch, 'reports'>) => async () => JSON.stringify({
  store: 'shop', agent: { instance: '5f0c4c53-54a4-4b8e-9d6c-1f0d4c6f3a10', host: 'kasir', version: '9.9.9' }, sentAt: '2026-11-30T14:00:00.000Z', ...b });

test('times move by the skew: an agent two hours ahead', () => {
  const moved = runOnOurClock(run({ finishedAt: '2026-11-30T14:05:00.000Z' }), 2 * 3_600_000);
  assert.equal(moved.startedAt, '2026-11-30T12:00:00.000Z');
  assert.equal(moved.finishedAt, '2026-11-30T12:05:00.000Z');
  assert.deepEqual(moved.stages[0], { name: 'dump', startedAt: '2026-11-30T12:00:00.000Z', endedAt: '2026-11-30T12:01:00.000Z' });
});

test('a batch sent at 14:00 by the agent and arriving at 12:00 is stored on the head office\'s clock, skew +2 h', async () => {
  const { agents, ingest, caller } = await setup();
  const r = run();
  const a = await ingest.reports(caller, body({ reports: [{ seq: 1, type: 'run', run: r }] }));
  assert.deepEqual(a, { status: 200, body: { accepted: 1, duplicates: 0, lastSeq: 1 } });
  assert.equal((await agents.get('shop'))?.skewMs, 2 * 3_600_000);
  assert.equal((await agents.log.recent('shop/ipos'))[0]?.startedAt.toISOString(), '2026-11-30T12:00:00.000Z');
});

test('refusals: a malformed header, another store, a bad batch (issues, short), a token over its rate', async () => {
  const { ingest, caller } = await setup();
  assert.equal(refusalOf(await ingest.hello({ authorization: 'Basic abc', from: 'x' })), 'token-missing');
  const forged = await ingest.reports(caller, body({ store: 'other', reports: [{ seq: 1, type: 'heartbeat', beat: undefined as never }] }));
  assert.equal(forged.status, 400, 'parsed before the store is compared: a forged batch must be a valid one');
  const other = await ingest.reports(caller, async () => JSON.stringify({ ...JSON.parse(await body({ reports: [{ seq: 1, type: 'run', run: run() }] })()), store: 'other' }));
  assert.deepEqual([other.status, refusalOf(other)], [403, 'wrong-store']);
  const bad = await ingest.reports(caller, body({ reports: [] }));
  assert.equal(bad.status, 400);
  assert.deepEqual((bad.body as { issues: string[] }).issues, ['reports: Too small: expected array to have >=1 items']);
  const over = await ingest.hello(caller);
  assert.equal(over.status, 200, 'the fourth request of five');
  assert.equal((await ingest.hello(caller)).status, 200);
  const limited = await ingest.hello(caller);
  assert.deepEqual([limited.status, limited.retryAfterSeconds], [429, 60]);
});
