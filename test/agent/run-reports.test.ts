import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobConfig } from '../../src/config/jobs-from.ts';
import { AppError } from '../../src/errors.ts';
import { agentRunSchema, heartbeatSchema, MAX_CHECKED_TABLES } from '../../src/pipeline/agents/protocol.ts';
import { compareRows } from '../../src/pipeline/backup/restore-check.ts';
import { agentRun, heartbeat, ReportingBackupLog } from '../../src/pipeline/agents/run-reports.ts';
import { runBackup, type BackupDeps } from '../../src/pipeline/backup/backup-job.ts';
import type { BackupRun } from '../../src/store/backup-log.ts';
import { FileBackupLog } from '../../src/store/file/file-backup-log.ts';
import { ProcessLocks } from '../../src/store/file/process-locks.ts';
import type { ReportBody } from '../../src/store/file/report-outbox.ts';
import { MemoryBackupDestination } from '../fakes/memory-backup-destination.ts';

const made: string[] = [];
const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), 'tokobot-agent-reports-')); made.push(d); return d; };
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

const job: JobConfig = {
  id: 'ipos', type: 'postgres', url: 'postgres://x@127.0.0.1/i5', destinations: [], retention: { keepLast: 7, daily: 7, weekly: 4, monthly: 6 },
  verify: true, timeoutMs: 60_000, extension: '.i5bu',
};
const quiet = { info: () => undefined, warn: () => undefined } as never;

async function reportingRun(dump: (out: NodeJS.WritableStream) => Promise<void>) {
  const dir = tempDir();
  const queued: (ReportBody & { type: 'run' })[] = [];
  const fileLog = await FileBackupLog.open(FileBackupLog.pathIn(dir));
  let wakes = 0;
  const log = new ReportingBackupLog(fileLog, { enqueue: async (b) => { queued.push(b as never); return queued.length; } }, new Map([['ipos', 'postgres']]), quiet, () => { wakes++; });
  const locks = new ProcessLocks();
  const destination = new MemoryBackupDestination();
  const deps: BackupDeps = {
    log, lock: (n) => locks.tryLock(n), target: {} as never, workRoot: path.join(dir, 'backups'), logger: quiet,
    postgres: async () => ({ description: 'PostgreSQL test', dump: (out) => dump(out) }),
    mysql: async () => { throw new Error('no mysql'); },
    destinations: () => [destination],
    verifyPostgres: async () => ({ ok: true, detail: 'read the whole archive: 1 tables, 2 rows', tables: 1, rows: 2 }),
  };
  const run = await runBackup(deps, job, 'schedule');
  await log.reportFinished(run);
  return { run, queued, wakes, fileLog };
}

test('every start and change of a run queues the whole run under its UUID, valid for the protocol', async () => {
  const { run, queued, wakes, fileLog } = await reportingRun(async (out) => { out.write('PGDMP fake dump'); });
  assert.equal(run.status, 'success');
  assert.ok(queued.length >= 6, `${queued.length} reports`);
  assert.equal(wakes, queued.length);
  for (const r of queued) agentRunSchema.parse(r.run);
  assert.ok(queued.every((r) => r.run.id === fileLog.uuidOf(run.id)));
  assert.deepEqual([queued[0]?.run.status, queued.at(-1)?.run.status], ['pending', 'success']);
  const last = queued.at(-1)!.run;
  assert.deepEqual(last.verification, { ok: true, detail: 'read the whole archive: 1 tables, 2 rows', tables: 1, rows: 2 });
  assert.equal(last.destinations[0]?.destination, 'the memory backup destination');
  assert.deepEqual(last.stages.map((s) => s.name), ['dump', 'verify', 'upload', 'prune']);
});

