import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostKeyFingerprint } from '../src/adapters/sftp/sftp-destination.ts';
import { startFtpServer } from './helpers/ftp-server.ts';
import { newHostKey, startSftpServer } from './helpers/sftp-server.ts';
import { LOCAL_PG_URL } from './helpers/local-pg.ts';
import { tokobot } from './helpers/tokobot-cli.ts';

/** `tokobot doctor` asks a job's FTP and SFTP servers; an SFTP server not pinned yet prints the host key to copy into the job. */
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-ftp-doctor-'));
const host = newHostKey();
let ftp: Awaited<ReturnType<typeof startFtpServer>>;
let sftp: Awaited<ReturnType<typeof startSftpServer>>;

before(async () => {
  mkdirSync(path.join(dir, 'srv', 'cadangan'), { recursive: true });
  writeFileSync(path.join(dir, 'srv', 'cadangan', 'kasir_20260101_020000.dump'), 'x');
  ftp = await startFtpServer({ user: 'toko', password: 'ftp-rahasia-1', root: () => path.join(dir, 'srv') });
  sftp = await startSftpServer({ user: 'toko', password: 'sftp-rahasia-1', hostKey: host.key, root: () => path.join(dir, 'srv') });
});

after(async () => {
  await ftp.close();
  await sftp.close();
  rmSync(dir, { recursive: true, force: true });
});

test('doctor: the FTP server answers with its file count; the SFTP server without hostKey fails the check, printing its fingerprint (en and id)', async () => {
  const file = path.join(dir, 'tokobot.json');
  writeFileSync(file, JSON.stringify({ jobs: [{ id: 'kasir', type: 'postgres', url: LOCAL_PG_URL, destinations: [
    { type: 'ftp', host: '127.0.0.1', port: ftp.port, user: 'toko', dir: '/cadangan', passwordEnv: 'T_FTP_PASSWORD' },
    { type: 'sftp', host: '127.0.0.1', port: sftp.port, user: 'toko', dir: '/cadangan', passwordEnv: 'T_SFTP_PASSWORD' },
  ] }] }));
  const env = { PATH: process.env.PATH ?? '', HOME: dir, SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL,
    DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', TOKOBOT_CONFIG: file, T_FTP_PASSWORD: 'ftp-rahasia-1', T_SFTP_PASSWORD: 'sftp-rahasia-1' };
  const fingerprint = hostKeyFingerprint(host.blob);
  const en = await tokobot(['doctor'], { ...env, TOKOBOT_LANG: 'en' });
  const out = en.stdout + en.stderr;
  assert.match(out, /^✓ kasir destination: ftp:\/\/toko@127\.0\.0\.1:\d+\/cadangan: the server answers; 1 file\(s\) there$/m);
  assert.ok(out.includes(`its host key is ${fingerprint}`) && out.includes(`hostKey: '${fingerprint}'`), out);
  assert.ok(!out.includes('rahasia'), 'a password is in the output');
  const id = await tokobot(['doctor'], { ...env, TOKOBOT_LANG: 'id' });
  assert.ok((id.stdout + id.stderr).includes(`kunci host-nya ${fingerprint}`), id.stdout + id.stderr);
});
