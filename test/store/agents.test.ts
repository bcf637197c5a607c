import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AgentRun, Heartbeat } from '../../src/pipeline/agents/protocol.ts';
import type { Agents, IngestBatch } from '../../src/store/agents.ts';
import type { BackupLog } from '../../src/store/backup-log.ts';
import { PgAgents } from '../../src/store/postgres/agents.ts';
import { PostgresBackupLog } from '../../src/store/postgres/postgres-backup-log.ts';
import { MemoryAgents } from '../fakes/memory-agents.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOpsForFile } from '../helpers/scratch-ops.ts';

const skip = await requireLocalPg();
const pool = scratchOpsForFile(`tokobot_agents_${process.pid}`, skip);

const run = (over: Partial<AgentRun> = {}): AgentRun => ({
  id: randomUUID(), job: 'ipos', jobType: 'postgres', trigger: 'schedule', status: 'running', stage: 'dump', stages: [{ name: 'dump', startedAt: '2026-11-30T16:00:00.000Z' }],
  startedAt: '2026-11-30T16:00:00.000Z', finishedAt: null, fileName: null, bytes: null, sha256: null, destinations: [], verification: null, error: null, failure: null, ...over,
});
const beat = (over: Partial<Heartbeat> = {}): Heartbeat => ({
  at: '2026-11-30T16:00:00.000Z', startedAt: '2026-11-30T15:00:00.000Z', timeZone: 'Asia/Makassar', disk: [{ dir: '/data', freeBytes: 5e9, totalBytes: 2e10 }],
  jobs: [{ id: 'ipos', type: 'postgres', schedule: '0 23 * * *', nextRun: '2026-11-30T15:00:00.000Z' }], outboxPending: 0, diskMinFreeBytes: 1e9, ...over,
});

let stores = 0;
/** What every Agents promises (src/store/agents.ts), on the fake and on PostgreSQL; each test on a store of its own. */
function contract(name: string, make: () => { agents: Agents; log: BackupLog }, options: { skip?: string } = {}) {
  describe(`Agents contract: ${name}`, { skip: options.skip }, () => {
    const store = () => `toko_${process.pid}_${++stores}`;
    const batch = (s: string, instance: string, reports: IngestBatch['reports'], skewMs = 0): IngestBatch => ({ store: s, instance, host: 'kasir-pc', version: '0.1.0', skewMs, reports });

    test('tokens: only the hash is kept, a revoked one is still found (and says so), its use is noted', async () => {
      const { agents } = make();
      const s = store();
      const t = await agents.addToken(s, `hash-${s}`, 'cli');
      assert.equal(t.store, s);
      assert.equal(t.revokedAt, null);
      const used = await agents.useToken(`hash-${s}`);
      assert.ok(used?.lastUsedAt, 'use noted');
      assert.equal(await agents.useToken('no-such-hash'), null);
      assert.equal(await agents.revokeTokens(s), 1);
      assert.equal(await agents.revokeTokens(s), 0, 'nothing left to revoke');
      assert.ok((await agents.useToken(`hash-${s}`))?.revokedAt, 'found, revoked');
      const listed = await agents.tokens(s);
      assert.equal(listed.length, 1);
      assert.ok(!('hash' in listed[0]!) && !JSON.stringify(listed).includes(`hash-${s}`), 'the hash is not handed out');
    });

    test('a run reported at start, stage and end is one record; replays and older reports change nothing; the end is told once', async () => {
      const { agents, log } = make();
      const s = store();
      const instance = randomUUID();
      const r = run();
      const first = await agents.ingest(batch(s, instance, [{ seq: 1, type: 'heartbeat', beat: beat() }, { seq: 2, type: 'run', run: r }]));
      assert.deepEqual({ accepted: first.accepted, duplicates: first.duplicates, lastSeq: first.lastSeq, finished: first.finished }, { accepted: 2, duplicates: 0, lastSeq: 2, finished: [] });
      const done = { ...r, status: 'success' as const, stage: null, finishedAt: '2026-11-30T16:05:00.000Z', fileName: 'ipos_20261201-000000.i5bu', bytes: 1234, sha256: 'a'.repeat(64) };
      const end = await agents.ingest(batch(s, instance, [{ seq: 3, type: 'run', run: done }]));
      assert.equal(end.finished.length, 1);
      assert.equal(end.finished[0]!.job, `${s}/ipos`);
      // The whole night replayed: counted as duplicates, nothing told twice.
      const replay = await agents.ingest(batch(s, instance, [{ seq: 2, type: 'run', run: r }, { seq: 3, type: 'run', run: done }]));
      assert.deepEqual({ accepted: replay.accepted, duplicates: replay.duplicates, lastSeq: replay.lastSeq, finished: replay.finished }, { accepted: 0, duplicates: 2, lastSeq: 3, finished: [] });
      const runs = await log.recent(`${s}/ipos`, 10);
      assert.equal(runs.length, 1, 'one record per run');
      assert.equal(runs[0]!.status, 'success');
      assert.equal(runs[0]!.bytes, 1234);
      assert.equal(runs[0]!.id, end.finished[0]!.runId);
      const agent = await agents.get(s);
      assert.equal(agent?.lastSeq, 3);
      assert.equal(agent?.timeZone, 'Asia/Makassar');
      assert.ok(agent?.beatAt);
    });

    test('a reinstalled agent (new instance) numbers from 1 again; another store cannot overwrite a run it did not make', async () => {
      const { agents, log } = make();
      const s = store();
      const other = store();
      const r = run();
      await agents.ingest(batch(s, randomUUID(), [{ seq: 1, type: 'run', run: r }, { seq: 2, type: 'heartbeat', beat: beat() }]));
      const again = await agents.ingest(batch(s, randomUUID(), [{ seq: 1, type: 'heartbeat', beat: beat({ outboxPending: 4 }) }]));
      assert.equal(again.accepted, 1);
      assert.equal((await agents.get(s))?.outboxPending, 4);
      await agents.ingest(batch(other, randomUUID(), [{ seq: 1, type: 'run', run: { ...r, status: 'failed', error: 'forged' } }]));
      const mine = await log.recent(`${s}/ipos`, 10);
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.status, 'running', 'the other store did not change it');
      assert.deepEqual(await log.recent(`${other}/ipos`, 10), []);
    });

    test('the skew is kept; list() has every agent', async () => {
      const { agents } = make();
      const s = store();
      await agents.ingest(batch(s, randomUUID(), [{ seq: 1, type: 'heartbeat', beat: beat() }], 7_200_000));
      assert.equal((await agents.get(s))?.skewMs, 7_200_000);
      assert.ok((await agents.list()).some((a) => a.store === s));
      assert.equal(await agents.get('no_such_store'), null);
    });
  });
}

contract('in memory (test fake)', () => {
  const agents = new MemoryAgents();
  return { agents, log: agents.log };
});
contract('PostgreSQL', () => ({ agents: new PgAgents(pool()), log: new PostgresBackupLog(pool()) }), { skip });
