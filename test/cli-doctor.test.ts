import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeDropbox } from './fakes/fake-dropbox.ts';
import { FakeTelegram } from './fakes/fake-telegram.ts';
import { LOCAL_PG_URL } from './helpers/local-pg.ts';
import { needMariadb, needProgramFile } from './helpers/needs.ts';
import { tokobot, tokobotProcess } from './helpers/tokobot-cli.ts';

/** `tokobot doctor`: all good, then each dependency broken in turn, each named with its fix. */
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-doctor-'));
let dropbox: FakeDropbox;
let telegram: FakeTelegram;
let env: Record<string, string>;
/** The checks that pass or fail for real need a MariaDB and a Chromium to be there. */
const servers = (await needMariadb()) ?? needProgramFile('/usr/bin/chromium', 'Debian: apt-get install chromium');
const pgAt = new URL(LOCAL_PG_URL).host.replace(/\./g, '\\.');

function config(jobs: object[]): string {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ jobs }));
  return file;
}

/** In this process (see tokobot-cli.ts), or with `shell` the program itself, as a shell runs it. */
async function doctor(extra: Record<string, string> = {}, { shell = false } = {}): Promise<{ code: number; out: string }> {
  const r = await (shell ? tokobotProcess(['doctor'], { ...env, ...extra }, { cwd: dir, timeoutMs: 90_000 }) : tokobot(['doctor'], { ...env, ...extra }));
  return { code: r.code, out: r.stdout + r.stderr };
}

before(async () => {
  dropbox = await FakeDropbox.start();
  telegram = await FakeTelegram.start();
  await dropbox.addFile('/iPOS/pusat/harian.i5bu', Buffer.from('x'), new Date(Date.now() - 3 * 3_600_000));
  env = {
    PATH: process.env.PATH ?? '', HOME: dir, DROPBOX_FOLDER: '/iPOS/pusat', DROPBOX_APP_KEY: dropbox.appKey, DROPBOX_APP_SECRET: dropbox.appSecret,
    DROPBOX_REFRESH_TOKEN: dropbox.refreshToken, DROPBOX_API_URL: dropbox.url, DROPBOX_CONTENT_URL: dropbox.url, RESTORE_TARGET: 'external',
    PG_URL: LOCAL_PG_URL, DATA_DIR: path.join(dir, 'data'), TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url,
    WHATSAPP_ENABLED: 'true', CHROMIUM_PATH: '/usr/bin/chromium', DISK_MIN_FREE_MB: '1', LOG_LEVEL: 'silent', TOKOBOT_LANG: 'en',
    TOKOBOT_CONFIG: config([
      { id: 'kasir', type: 'postgres', url: LOCAL_PG_URL, destinations: [{ type: 'local', dir: path.join(dir, 'b') }] },
      { id: 'web', type: 'mysql', url: 'mysql://root@127.0.0.1:3306/mysql', destinations: [{ type: 'local', dir: path.join(dir, 'b') }] },
    ]),
  };
});

after(async () => {
  await dropbox.close();
  await telegram.close();
  rmSync(dir, { recursive: true, force: true });
});

