import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { DropboxSource } from '../src/adapters/dropbox/dropbox-source.ts';
import { FakeDropbox } from './fakes/fake-dropbox.ts';
import { ConnectProxy } from './helpers/connect-proxy.ts';
import { tokobot, TOKOBOT_BIN } from './helpers/tokobot-cli.ts';

/** `tokobot dropbox-auth` through the real SDK against the fake Dropbox: PKCE, the code pasted, the refresh token printed. */
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-dbx-auth-'));
let fake: FakeDropbox;
let proxy: ConnectProxy;

before(async () => { [fake, proxy] = await Promise.all([FakeDropbox.start(), ConnectProxy.start()]); });
after(async () => {
  await Promise.all([fake.close(), proxy.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const AUTHORIZE_URL = /(https:\/\/(?:www\.)?dropbox\.com\/oauth2\/authorize\?\S+)/;

/** Runs the program, plays the owner in the browser (approve the printed URL), and pastes `code(real)` on its stdin. */
function authorize(code: (real: string) => string, env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TOKOBOT_BIN, 'dropbox-auth', '--app-key', fake.appKey],
      { cwd: dir, env: { PATH: process.env.PATH ?? '', DROPBOX_API_URL: fake.url, ...env } });
    let stdout = '';
    let stderr = '';
    let url = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no prompt: ${stderr}`)); }, 30_000);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => {
      stderr += d;
      const found = AUTHORIZE_URL.exec(stderr);
      if (found && !url) {
        url = found[1] as string;
        child.stdin.end(`${code(fake.approve(url))}\n`);
      }
    });
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr, url }); });
  });
}

test('prints an offline PKCE authorization URL, takes the pasted code and prints the lines for .env', async () => {
  const r = await authorize((real) => `  ${real}  `);
  assert.equal(r.status, 0, r.stderr);
  const q = new URL(r.url).searchParams;
  assert.equal(q.get('client_id'), fake.appKey);
  assert.equal(q.get('token_access_type'), 'offline');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.equal(q.get('redirect_uri'), null);
  assert.equal(r.stdout, `DROPBOX_APP_KEY=${fake.appKey}\nDROPBOX_REFRESH_TOKEN=${fake.refreshToken}\n`);
  // Said in Indonesian, the default (no locale here).
  assert.match(r.stderr, /^1\. Buka alamat ini di browser/);
  assert.match(r.stderr, /Akun Dropbox dbid:fake tertaut\. Masukkan dua baris di atas ke \.env/);
  const exchange = fake.requests.find((x) => x.endpoint === 'token' && x.url.includes('authorization_code'));
  assert.ok(exchange && !exchange.url.includes('client_secret'), 'no app secret is sent');
});

test('behind a proxy (http_proxy in lower case, as curl reads it) the code is traded through it', async () => {
  // The fake under a name no resolver knows (RFC 6761 reserves .test): only the proxy's tunnel reaches it.
  const apiUrl = fake.url.replace('127.0.0.1', 'dropbox.tokobot.test');
  const r = await authorize((real) => real, { DROPBOX_API_URL: apiUrl, http_proxy: proxy.url, HTTPS_PROXY: proxy.url });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `DROPBOX_APP_KEY=${fake.appKey}\nDROPBOX_REFRESH_TOKEN=${fake.refreshToken}\n`);
  assert.deepEqual(proxy.hosts(), [`dropbox.tokobot.test:${new URL(fake.url).port}`]);
});

test('a wrong or reused code says what to do, exit code 1 (in this process, see tokobot-cli.ts)', async () => {
  const input = new PassThrough();
  const r = await tokobot(['dropbox-auth', '--app-key', fake.appKey], { DROPBOX_API_URL: fake.url }, {
    input, onStderr: (all) => { if (AUTHORIZE_URL.test(all) && input.writable) input.end('not-the-code\n'); },
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Dropbox did not accept that code: each code works once and only for a few minutes\. Run tokobot dropbox-auth again/);
  assert.equal(r.stdout, '');
});

test('the token it prints works without the app secret: a folder is listed after a PKCE refresh', async () => {
  await fake.addFile('/iPOS/pusat/harian.i5bu', Buffer.from('x'));
  const source = new DropboxSource({ folder: '/iPOS/pusat', appKey: fake.appKey, refreshToken: fake.refreshToken, apiUrl: fake.url, contentUrl: fake.url });
  assert.deepEqual((await source.list()).map((f) => f.name), ['harian.i5bu']);
  const refresh = fake.requests.filter((x) => x.endpoint === 'token' && x.url.includes('refresh_token'));
  assert.ok(refresh.length && refresh.every((x) => !x.url.includes('client_secret')));
});