test('a failed run reports its error and its kind', async () => {
  const { run, queued } = await reportingRun(async () => { throw new AppError('unreachable', 'postgres', { en: 'the iPOS database does not answer', id: 'database iPOS tidak menjawab' }); });
  assert.equal(run.status, 'failed');
  const last = queued.at(-1)!.run;
  assert.equal(last.status, 'failed');
  assert.match(last.error ?? '', /dump: the iPOS database does not answer/);
  assert.deepEqual(last.failure, { kind: 'unreachable', system: 'postgres' });
  assert.match(last.errorId ?? '', /dump: database iPOS tidak menjawab/, 'the ended run\'s Indonesian error is reported too');
});

test('texts longer than the protocol takes are cut; a heartbeat leaves out a folder it cannot read', async () => {
  const long = 'x'.repeat(10_000);
  const run: BackupRun = {
    id: 1, job: 'ipos', trigger: long, status: 'failed', stage: long, stages: [], startedAt: new Date(), finishedAt: new Date(), fileName: long, bytes: 1, sha256: 'nothex',
    destinations: Array.from({ length: 30 }, () => ({ destination: long, error: long })), verification: { ok: false, detail: long }, error: long, errorId: long, failure: null,
  };
  agentRunSchema.parse(agentRun(run, '7d1f3a52-8a43-4a4e-9a55-5f0e5d1c2b11', 'postgres'));
  const beat = await heartbeat({
    startedAt: new Date(), timeZone: 'Asia/Jakarta', dirs: ['/a', '/b', '/a'], jobs: () => [], outboxPending: () => 4, diskMinFreeBytes: 5,
    diskSpace: async (dir) => { if (dir === '/b') throw new Error('gone'); return { freeBytes: 1, totalBytes: 2 }; },
  });
  heartbeatSchema.parse(beat);
  assert.deepEqual(beat.disk, [{ dir: '/a', freeBytes: 1, totalBytes: 2 }]);
  assert.equal(beat.outboxPending, 4);
});

test('a run\'s restore check travels to the head office; past the protocol\'s limit only its differing tables; a report without one still parses', async () => {
  const base: BackupRun = {
    id: 2, job: 'ipos', trigger: 'schedule', status: 'failed', stage: 'verify', stages: [], startedAt: new Date(), finishedAt: new Date(), fileName: null, bytes: null, sha256: null,
    destinations: [], verification: { ok: true, detail: 'read the whole archive: 1 tables, 2 rows', tables: 1, rows: 2 }, error: 'verify: differs', failure: null,
  };
  const uuid = '7d1f3a52-8a43-4a4e-9a55-5f0e5d1c2b11';
  assert.equal(agentRunSchema.parse(agentRun(base, uuid, 'mysql')).verification?.restoreCheck, undefined, 'agents before issue 17 send none');
  const small = compareRows({ a: 1, b: 2 }, { a: 1, b: 3 });
  assert.deepEqual(agentRunSchema.parse(agentRun({ ...base, verification: { ...base.verification!, restoreCheck: small } }, uuid, 'mysql')).verification?.restoreCheck, small);
  const names = Array.from({ length: MAX_CHECKED_TABLES + 10 }, (_, i) => `t${i}`);
  const big = compareRows(Object.fromEntries(names.map((n) => [n, 5])), Object.fromEntries(names.map((n, i) => [n, i % 1000 === 0 ? 4 : 5])));
  const sent = agentRunSchema.parse(agentRun({ ...base, verification: { ...base.verification!, restoreCheck: big } }, uuid, 'mysql')).verification?.restoreCheck;
  assert.deepEqual({ checked: sent?.checked, mismatches: sent?.mismatches }, { checked: MAX_CHECKED_TABLES + 10, mismatches: 3 });
  assert.deepEqual(sent?.tables.map((t) => t.table), ['t0', 't1000', 't2000']);
  assert.throws(() => agentRunSchema.parse({ ...agentRun(base, uuid, 'mysql'), verification: { ok: true, detail: 'x', restoreCheck: { checked: 1, mismatches: 0, tables: [{ table: 'a', source: -1, restored: 1 }] } } }));
});
