import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostKeyFingerprint } from '../../../src/adapters/sftp/sftp-destination.ts';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import { startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { startFtpServer } from '../../helpers/ftp-server.ts';
import { newHostKey, startSftpServer } from '../../helpers/sftp-server.ts';
import { adminQuery, LOCAL_PG_URL } from '../../helpers/local-pg.ts';
import { needPgTools } from '../../helpers/needs.ts';

/**
 * One backup job with an FTP and an SFTP destination (issue 17's "done when"), run three times by
 * the real pipeline against real servers on loopback: each run lands on both, and retention
 * (keepLast 2) deletes the oldest there too.
 */
const skip = await needPgTools();
const SOURCE = 'tokobot_t_remote_src';
const root = mkdtempSync(path.join(tmpdir(), 'tokobot-ftp-remote-'));
const ftpRoot = path.join(root, 'ftp');
const sftpRoot = path.join(root, 'sftp');
const host = newHostKey();
let h: BackupHarness;
let ftp: Awaited<ReturnType<typeof startFtpServer>>;
let sftp: Awaited<ReturnType<typeof startSftpServer>>;

before(async () => {
  if (skip) return;
  for (const d of [ftpRoot, sftpRoot]) mkdirSync(d);
  ftp = await startFtpServer({ user: 'toko', password: 'ftp-rahasia-1', root: () => ftpRoot });
  sftp = await startSftpServer({ user: 'toko', password: 'sftp-rahasia-1', hostKey: host.key, root: () => sftpRoot });
  await adminQuery(`DROP DATABASE IF EXISTS "${SOURCE}"`);
  await adminQuery(`CREATE DATABASE "${SOURCE}"`);
  h = await startBackupHarness('remotedest', [{
    id: 'jauh', type: 'postgres', url: LOCAL_PG_URL.replace(/\/[^/]*$/, `/${SOURCE}`), verify: false,
    retention: { keepLast: 2, daily: 0, weekly: 0, monthly: 0 },
    destinations: [
      { type: 'ftp', host: '127.0.0.1', port: ftp.port, user: 'toko', dir: '/cadangan', passwordEnv: 'T_FTP_PASSWORD' },
      { type: 'sftp', host: '127.0.0.1', port: sftp.port, user: 'toko', dir: '/cadangan', passwordEnv: 'T_SFTP_PASSWORD', hostKey: hostKeyFingerprint(host.blob) },
    ],
  }], { T_FTP_PASSWORD: 'ftp-rahasia-1', T_SFTP_PASSWORD: 'sftp-rahasia-1' });
});

after(async () => {
  if (skip) return;
  await h?.close();
  await ftp?.close();
  await sftp?.close();
  await adminQuery(`DROP DATABASE IF EXISTS "${SOURCE}"`);
  rmSync(root, { recursive: true, force: true });
});

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

test('a job with an FTP and an SFTP destination stores each run on both and keeps both within retention', { skip }, async () => {
  const job = h.app.job('jauh');
  const names: string[] = [];
  const start = Date.now();
  for (const daysAgo of [2, 1, 0]) {
    const run = await runBackup({ ...h.app.backups, now: () => new Date(start - daysAgo * 86_400_000 + names.length * 1000) }, job, 'cli');
    assert.equal(run.status, 'success', run.error ?? '');
    assert.equal(run.destinations.filter((d) => d.location).length, 2, JSON.stringify(run.destinations));
    assert.ok(run.destinations.every((d) => /size checked/.test(d.location ?? '')), 'the copy\'s record says only the size was checked');
    names.push(run.fileName as string);
  }
  const kept = names.slice(1).sort();
  assert.deepEqual(files(path.join(ftpRoot, 'cadangan')), kept);
  assert.deepEqual(files(path.join(sftpRoot, 'cadangan')), kept);
  for (const name of kept) {
    assert.ok(readFileSync(path.join(ftpRoot, 'cadangan', name)).equals(readFileSync(path.join(sftpRoot, 'cadangan', name))), `${name} differs between the two`);
  }
});