test('all good: one line per check, exit code 0; WhatsApp not linked yet is a note, not a failure', { skip: servers }, async () => {
  const r = await doctor();
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^✓ config: 1 store\(s\), 2 backup job\(s\), 0 alert recipient\(s\); restore target external$/m);
  assert.match(r.out, new RegExp(`^✓ restore server: PostgreSQL \\d+ at ${pgAt} accepts connections; (pg_restore \\d+|no pg_restore here, so tokobot restores with its own restorer); restores run as (the unprivileged role )?"tokobot_restore"( \\(created at the first sync\\))?$`, 'm'));
  assert.match(r.out, /^✓ backups of main: the Dropbox folder \/iPOS\/pusat: 1 backups, newest harian\.i5bu, 3\.0 h old$/m);
  assert.match(r.out, /^✓ Telegram: the bot @tokobot_test_bot answers/m);
  assert.match(r.out, /^! WhatsApp: not linked yet: tokobot start prints a QR code/m);
  assert.match(r.out, /^✓ backup job kasir: PostgreSQL database postgres answers/m);
  assert.match(r.out, /^✓ backup job web: MySQL database mysql answers \(\d+ tables\)$/m);
  assert.match(r.out, /^✓ disk: \d+ MB free under /m);

  // In Indonesian, the default: tokobot's own words; what a server answers stays its own.
  const id = await doctor({ TOKOBOT_LANG: '' });
  assert.equal(id.code, 0, id.out);
  assert.match(id.out, /^✓ konfigurasi: 1 toko, 2 job backup, 0 penerima peringatan; target restore external$/m);
  assert.match(id.out, /^✓ server restore: PostgreSQL \d+ at /m);
  assert.match(id.out, /^✓ backup main: the Dropbox folder \/iPOS\/pusat: 1 backup, terbaru harian\.i5bu, umurnya 3\.0 jam$/m);
  assert.match(id.out, /^✓ Telegram: bot @tokobot_test_bot menjawab; \d+ orang punya peran$/m);
  assert.match(id.out, /^! WhatsApp: belum ditautkan: tokobot start menampilkan kode QR/m);
  assert.match(id.out, /^✓ job backup kasir: /m);
  assert.match(id.out, /^✓ disk: \d+ MB kosong di /m);
});

test('each broken dependency is named with what to do, exit code 1', { skip: servers }, async () => {
  const r = await doctor({
    DROPBOX_REFRESH_TOKEN: 'revoked-token', PG_URL: 'postgres://postgres@127.0.0.1:1/postgres', TELEGRAM_BOT_TOKEN: '123:wrong',
    CHROMIUM_PATH: '/nonexistent/chromium', DISK_MIN_FREE_MB: '999999999',
    TOKOBOT_CONFIG: config([{ id: 'web', type: 'mysql', url: 'mysql://nobody:wrong@127.0.0.1:3306/mysql', destinations: [{ type: 'local', dir: dir }] }]),
  });
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^✗ restore server: Cannot connect to the PostgreSQL server at 127\.0\.0\.1:1 \(nothing is listening there\)\. Check PG_URL/m);
  assert.match(r.out, /^✗ backups of main: .*(refresh token|DROPBOX_REFRESH_TOKEN)/m);
  assert.match(r.out, /^✗ Telegram: Telegram refuses TELEGRAM_BOT_TOKEN: copy it again from @BotFather/m);
  assert.match(r.out, /^✗ WhatsApp: there is no Chromium at \/nonexistent\/chromium: install it/m);
  assert.match(r.out, /^✗ backup job web: .*(denied|password)/im);
  assert.match(r.out, /^✗ disk: \d+ MB free under .*below DISK_MIN_FREE_MB/m);
  assert.doesNotMatch(r.out, /revoked-token|123:wrong|nobody:wrong/, 'no secret in the output');
  const id = await doctor({ TOKOBOT_LANG: 'id', TELEGRAM_BOT_TOKEN: '123:wrong', CHROMIUM_PATH: '/nonexistent/chromium', DISK_MIN_FREE_MB: '999999999' });
  assert.match(id.out, /^✗ Telegram: Telegram menolak TELEGRAM_BOT_TOKEN: salin lagi dari @BotFather/m);
  assert.match(id.out, /^✗ WhatsApp: tidak ada Chromium di \/nonexistent\/chromium: pasang /m);
  assert.match(id.out, /^✗ disk: \d+ MB kosong di .*di bawah DISK_MIN_FREE_MB/m);
});

test('a config that does not parse: the problems, one line each, and nothing else is tried (the program itself)', async () => {
  const r = await doctor({ SOURCE: 'ftp', PG_DOCKER_PORT: 'abc' }, { shell: true });
  assert.equal(r.code, 1);
  assert.match(r.out, /^✗ config: SOURCE: .*\n    PG_DOCKER_PORT: .*\n    \(see \.env\.example/m);
  const id = await doctor({ SOURCE: 'ftp', TOKOBOT_LANG: 'id' });
  assert.match(id.out, /^✗ konfigurasi: SOURCE: harus dropbox atau folder\n    \(lihat \.env\.example dan tabel konfigurasi di README\)$/m);
  assert.doesNotMatch(r.out, /restore server/);
});
