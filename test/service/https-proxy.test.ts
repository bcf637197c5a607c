import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectProxy, forwardByHost } from '../helpers/connect-proxy.ts';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { LOCAL_PG_URL } from '../helpers/local-pg.ts';
import { needProgramFile } from '../helpers/needs.ts';

/**
 * An office behind a proxy: `tokobot doctor` (the real binary) with HTTPS_PROXY and no API
 * overrides reaches Telegram and Dropbox by their own names, https included, through the proxy.
 * The proxy hands each tunnel to an HTTPS server with a certificate for those names (trusted by
 * the child through NODE_EXTRA_CA_CERTS) that passes the requests on to the fakes. Without the
 * proxy the same names cannot be reached here, which the doctor says with what to check.
 */
const skip = needProgramFile('/usr/bin/openssl', 'Debian: apt-get install openssl');
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tokobot.js');
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-https-proxy-'));
const NAMES = ['api.telegram.org', 'api.dropboxapi.com', 'content.dropboxapi.com'];
let tg: FakeTelegram;
let dropbox: FakeDropbox;
let front: https.Server;
let proxy: ConnectProxy;
let env: Record<string, string>;

before(async () => {
  if (skip) return;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=tokobot test proxy',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-addext', `subjectAltName=${NAMES.map((n) => `DNS:${n}`).join(',')}`], { stdio: 'ignore' });
  [tg, dropbox] = await Promise.all([FakeTelegram.start(), FakeDropbox.start()]);
  await dropbox.addFile('/iPOS/pusat/harian.i5bu', Buffer.from('x'), new Date(Date.now() - 3_600_000));
  front = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
    forwardByHost({ 'api.telegram.org': tg.url, 'api.dropboxapi.com': dropbox.url, 'content.dropboxapi.com': dropbox.url }));
  proxy = await ConnectProxy.start(front);
  env = {
    PATH: process.env.PATH ?? '', HOME: dir, DROPBOX_FOLDER: '/iPOS/pusat', DROPBOX_APP_KEY: dropbox.appKey, DROPBOX_APP_SECRET: dropbox.appSecret,
    DROPBOX_REFRESH_TOKEN: dropbox.refreshToken, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, DATA_DIR: path.join(dir, 'data'),
    TELEGRAM_BOT_TOKEN: tg.token, DISK_MIN_FREE_MB: '1', LOG_LEVEL: 'silent', NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem'), LANG: 'en_US.UTF-8',
  };
});

after(async () => {
  await proxy?.close();
  front?.close();
  await Promise.all([tg?.close(), dropbox?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function doctor(extra: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'doctor'], { cwd: dir, env: { ...env, ...extra }, timeout: 90_000 }, (_err, stdout, stderr) => resolve(stdout + stderr));
  });
}

test('with HTTPS_PROXY, Telegram and Dropbox are reached by their own names through the proxy', { skip, timeout: 120_000 }, async () => {
  const out = await doctor({ https_proxy: proxy.url });
  assert.match(out, /^✓ Telegram: the bot @tokobot_test_bot answers/m);
  assert.match(out, /^✓ backups of main: the Dropbox folder \/iPOS\/pusat: 1 backups, newest harian\.i5bu/m);
  assert.deepEqual(proxy.hosts(), ['api.dropboxapi.com:443', 'api.telegram.org:443']);
  assert.ok(tg.calls.some((c) => c.method === 'getMe'), 'the fake Bot API was asked');
});

test('Telegram unreachable: the doctor names the reason and what to check (network, proxy, TELEGRAM_API_ROOT)', { skip, timeout: 120_000 }, async () => {
  const before = proxy.tunnels.length;
  // A proxy that nothing listens on stands for "the network does not let tokobot out": quick and certain on any machine.
  const viaProxy = await doctor({ HTTPS_PROXY: 'http://127.0.0.1:9' });
  assert.match(viaProxy, /^✗ Telegram: the Bot API cannot be reached \(ECONNREFUSED\): check this server's internet connection; the proxy http:\/\/127\.0\.0\.1:9 \(HTTPS_PROXY\): does it let tokobot through\?; TELEGRAM_API_ROOT is not set, so Telegram's own api\.telegram\.org is asked$/m);
  const ownServer = await doctor({ TELEGRAM_API_ROOT: 'http://127.0.0.1:1' });
  assert.match(ownServer, /^✗ Telegram: the Bot API cannot be reached \(ECONNREFUSED\): check this server's internet connection; behind a proxy, set HTTP_PROXY; TELEGRAM_API_ROOT is http:\/\/127\.0\.0\.1:1: is that Bot API server up\?$/m);
  // The same advice in the owner's language.
  const id = await doctor({ HTTPS_PROXY: 'http://127.0.0.1:9', LANG: 'id_ID.UTF-8' });
  assert.match(id, /^✗ Telegram: Bot API tidak bisa dihubungi \(ECONNREFUSED\): periksa koneksi internet server ini; proxy http:\/\/127\.0\.0\.1:9 \(HTTPS_PROXY\): apakah tokobot diizinkan lewat\?; TELEGRAM_API_ROOT tidak diisi, jadi yang dihubungi api\.telegram\.org milik Telegram$/m);
  assert.doesNotMatch(viaProxy + ownServer, new RegExp(tg.token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no token in the output');
  assert.equal(proxy.tunnels.length, before);
});
