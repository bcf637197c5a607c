import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDestinations } from '../../../src/main/app.ts';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import { BackupRunner } from '../../../src/pipeline/backup/backup-runner.ts';
import { createLogger } from '../../../src/log.ts';
import { FakeDropbox } from '../../fakes/fake-dropbox.ts';
import { startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { LOCAL_PG_URL } from '../../helpers/local-pg.ts';
import { needPgDump } from '../../helpers/needs.ts';

/** A job that stores in a local folder and in Dropbox (the fake, through the real SDK); it backs up the harness's small ops database. */
const dest = path.join(mkdtempSync(path.join(tmpdir(), 'tokobot-ddest-')), 'backups');
const OPS = 'tokobot_t_ops_dropboxjobs';
let fake: FakeDropbox;
const quick = { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 };
let h: BackupHarness;

const skip = await needPgDump();

before(async () => {
  if (skip) return;
  fake = await FakeDropbox.start();
  const url = LOCAL_PG_URL.replace(/\/[^/]*$/, `/${OPS}`);
  h = await startBackupHarness('dropboxjobs', [
    { id: 'twice', type: 'postgres', url, verify: false, destinations: [{ type: 'local', dir: dest }, { type: 'dropbox', folder: '/Backups/ops' }],
      retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 } },
  ], { DROPBOX_APP_KEY: fake.appKey, DROPBOX_APP_SECRET: fake.appSecret, DROPBOX_REFRESH_TOKEN: fake.refreshToken,
    DROPBOX_API_URL: fake.url, DROPBOX_CONTENT_URL: fake.url });
  h.app.backups.destinations = (job) => buildDestinations(h.app.config, job, createLogger('silent'), quick);
});

after(async () => {
  if (skip) return;
  await h?.close();
  await fake?.close();
  rmSync(path.dirname(dest), { recursive: true, force: true });
});

const inDropbox = async () => (await buildDestinations(h.app.config, h.app.job('twice'), createLogger('silent'))[1]?.list())?.map((f) => f.name).sort();

test('a job stored in a folder and in Dropbox: the same bytes in both, and retention applies to both', { skip }, async () => {
  let t = Date.UTC(2026, 10, 1);
  const backups = { ...h.app.backups, now: () => new Date((t += 3_600_000)) };
  const first = await runBackup(backups, h.app.job('twice'), 'cli');
  assert.equal(first.status, 'success', first.error ?? '');
  assert.deepEqual(first.destinations.map((d) => d.location), [path.join(dest, first.fileName as string), `Dropbox /Backups/ops/${first.fileName}`]);
  assert.deepEqual(fake.fileBytes(`/Backups/ops/${first.fileName}`), readFileSync(path.join(dest, first.fileName as string)));
  const second = await runBackup(backups, h.app.job('twice'), 'cli');
  assert.equal(second.status, 'success', second.error ?? '');
  assert.deepEqual(await inDropbox(), [second.fileName]);
  assert.deepEqual(readdirSync(dest), [second.fileName]);
});

test('Dropbox answering 500 again and again: a failed run that says where the backup did and did not go', { skip }, async () => {
  fake.failNext('upload', { status: 500 }, quick.attempts); // every attempt, and none left for the next test
  const run = await runBackup({ ...h.app.backups, now: () => new Date(Date.UTC(2026, 10, 5)) }, h.app.job('twice'), 'schedule');
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /^upload: Not stored in the Dropbox folder \/Backups\/ops: .*\(stored in the folder /);
  assert.ok(existsSync(path.join(dest, run.fileName as string)), 'the local copy is complete and kept');
  assert.ok(!(await inDropbox())?.includes(run.fileName as string));
  assert.equal(run.destinations.find((d) => d.error)?.destination, 'the Dropbox folder /Backups/ops');
});

test('a run stopped during the Dropbox upload records the folder copy it had stored and says so; retention leaves that copy alone', { skip }, async () => {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const backups = { ...h.app.backups, now: () => new Date(Date.UTC(2026, 10, 6)) };
  const runner = new BackupRunner(backups, h.app.config.jobs, quiet);
  let stopping: Promise<void> | undefined;
  const run = await runner.run(h.app.job('twice'), 'cli', (p) => {
    if (p.stage === 'upload' && p.destination?.startsWith('the Dropbox')) stopping ??= runner.shutdown(0);
  });
  await stopping;
  const local = path.join(dest, run.fileName as string);
  assert.equal(run.status, 'failed');
  assert.equal(run.error, `upload: tokobot was shut down during this backup; its file ${run.fileName} stays in the folder ${dest}, ` +
    'where retention leaves it alone. It runs again at its next time.');
  assert.deepEqual(run.destinations, [{ destination: `the folder ${dest}`, location: local }]);
  assert.ok(existsSync(local));
  assert.ok(!(await inDropbox())?.some((n) => n.includes(run.fileName as string)));

  const next = await runBackup({ ...h.app.backups, now: () => new Date(Date.UTC(2026, 10, 7)) }, h.app.job('twice'), 'cli');
  assert.equal(next.status, 'success', next.error ?? '');
  assert.ok(existsSync(local), 'keepLast 1 does not delete a failed run\'s copy');
  assert.deepEqual(await inDropbox(), [next.fileName]);
});
