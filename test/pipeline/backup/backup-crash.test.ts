import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import type { BackupRun } from '../../../src/store/backup-log.ts';
import { backupTime } from '../../../src/pipeline/backup/prune.ts';
import { scratchName } from '../../../src/pipeline/backup/verify-backup.ts';
import { FakeDropbox } from '../../fakes/fake-dropbox.ts';
import { startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { adminQuery, LOCAL_PG_URL } from '../../helpers/local-pg.ts';
import { needPgDump } from '../../helpers/needs.ts';

/**
 * kill -9 at each step of a backup run (a child process that kills itself at a named point, see
 * src/kill-point.ts), then the next run: no file under a final name that the run log does not
 * record as delivered, no temporary file left, and the interrupted run failed, saying what was
 * cleaned up. The jobs back up the harness's small ops database.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHILD = path.join(root, 'test/helpers/backup-child.ts');
const dest = path.join(mkdtempSync(path.join(tmpdir(), 'tokobot-crash-')), 'backups');
const FOLDER = '/Backups/crash';
const OPS = 'tokobot_t_ops_backupcrash';
const once1 = { keepLast: 1, daily: 0, weekly: 0, monthly: 0 };
let fake: FakeDropbox;
let h: BackupHarness;

const skip = await needPgDump();

before(async () => {
  if (skip) return;
  fake = await FakeDropbox.start();
  const url = LOCAL_PG_URL.replace(/\/[^/]*$/, `/${OPS}`);
  h = await startBackupHarness('backupcrash', [
    { id: 'local', type: 'postgres', url, verify: false, destinations: [{ type: 'local', dir: dest }], retention: once1 },
    { id: 'cloud', type: 'postgres', url, verify: false, destinations: [{ type: 'dropbox', folder: FOLDER }], retention: once1 },
    { id: 'checked', type: 'postgres', url, destinations: [{ type: 'local', dir: dest }], retention: once1 },
  ], { DROPBOX_APP_KEY: fake.appKey, DROPBOX_APP_SECRET: fake.appSecret, DROPBOX_REFRESH_TOKEN: fake.refreshToken,
    DROPBOX_API_URL: fake.url, DROPBOX_CONTENT_URL: fake.url });
});

after(async () => {
  if (skip) return;
  await h?.close();
  await fake?.close();
  rmSync(path.dirname(dest), { recursive: true, force: true });
  await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [OPS]);
  await adminQuery(`DROP DATABASE IF EXISTS "${OPS}"`);
});

/** Runs the job in a child that kills itself at `point`; returns the run it left "running". */
async function killedAt(job: string, point: string): Promise<BackupRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, job], {
    cwd: root, env: { PATH: process.env.PATH ?? '', HOME: h.dataDir, ...h.env, TOKOBOT_TEST_KILL_AT: point }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  let late = false;
  const timer = setTimeout(() => { late = true; child.kill('SIGKILL'); }, 120_000);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  assert.ok(!late && signal === 'SIGKILL', `the run was not killed at ${point} (exit ${code}, ${signal}): ${output}`);
  const [run] = await h.app.backups.log.recent(job, 1);
  assert.equal(run?.status, 'running');
  return run as BackupRun;
}

