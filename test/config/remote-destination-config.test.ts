import { after, test } from 'node:test';
import { configProblems } from '../helpers/config-problems.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { secretValues } from '../../src/config/secrets.ts';

// A backup job's FTP, FTPS and SFTP destinations (README: backup jobs): passwords only through environment variables, host keys as fingerprints.

const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-ftp-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const KEY = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

function env(destinations: object[], extra: Record<string, string> = {}): Record<string, string> {
  const file = path.join(dir, `tokobot-${n++}.json`);
  writeFileSync(file, JSON.stringify({ jobs: [{ id: 'toko', type: 'postgres', url: 'postgres://u@db/shop', destinations }] }));
  return { SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres', TOKOBOT_CONFIG: file, ...extra };
}

function problems(e: Record<string, string>, lang = 'en'): string[] {
  return configProblems({ TOKOBOT_LANG: lang, ...e });
}

test('ftp and sftp destinations: ports by default, passwords from the environment (secrets), the key file made absolute', () => {
  const c = loadConfig(env([
    { type: 'ftp', host: 'nas.lan', user: 'toko', dir: '/cadangan', passwordEnv: 'NAS_FTP_PASSWORD' },
    { type: 'ftp', host: 'ftp.example.com', user: 'toko', dir: 'b', passwordEnv: 'NAS_FTP_PASSWORD', secure: 'implicit', checkCertificate: false },
    { type: 'sftp', host: 'backup.example.com', user: 'toko', dir: 'cadangan', privateKeyPath: 'kunci/id_ed25519', hostKey: KEY },
  ], { NAS_FTP_PASSWORD: 'kata-sandi-nas' }));
  assert.deepEqual(c.jobs[0]!.destinations, [
    { type: 'ftp', host: 'nas.lan', port: 21, user: 'toko', dir: '/cadangan', password: 'kata-sandi-nas', secure: false, checkCertificate: true },
    { type: 'ftp', host: 'ftp.example.com', port: 990, user: 'toko', dir: 'b', password: 'kata-sandi-nas', secure: 'implicit', checkCertificate: false },
    { type: 'sftp', host: 'backup.example.com', port: 22, user: 'toko', dir: 'cadangan', privateKeyPath: path.resolve('kunci/id_ed25519'), hostKey: KEY },
  ]);
  assert.ok(secretValues(c).includes('kata-sandi-nas'));
});

test('problems are named by field, in Indonesian and English, and never quote a password', () => {
  const e = env([
    { type: 'ftp', host: 'nas.lan', user: 'toko', dir: '/c', passwordEnv: 'NAS_FTP_PASSWORD' },
    { type: 'sftp', host: 'h', user: 'toko', dir: 'c', passwordEnv: 'SFTP_PASSWORD', privateKeyPath: 'k' },
    { type: 'sftp', host: 'h', user: 'toko', dir: 'c', passwordEnv: 'SFTP_PASSWORD', hostKey: 'ab:cd:ef' },
    { type: 'ftp', host: 'h', user: 'toko', dir: 'c', password: 'tertulis-di-file' },
  ]);
  const en = problems(e).join('\n');
  assert.match(en, /destinations\.1: give exactly one of passwordEnv or privateKeyPath/);
  assert.match(en, /destinations\.2\.hostKey: expected the host key's SHA256 fingerprint/);
  assert.match(en, /destinations\.3.*(password|passwordEnv)/);
  assert.ok(!en.includes('tertulis-di-file'));
  const id = problems(e, 'id').join('\n');
  assert.match(id, /isi salah satu saja: passwordEnv atau privateKeyPath/);
  assert.match(id, /sidik jari SHA256 kunci host/);
  const unset = problems(env([{ type: 'ftp', host: 'nas.lan', user: 'toko', dir: '/c', passwordEnv: 'NAS_FTP_PASSWORD' }])).join('\n');
  assert.match(unset, /destinations\.0\.passwordEnv: the environment variable NAS_FTP_PASSWORD is not set/);
});

test('an SFTP key with a passphrase: from the environment (a secret), only with a key, and named when unset', () => {
  const keyed = { type: 'sftp', host: 'backup.example.com', user: 'toko', dir: 'c', privateKeyPath: '/etc/tokobot/id_ed25519', passphraseEnv: 'SFTP_KEY_PASS', hostKey: KEY };
  const c = loadConfig(env([keyed], { SFTP_KEY_PASS: 'frasa-kunci-9' }));
  assert.equal((c.jobs[0]!.destinations[0] as { passphrase?: string }).passphrase, 'frasa-kunci-9');
  assert.ok(secretValues(c).includes('frasa-kunci-9'));
  assert.ok(problems(env([keyed])).some((p) => /passphraseEnv.*SFTP_KEY_PASS/.test(p)), 'unset: named');
  const withPassword = { type: 'sftp', host: 'h', user: 'toko', dir: 'c', passwordEnv: 'P', passphraseEnv: 'SFTP_KEY_PASS', hostKey: KEY };
  assert.ok(problems(env([withPassword], { P: 'x', SFTP_KEY_PASS: 'y' })).some((p) => /passphraseEnv goes with a key \(privateKeyPath\) only/.test(p)));
  assert.ok(problems(env([withPassword], { P: 'x', SFTP_KEY_PASS: 'y' }), 'id').some((p) => /passphraseEnv hanya untuk kunci/.test(p)));
});
