import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { scratchName } from '../../../src/pipeline/backup/verify-backup.ts';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import type { BackupRun } from '../../../src/store/backup-log.ts';
import { BackupRunner } from '../../../src/pipeline/backup/backup-runner.ts';
import { decryptStream } from '../../../src/pipeline/backup/encryption.ts';
import { tryLock } from '../../../src/store/postgres/locks.ts';
import { inspectFile } from '../../../src/pipeline/archive/inspect-file.ts';
import { startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { LOCAL_PG_URL, createScratchDb, dropScratchDb, pgRestoreInto } from '../../helpers/local-pg.ts';
import { ensurePgSource, PG_SOURCE, pgDigest } from '../../helpers/pg-source.ts';
import { needPgTools } from '../../helpers/needs.ts';

const SOURCE = PG_SOURCE;
const RESTORED = 'tokobot_t_bsrc_pg_restored';
const url = (db: string) => LOCAL_PG_URL.replace(/\/[^/]*$/, `/${db}`);
const PASSPHRASE = 'correct horse battery staple';
let h: BackupHarness;
const dest = path.join(mkdtempSync(path.join(tmpdir(), 'tokobot-dest-')), 'backups');
let sourceDigest: Record<string, string>;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const skip = await needPgTools();

before(async () => {
  if (skip) return;
  await ensurePgSource();
  sourceDigest = await pgDigest(SOURCE);
  h = await startBackupHarness('pgjobs', [
    { id: 'shop', type: 'postgres', url: url(SOURCE), destinations: [{ type: 'local', dir: dest }], retention: { keepLast: 2, daily: 0, weekly: 0, monthly: 0 } },
    { id: 'sealed', type: 'postgres', urlEnv: 'SEALED_URL', verify: false, encryption: { passphraseEnv: 'SEALED_PASS' }, destinations: [{ type: 'local', dir: dest }] },
    { id: 'ipos', type: 'postgres', ipos: true, url: url(SOURCE), verify: false, destinations: [{ type: 'local', dir: dest }] },
    { id: 'down', type: 'postgres', url: 'postgres://postgres@127.0.0.1:1/x', destinations: [{ type: 'local', dir: dest }] },
    { id: 'nobody', type: 'postgres', url: url(SOURCE).replace('postgres@', 'no_such_role@'), destinations: [{ type: 'local', dir: dest }] },
    { id: 'slow', type: 'postgres', url: url(SOURCE), destinations: [{ type: 'local', dir: dest }] },
  ], { SEALED_URL: url(SOURCE), SEALED_PASS: PASSPHRASE });
});

after(async () => {
  if (skip) return;
  await h?.close();
  rmSync(path.dirname(dest), { recursive: true, force: true });
  await dropScratchDb(RESTORED);
});

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

test('a postgres job: dump, verify by restoring, store 0600 in a 0700 folder; the file restores to identical data', { skip }, async () => {
  const run = await runBackup(h.app.backups, h.app.job('shop'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  assert.match(run.fileName ?? '', /^shop_\d{8}_\d{6}\.dump$/);
  assert.match(run.verification?.detail ?? '', /restored into a scratch database: 6 tables, 1000004 rows/);
  const file = path.join(dest, run.fileName as string);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(dest).mode & 0o777, 0o700);
  assert.equal(run.sha256, sha256(file));
  assert.equal(run.bytes, statSync(file).size);
  assert.deepEqual(run.destinations, [{ destination: `the folder ${dest}`, location: file }]);
  await createScratchDb(RESTORED);
  await pgRestoreInto(RESTORED, file);
  assert.deepEqual(await pgDigest(RESTORED), sourceDigest);
  const scratch = await h.query('postgres', 'SELECT datname FROM pg_database WHERE datname = $1', [scratchName('shop', run.id)]);
  assert.equal(scratch.rowCount, 0, 'the verification database is dropped');
  assert.deepEqual(readdirSync(path.join(h.app.config.dataDir, 'backups', 'shop')), [], 'the work folder is emptied');
});

test('an encrypted job: the stored file decrypts to an archive that restores to identical data; a changed byte is refused', { skip }, async () => {
  const run = await runBackup(h.app.backups, h.app.job('sealed'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  assert.match(run.fileName ?? '', /^sealed_\d{8}_\d{6}\.dump\.enc$/);
  const file = path.join(dest, run.fileName as string);
  assert.equal(run.sha256, sha256(file));
  const plain = path.join(h.dataDir, 'sealed.dump');
  await pipeline(createReadStream(file), decryptStream(PASSPHRASE), createWriteStream(plain));
  await dropScratchDb(RESTORED);
  await createScratchDb(RESTORED);
  await pgRestoreInto(RESTORED, plain);
  assert.deepEqual(await pgDigest(RESTORED), sourceDigest);
  const tampered = readFileSync(file);
  const mid = tampered.length >> 1;
  tampered.writeUInt8((tampered.readUInt8(mid) ^ 1), mid);
  writeFileSync(plain + '.enc', tampered);
  await assert.rejects(pipeline(createReadStream(plain + '.enc'), decryptStream(PASSPHRASE), createWriteStream(plain)), /damaged|changed|tamper|authenticat/i);
});

test('an iPOS job names its file .i5bu, and the sync pipeline reads it as an archive', { skip }, async () => {
  const run = await runBackup(h.app.backups, h.app.job('ipos'), 'schedule');
  assert.equal(run.status, 'success', run.error ?? '');
  assert.match(run.fileName ?? '', /^ipos_\d{8}_\d{6}\.i5bu$/);
  assert.equal(run.verification?.detail, 'not verified (verify: false in the job)');
  const info = await inspectFile(path.join(dest, run.fileName as string), { zipMaxRatio: 100 });
  assert.ok(info.entries.some((e) => e.desc === 'TABLE DATA' && e.tag === 'big'), "the big table's data is in the archive");
  assert.equal(info.database, SOURCE);
});

test('retention keeps the last 2 of a job and leaves other files alone', { skip }, async () => {
  const job = { ...h.app.job('shop'), verify: false };
  let t = Date.UTC(2026, 0, 1);
  const backups = { ...h.app.backups, now: () => new Date((t += 60_000)) };
  for (let i = 0; i < 3; i++) assert.equal((await runBackup(backups, job, 'cli')).status, 'success');
  const shop = filesIn(dest).filter((n) => n.startsWith('shop_'));
  assert.equal(shop.length, 2, shop.join(', '));
  assert.ok(filesIn(dest).some((n) => n.startsWith('sealed_')));
});

test('source down and unknown role: failed runs with a reason the admin can act on, and no file', { skip }, async () => {
  const before = filesIn(dest);
  const down = await runBackup(h.app.backups, h.app.job('down'), 'cli');
  assert.equal(down.status, 'failed');
  assert.match(down.error ?? '', /^dump: Cannot reach PostgreSQL for x on 127\.0\.0\.1:1: is the server running/);
  const nobody = await runBackup(h.app.backups, h.app.job('nobody'), 'cli');
  assert.equal(nobody.status, 'failed');
  assert.match(nobody.error ?? '', /refused the login|check the user and password/);
  assert.deepEqual(filesIn(dest), before);
});

test('a job never overlaps itself; a run left "running" by a crash is marked failed at the next run', { skip }, async () => {
  const release = await tryLock(h.app.ops, 'backup:shop');
  assert.ok(release);
  try {
    await assert.rejects(runBackup(h.app.backups, h.app.job('shop'), 'cli'), /already running/);
  } finally {
    await release();
  }
  const ghost = await h.app.backups.log.start('shop', 'cli');
  await h.app.backups.log.update(ghost, { stage: 'dump' }, 'running');
  const run = await runBackup(h.app.backups, { ...h.app.job('shop'), verify: false }, 'cli');
  assert.equal(run.status, 'success');
  const old = await h.app.backups.log.get(ghost);
  assert.equal(old?.status, 'failed');
  assert.match(old?.error ?? '', /stopped during this backup/);
});

test('a job over its time limit is stopped and failed, leaving no file', { skip }, async () => {
  const before = filesIn(dest);
  const job = { ...h.app.job('slow'), timeoutMs: 150 };
  const run = await runBackup(h.app.backups, job, 'cli');
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /took longer than its limit/);
  assert.deepEqual(filesIn(dest), before);
  assert.deepEqual(readdirSync(path.join(h.app.config.dataDir, 'backups', 'slow')), []);
});

test('the runner reports every finished run to its listeners (alerts) and stops a running backup cleanly on shutdown', { skip }, async () => {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const runner = new BackupRunner(h.app.backups, h.app.config.jobs, quiet);
  const seen: BackupRun[] = [];
  runner.onFinished((r) => { seen.push(r); });
  await runner.run(h.app.job('down'), 'schedule');
  assert.deepEqual(seen.map((r) => [r.job, r.status, r.trigger]), [['down', 'failed', 'schedule']]);
  assert.match(seen[0]?.error ?? '', /Cannot reach PostgreSQL/);

  const before = filesIn(dest);
  let dumping!: () => void;
  const started = new Promise<void>((resolve) => { dumping = resolve; });
  const running = runner.run({ ...h.app.job('slow'), verify: false }, 'cli', (p) => { if (p.stage === 'dump' && p.done) dumping(); });
  await started;
  assert.equal(runner.progress('slow')?.stage, 'dump');
  await assert.rejects(runner.run(h.app.job('slow'), 'cli'), /already running/);
  await runner.shutdown(0);
  const run = await running;
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /shut down during this backup; no file from it was kept/);
  assert.deepEqual(filesIn(dest), before);
  assert.equal(seen.length, 2);
  await assert.rejects(runner.run(h.app.job('shop'), 'cli'), /shutting down/);
});