let daysBack = 0;
/** The next run, in this process; its file is dated a day earlier each time so no two runs share a name. */
async function nextRun(job: string): Promise<BackupRun> {
  const backups = { ...h.app.backups, now: () => new Date(Date.now() - 86_400_000 * ++daysBack) };
  // The killed child's database session, holding the job's lock, ends a moment after the child.
  for (let attempt = 1; ; attempt++) {
    try {
      const run = await runBackup(backups, h.app.job(job), 'cli');
      assert.equal(run.status, 'success', run.error ?? '');
      return run;
    } catch (err) {
      if (attempt >= 50 || !/already running/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The job's files under a final name at its destination that no run records as delivered there. */
async function unrecorded(jobId: string): Promise<string[]> {
  const job = h.app.job(jobId);
  const runs = await h.app.backups.log.runsWithFiles(jobId);
  const [destination] = h.app.backups.destinations(job);
  const recorded = (name: string) => runs.some((r) => r.fileName === name && r.destinations.some((c) => c.destination === destination?.description && c.location));
  return (await destination?.list() ?? []).map((f) => f.name).filter((n) => backupTime(job, n) && !recorded(n));
}

async function failedWith(ghost: BackupRun, message: RegExp): Promise<void> {
  const after = await h.app.backups.log.get(ghost.id);
  assert.equal(after?.status, 'failed');
  assert.match(after?.error ?? '', /^tokobot stopped during this backup/);
  assert.match(after?.error ?? '', message);
}

const workFiles = (job: string) => readdirSync(path.join(h.app.config.dataDir, 'backups', job));
const hidden = () => (existsSync(dest) ? readdirSync(dest).filter((n) => n.startsWith('.')) : []);
const inDropbox = (name: string) => fake.paths().filter((p) => p.includes(name));

test('killed after the dump, before any upload: nothing reaches the destination; the next run fails the run and clears its work file', { skip }, async () => {
  const ghost = await killedAt('local', 'after-dump');
  const name = ghost.fileName as string;
  assert.match(name, /^local_\d{8}_\d{6}\.dump$/, 'the intended name is recorded before delivery');
  assert.ok(!existsSync(path.join(dest, name)));
  assert.deepEqual(workFiles('local'), [`${name}.partial`], 'the dump is only in the work folder, under a temporary name');
  await nextRun('local');
  await failedWith(ghost, /no file from it was kept/);
  assert.deepEqual(workFiles('local'), []);
  assert.deepEqual(await unrecorded('local'), []);
});

test('killed while verifying: the next run drops the scratch database the verification restored into, and says so', { skip }, async () => {
  const ghost = await killedAt('checked', 'mid-verify');
  const scratch = scratchName('checked', ghost.id);
  const exists = async () => (await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [scratch])).rowCount === 1;
  assert.ok(await exists(), 'the verification had restored into its scratch database');
  await nextRun('checked');
  assert.equal(await exists(), false);
  await failedWith(ghost, new RegExp(`The next run dropped the scratch database ${scratch} of the interrupted verification`));
});

test('killed in the middle of the copy to a folder: only a temporary name, which the next run removes', { skip }, async () => {
  const ghost = await killedAt('local', 'mid-upload');
  const name = ghost.fileName as string;
  assert.deepEqual(hidden(), [`.${name}.partial`]);
  assert.ok(!existsSync(path.join(dest, name)));
  await nextRun('local');
  await failedWith(ghost, new RegExp(`The next run removed the unfinished upload of ${name} from the folder `));
  assert.deepEqual(hidden(), []);
  assert.deepEqual(await unrecorded('local'), []);
});

test('killed after the rename, before the run log recorded the copy: the next run removes the file and says so', { skip }, async () => {
  const ghost = await killedAt('local', 'after-rename');
  const name = ghost.fileName as string;
  assert.ok(existsSync(path.join(dest, name)));
  assert.deepEqual(ghost.destinations, []);
  assert.deepEqual(await unrecorded('local'), [name], 'the crash left a file the log does not know');
  await nextRun('local');
  await failedWith(ghost, new RegExp(`removed ${name} from the folder .*, stored there before the run could record it`));
  assert.ok(!existsSync(path.join(dest, name)));
  assert.deepEqual(await unrecorded('local'), []);
  assert.deepEqual(hidden(), []);
});

test('killed mid-upload to Dropbox: nothing under any name (the upload session just expires)', { skip }, async () => {
  const sessions = fake.count('upload_session/start');
  const ghost = await killedAt('cloud', 'mid-upload');
  assert.equal(fake.count('upload_session/start'), sessions + 1, 'the upload went in a session');
  assert.deepEqual(inDropbox(ghost.fileName as string), []);
  await nextRun('cloud');
  await failedWith(ghost, /no file from it was kept/);
  assert.deepEqual(await unrecorded('cloud'), []);
});

test('killed in Dropbox after the upload, before the move: the next run removes the temporary file', { skip }, async () => {
  const ghost = await killedAt('cloud', 'before-rename');
  const name = ghost.fileName as string;
  assert.deepEqual(inDropbox(name), [`${FOLDER}/.${name}.partial`]);
  await nextRun('cloud');
  await failedWith(ghost, new RegExp(`The next run removed the unfinished upload of ${name} from the Dropbox folder ${FOLDER}`));
  assert.deepEqual(inDropbox(name), []);
  assert.deepEqual(fake.paths().filter((p) => p.endsWith('.partial')), []);
});

test('killed in Dropbox after the move, before the run log recorded it: the next run removes the file', { skip }, async () => {
  const ghost = await killedAt('cloud', 'after-rename');
  const name = ghost.fileName as string;
  assert.deepEqual(inDropbox(name), [`${FOLDER}/${name}`]);
  await nextRun('cloud');
  await failedWith(ghost, new RegExp(`removed ${name} from the Dropbox folder ${FOLDER}, stored there before the run could record it`));
  assert.deepEqual(inDropbox(name), []);
  assert.deepEqual(await unrecorded('cloud'), []);
});
