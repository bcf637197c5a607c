import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { FolderDestination } from '../../../src/adapters/folder/folder-destination.ts';
import type { JobConfig, StoreConfig } from '../../../src/config/load-config.ts';
import { isAppError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/log.ts';
import { BackupRunner } from '../../../src/pipeline/backup/backup-runner.ts';
import type { BackupDeps } from '../../../src/pipeline/backup/backup-job.ts';
import type { PostgresDumper } from '../../../src/pipeline/backup/ports.ts';
import { storeDatabases } from '../../../src/pipeline/databases.ts';
import type { BackupFile, BackupSource } from '../../../src/pipeline/ports.ts';
import { publishRun } from '../../../src/pipeline/publish.ts';
import { SyncRunner } from '../../../src/pipeline/sync/sync-runner.ts';
import type { SyncDeps } from '../../../src/pipeline/sync/sync-store.ts';
import type { OpsStores } from '../../../src/store/index.ts';
import { FakeRestoreTarget } from '../../fakes/fake-restore-target.ts';
import { MemoryBackupLog } from '../../fakes/memory-backup-log.ts';
import { MemoryRunHistory } from '../../fakes/memory-run-history.ts';
import { createMemoryStores, MemoryLocks } from '../../fakes/memory-stores.ts';

// The run lifecycle both kinds share (src/pipeline/runs), driven through SyncRunner and
// BackupRunner over the in-memory stores, the fake restore server and a local folder: no database.

const STORE: StoreConfig = { id: 'pusat', name: 'Toko Pusat', schedule: '*/30 * * * *', source: { type: 'folder', dir: '/not-read' } };
const JOB: JobConfig = { id: 'webshop', type: 'postgres', url: 'postgres://x/y', destinations: [], retention: { keepLast: 3, daily: 0, weekly: 0, monthly: 0 },
  verify: false, timeoutMs: 60_000, extension: '.dump' };
const BY = 'Budi (chat:1)';
const CSV = 'store,kodeitem,namaitem,jenis,merek,satuan,konversi,barcode,sistemhargajual,level,jmlsampai,hargapokok,hargajual,stok\n' +
  'pusat,A1,SABUN MANDI,UMUM,LUX,PCS,1,"8991",L,,,2500,3000,10\n';

/** A promise someone else resolves. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { open, opened };
}

/** What the runner logs, by level. */
function recordingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_obj: unknown, msg?: string) => { lines.push({ level, msg: msg ?? '' }); };
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

function scratchDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), `tokobot-lifecycle-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A source whose one backup downloads only once `release` opens (`reached` opens when the download starts); none with `empty`. */
function blockingSource(options: { empty?: boolean } = {}) {
  const reached = gate();
  const release = gate();
  const file: BackupFile = { id: 'harian', name: 'harian.i5bu', size: 5, modifiedAt: new Date('2026-11-23T01:00:00Z') };
  const source: BackupSource = {
    description: 'the test folder',
    list: async () => (options.empty ? [] : [file]),
    download: async (_file, dest) => {
      reached.open();
      await release.opened;
      await writeFile(dest, 'PGDMP');
      return { bytes: 5, contentHash: 'new-hash' };
    },
  };
  return { source, reached, release };
}

/** The sync side in memory, with a price list already published for the store. */
async function syncWorld(t: TestContext, options: { empty?: boolean } = {}) {
  const dir = scratchDir(t);
  const stores = createMemoryStores();
  const target = new FakeRestoreTarget();
  const { source, reached, release } = blockingSource(options);
  const deps: SyncDeps = {
    stores: [STORE], runs: stores.runs, priceLists: stores.priceLists, locks: stores.locks, target, sourceFor: () => source, dataDir: dir,
    settings: { exportKeep: 3, maxRowDrop: 0.5, zipMaxRatio: 100, restoreJobs: 1 }, logger: createLogger('silent'), freeSpace: async () => 1024 ** 4,
  };
  const csvPath = path.join(dir, 'published.csv');
  writeFileSync(`${csvPath}.tmp`, CSV);
  await publishRun(stores.priceLists, { store: STORE.id, runId: await stores.runs.start(STORE.id, 'cli'), tmpCsvPath: `${csvPath}.tmp`, csvPath,
    contentHash: 'old-hash', sourceFile: 'kemarin.i5bu', sourceModified: new Date('2026-11-22T01:00:00Z'), archive: {}, rowCount: 1, stages: [] });
  const log = recordingLogger();
  return { dir, stores, target, deps, reached, release, log, runner: new SyncRunner(deps, log.logger) };
}

/** A database whose dump writes half, then waits for `release` (or stops when told to). */
class GatedDumper implements PostgresDumper {
  readonly description = 'the test database';
  readonly reached = gate();
  readonly release = gate();

  async dump(out: Writable, options: { signal?: AbortSignal } = {}): Promise<void> {
    out.write('PGDMP first half');
    this.reached.open();
    await new Promise<void>((resolve, reject) => {
      const stop = () => reject(options.signal?.reason);
      if (options.signal?.aborted) return stop();
      options.signal?.addEventListener('abort', stop, { once: true });
      void this.release.opened.then(() => { options.signal?.removeEventListener('abort', stop); resolve(); });
    });
    out.write(' second half');
  }
}

/** The backup side in memory, delivering to a local folder. */
function backupWorld(t: TestContext) {
  const dir = scratchDir(t);
  const dest = path.join(dir, 'dest');
  mkdirSync(dest);
  const log = new MemoryBackupLog();
  const locks = new MemoryLocks();
  const dumper = new GatedDumper();
  const deps: BackupDeps = {
    log, lock: (name) => locks.tryLock(name), target: new FakeRestoreTarget(), workRoot: path.join(dir, 'work'), postgres: async () => dumper,
    mysql: async () => { throw new Error('no MySQL in this test'); }, destinations: () => [new FolderDestination(dest)],
    logger: { info: () => undefined, warn: () => undefined }, now: () => new Date(Date.UTC(2026, 10, 23, 2)),
  };
  const logged = recordingLogger();
  return { dir, dest, log, locks, dumper, deps, logged, runner: new BackupRunner(deps, [JOB], logged.logger) };
}

const busy = (err: unknown) => isAppError(err) && err.kind === 'busy' && /already running/.test(err.message);

test('a second run of a store or a job in this process is refused busy, for both kinds, while the first shows its progress', async (t) => {
  const s = await syncWorld(t);
  const first = s.runner.run(STORE, 'schedule');
  await s.reached.opened;
  assert.equal(s.runner.progress(STORE.id)?.stage, 'download');
  await assert.rejects(s.runner.run(STORE, 'chat:1'), busy);
  assert.equal(s.runner.progress(STORE.id)?.stage, 'download', 'the refused run changed nothing of the running one');
  s.runner.cancel(STORE.id, BY);
  s.release.open();
  await first;
  assert.equal(s.runner.progress(STORE.id), null);

  const b = backupWorld(t);
  const running = b.runner.run(JOB, 'schedule');
  await b.dumper.reached.opened;
  assert.equal(b.runner.progress(JOB.id)?.stage, 'dump');
  await assert.rejects(b.runner.run(JOB, 'chat:1'), busy);
  assert.equal(b.runner.progress(JOB.id)?.stage, 'dump', 'the refused run changed nothing of the running one');
  b.dumper.release.open();
  const run = await running;
  assert.equal(run.status, 'success', run.error ?? '');
  assert.deepEqual(readdirSync(b.dest), [run.fileName]);
  assert.deepEqual(run.stages.map((st) => [st.name, Boolean(st.endedAt)]), [['dump', true], ['upload', true], ['prune', true]], 'backup runs record their stages');
  assert.equal(b.log.runs.length, 1, 'the refused run recorded nothing');
});

test('a run whose lock another process holds is refused busy and records nothing, for both kinds', async (t) => {
  const s = await syncWorld(t);
  const elsewhere = await s.stores.locks.tryLock(`sync:${STORE.id}`);
  await assert.rejects(s.runner.run(STORE, 'schedule'), busy);
  assert.equal(s.runner.progress(STORE.id), null);
  assert.equal((await s.stores.runs.recent(STORE.id, 5)).length, 1, 'only the publication\'s run');
  await elsewhere?.();

  const b = backupWorld(t);
  const held = await b.locks.tryLock(`backup:${JOB.id}`);
  await assert.rejects(b.runner.run(JOB, 'schedule'), busy);
  assert.deepEqual(b.log.runs, []);
  await held?.();
});

test('cancel mid-sync: the run ends failed saying who stopped it, nothing is published, the run log has its stages', async (t) => {
  const s = await syncWorld(t);
  const history = new MemoryRunHistory(s.stores.runs, new MemoryBackupLog());
  const before = await s.stores.priceLists.published(STORE.id);
  const running = s.runner.run(STORE, 'chat:2');
  await s.reached.opened;
  assert.deepEqual((await history.running('sync')).map((r) => [r.subject, r.stage]), [[STORE.id, 'download']]);
  assert.equal(s.runner.cancel('gudang', BY), null, 'nothing of that name runs');
  const stopped = s.runner.cancel(STORE.id, BY);
  assert.equal(stopped?.stage, 'download');
  s.release.open(); // the download does not listen: the run stops at the next stage
  const o = await running;
  assert.deepEqual([o.status, o.failedStage], ['failed', 'download']);
  assert.equal(o.error, 'Cancelled by Budi (chat:1); nothing was published (the price list in use stays as it was).');
  assert.deepEqual(await stopped?.ended, { status: 'failed', error: o.error });
  assert.deepEqual(await s.stores.priceLists.published(STORE.id), before);
  assert.ok(!s.target.methods().includes('restore') && !s.target.databases.has(storeDatabases(STORE.id).staging));
  assert.deepEqual(await history.running(), []);
  const [run] = await s.stores.runs.recent(STORE.id, 1);
  assert.deepEqual([run?.status, run?.stage, run?.error], ['failed', 'download', o.error]);
  assert.deepEqual(run?.stages.map((st) => [st.name, Boolean(st.endedAt)]), [['check', true], ['download', true]]);
  assert.ok(!existsSync(path.join(s.dir, 'work', STORE.id)), 'the downloaded file is gone with the work folder');
});

test('cancel mid-backup: the run ends failed saying who stopped it and that no file was kept', async (t) => {
  const b = backupWorld(t);
  const running = b.runner.run(JOB, 'schedule');
  await b.dumper.reached.opened;
  const stopped = b.runner.cancel(JOB.id, BY);
  const run = await running;
  assert.equal(run.status, 'failed');
  assert.equal(run.error, 'dump: Cancelled by Budi (chat:1); no file from it was kept.');
  assert.equal(run.errorId, 'dump: Dibatalkan oleh Budi (chat:1); tidak ada file darinya yang disimpan.', 'the Indonesian alongside, for the reader');
  assert.equal((await b.log.get(run.id))?.errorId, undefined, 'the log keeps the English only');
  assert.deepEqual(await stopped?.ended, { status: 'failed', error: run.error });
  assert.deepEqual(run.stages.map((st) => [st.name, Boolean(st.endedAt)]), [['dump', true]]);
  assert.deepEqual(readdirSync(b.dest), []);
  assert.deepEqual(readdirSync(path.join(b.deps.workRoot, JOB.id)), []);
  assert.ok(b.logged.lines.some((l) => l.level === 'error' && l.msg === 'backup finished'));
});

test('shutdown: a run that ends within the grace ends as it would; one still running after it is stopped; new runs are refused', async (t) => {
  const b = backupWorld(t);
  const quick = b.runner.run(JOB, 'schedule');
  await b.dumper.reached.opened;
  setTimeout(() => b.dumper.release.open(), 50);
  await b.runner.shutdown(10_000);
  assert.equal((await quick).status, 'success');
  await assert.rejects(b.runner.run(JOB, 'cli'), (err) => isAppError(err) && err.kind === 'interrupted' && /shutting down/.test(err.message));

  const late = backupWorld(t);
  const stuck = late.runner.run(JOB, 'schedule');
  await late.dumper.reached.opened;
  const started = Date.now();
  await late.runner.shutdown(100);
  assert.ok(Date.now() - started >= 90, 'the grace was given');
  const run = await stuck;
  assert.equal(run.error, 'dump: tokobot was shut down during this backup; no file from it was kept. It runs again at its next time.');
  assert.deepEqual(readdirSync(late.dest), []);
  assert.ok(late.logged.lines.some((l) => l.level === 'warn' && /stopping running backup runs/.test(l.msg)));

  const s = await syncWorld(t);
  const sync = s.runner.run(STORE, 'schedule');
  await s.reached.opened;
  const stopping = s.runner.shutdown(0);
  s.release.open();
  await stopping;
  const o = await sync;
  assert.equal(o.status, 'failed');
  assert.match(o.error ?? '', /shutting down; nothing was published/);
  assert.ok((await s.stores.runs.recent(STORE.id, 5)).every((r) => r.status !== 'running'));
});

test('a listener that fails is logged; the run, and the listeners after it, are not affected', async (t) => {
  const b = backupWorld(t);
  const heard: string[] = [];
  b.runner.onFinished(() => { throw new Error('alert store down'); });
  b.runner.onFinished(async (run, job) => { heard.push(`${job.id} ${run.status}`); });
  b.dumper.release.open();
  const run = await b.runner.run(JOB, 'cli');
  assert.equal(run.status, 'success');
  assert.deepEqual(heard, ['webshop success']);
  assert.ok(b.logged.lines.some((l) => l.level === 'warn' && l.msg === 'a listener of finished backup runs failed'));

  const s = await syncWorld(t, { empty: true });
  s.runner.onFinished(async () => { throw new Error('alert store down'); });
  const o = await s.runner.run(STORE, 'cli');
  assert.deepEqual([o.status, o.failedStage], ['failed', 'check']);
  assert.ok(s.log.lines.some((l) => l.level === 'warn' && l.msg === 'a listener of finished sync runs failed'));
});

/** A sync run a dead process left "running", with the spare database it had made. */
async function leftSyncRun(stores: OpsStores, target: FakeRestoreTarget): Promise<number> {
  const id = await stores.runs.start(STORE.id, 'schedule');
  await stores.runs.update(id, { stage: 'restore' });
  await target.createDatabase(storeDatabases(STORE.id).staging);
  return id;
}

test('crash recovery: at start, for what no other process runs, and before each run; a recovery that fails at start is logged', async (t) => {
  const s = await syncWorld(t, { empty: true });
  const crashed = await leftSyncRun(s.stores, s.target);
  const elsewhere = await s.stores.locks.tryLock(`sync:${STORE.id}`);
  await s.runner.recover();
  assert.equal((await s.stores.runs.recent(STORE.id, 1))[0]?.status, 'running', 'a store syncing in another process is left alone');
  await elsewhere?.();
  await s.runner.recover();
  const [recovered] = await s.stores.runs.recent(STORE.id, 1);
  assert.deepEqual([recovered?.id, recovered?.status], [crashed, 'failed']);
  assert.match(recovered?.error ?? '', /^interrupted: tokobot stopped during the restore stage/);
  assert.ok(!s.target.databases.has(storeDatabases(STORE.id).staging));

  const again = await leftSyncRun(s.stores, s.target);
  const o = await s.runner.run(STORE, 'cli');
  const runs = await s.stores.runs.recent(STORE.id, 2);
  assert.deepEqual(runs.map((r) => [r.id, r.status]), [[o.runId, 'failed'], [again, 'failed']], 'the dead run was ended before the new one started');
  assert.ok(!s.target.databases.has(storeDatabases(STORE.id).staging));

  s.target.failAt('dropDatabase');
  await leftSyncRun(s.stores, s.target);
  await s.runner.recover();
  assert.ok(s.log.lines.some((l) => l.level === 'warn' && /crash recovery of sync pusat failed/.test(l.msg)));

  const b = backupWorld(t);
  const dead = await b.log.start(JOB.id, 'schedule');
  await b.log.update(dead, { stage: 'upload', fileName: 'webshop_20261122_020000.dump' }, 'running');
  writeFileSync(path.join(b.dest, '.webshop_20261122_020000.dump.partial'), 'half');
  await b.runner.recover();
  const ended = await b.log.get(dead);
  assert.equal(ended?.status, 'failed');
  assert.match(ended?.error ?? '', /^tokobot stopped during this backup .*removed the unfinished upload of webshop_20261122_020000\.dump/);
  assert.deepEqual(readdirSync(b.dest), []);
  const pending = await b.log.start(JOB.id, 'cli');
  b.dumper.release.open();
  const run = await b.runner.run(JOB, 'cli');
  assert.deepEqual([(await b.log.get(pending))?.status, run.status], ['failed', 'success'], 'the dead run was ended before the new one started');
});
