import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Api } from 'grammy';
import { proxyFor } from '../../src/adapters/proxy-agent.ts';
import { telegramClient } from '../../src/adapters/telegram/telegram-client.ts';
import { DropboxSource } from '../../src/adapters/dropbox/dropbox-source.ts';
import type { ProxySection } from '../../src/config/sections.ts';
import { errorDetail, isAppError } from '../../src/errors.ts';
import { ConnectProxy } from '../helpers/connect-proxy.ts';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';

/**
 * Which requests go through the proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), and that Telegram's
 * and Dropbox's clients really take them through it: the fakes are given names that do not
 * resolve, so only a tunnel opened by the proxy (which maps every name to loopback) reaches them.
 * An https round trip through the proxy, to Telegram's and Dropbox's own names, is in
 * test/service/https-proxy.test.ts.
 */
const PROXY = 'http://proxy.kantor:3128';
const settings = (over: Partial<ProxySection> = {}): ProxySection => ({ https: PROXY, http: 'http://web-proxy:8080', noProxy: [], ...over });

test('https URLs take HTTPS_PROXY, plain http ones HTTP_PROXY; loopback and NO_PROXY hosts go directly', () => {
  assert.equal(proxyFor('https://api.telegram.org/bot1/getMe', settings()), PROXY);
  assert.equal(proxyFor('http://bot-api.lan:8081/bot1/getMe', settings()), 'http://web-proxy:8080');
  assert.equal(proxyFor('http://bot-api.lan:8081', settings({ http: undefined })), undefined, 'HTTPS_PROXY alone leaves http URLs direct');
  assert.equal(proxyFor('https://api.telegram.org', undefined), undefined);
  for (const loopback of ['http://127.0.0.1:9000', 'https://localhost', 'http://[::1]:80', 'https://127.4.5.6']) assert.equal(proxyFor(loopback, settings()), undefined, loopback);
  const cases: [string, string, boolean][] = [
    ['dropboxapi.com', 'https://api.dropboxapi.com', false], ['.dropboxapi.com', 'https://content.dropboxapi.com', false],
    ['*.dropboxapi.com', 'https://api.dropboxapi.com', false], ['dropboxapi.com', 'https://notdropboxapi.com', true],
    ['api.telegram.org:443', 'https://api.telegram.org', false], ['api.telegram.org:8443', 'https://api.telegram.org', true],
    ['10.0.0.0/8', 'http://10.2.3.4:8081', false], ['10.0.0.0/8', 'http://11.2.3.4:8081', true], ['fd00::/8', 'http://[fd12::1]:80', false],
    ['*', 'https://api.telegram.org', false], ['API.Telegram.org', 'https://api.telegram.org', false],
  ];
  for (const [entry, url, proxied] of cases) assert.equal(proxyFor(url, settings({ noProxy: [entry] })) !== undefined, proxied, `NO_PROXY=${entry} for ${url}`);
});

let proxy: ConnectProxy;
let tg: FakeTelegram;
let dropbox: FakeDropbox;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-proxy-'));
/** The fakes under names no resolver knows (RFC 6761 reserves .test). */
const named = (url: string, name: string) => url.replace('127.0.0.1', name);

before(async () => {
  [proxy, tg, dropbox] = await Promise.all([ConnectProxy.start(), FakeTelegram.start(), FakeDropbox.start()]);
  await dropbox.addFile('/iPOS/pusat/harian.i5bu', Buffer.from('PGDMP through the proxy'), new Date());
});
after(async () => {
  await Promise.all([proxy.close(), tg.close(), dropbox.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const through = (over: Partial<ProxySection> = {}): ProxySection => ({ http: proxy.url, https: proxy.url, noProxy: [], ...over });
const dropboxAt = (host: string, p: ProxySection) => new DropboxSource({
  ...dropbox.clientOptions(), apiUrl: named(dropbox.url, host), contentUrl: named(dropbox.url, host), folder: '/iPOS/pusat', proxy: p,
  retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
});

test('Telegram and Dropbox (listing, token refresh, download) go through the proxy', async () => {
  const tgHost = named(tg.url, 'telegram.tokobot.test');
  const me = await new Api(tg.token, telegramClient(tgHost, through())).getMe();
  assert.equal(me.username, 'tokobot_test_bot');
  const source = dropboxAt('dropbox.tokobot.test', through());
  const [file] = await source.list();
  assert.equal(file?.name, 'harian.i5bu');
  await source.download(file!, path.join(dir, 'harian.i5bu'));
  assert.equal(readFileSync(path.join(dir, 'harian.i5bu'), 'utf8'), 'PGDMP through the proxy');
  const port = (url: string) => new URL(url).port;
  assert.deepEqual(proxy.hosts(), [`dropbox.tokobot.test:${port(dropbox.url)}`, `telegram.tokobot.test:${port(tg.url)}`]);
  assert.ok(dropbox.requests.some((r) => r.endpoint === 'download') && dropbox.requests.some((r) => r.endpoint === 'token'));
});

test('NO_PROXY and loopback go directly: the proxy sees nothing', async () => {
  const before = proxy.tunnels.length;
  const direct = through({ noProxy: ['tokobot.test'] });
  await assert.rejects(new Api(tg.token, telegramClient(named(tg.url, 'telegram.tokobot.test'), direct)).getMe(), /Network request for 'getMe' failed/);
  const err = await dropboxAt('dropbox.tokobot.test', direct).list().then(() => undefined, (e: unknown) => e);
  assert.ok(isAppError(err) && err.kind === 'unreachable', String(err));
  assert.equal((await new Api(tg.token, telegramClient(tg.url, through())).getMe()).username, 'tokobot_test_bot');
  assert.equal((await dropboxAt('127.0.0.1', through()).list()).length, 1);
  assert.equal(proxy.tunnels.length, before);
});

test('Dropbox out of reach names the proxy it went through (without its password), else the variable that sets one; in English and Indonesian', async () => {
  const unreachable = (p: ProxySection | undefined) => new DropboxSource({
    ...dropbox.clientOptions(), apiUrl: 'http://dropbox.tokobot.test:1', contentUrl: 'http://dropbox.tokobot.test:1', folder: '/iPOS/pusat', proxy: p,
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  }).list().then(() => assert.fail('Dropbox was reached'), (e: unknown) => e);
  const withPassword = proxy.url.replace('http://', 'http://kasir:rahasia@');
  const via = await unreachable(through({ http: withPassword }));
  assert.ok(isAppError(via) && via.kind === 'unreachable', String(via));
  const shown = proxy.url.replace(/[./]/g, '\\$&');
  assert.match(via.message, new RegExp(`^Cannot reach Dropbox \\(.+\\): check this server's internet connection; the proxy ${shown} \\(HTTP_PROXY\\): does it let tokobot through\\?`));
  assert.match(errorDetail(via, 'id'), new RegExp(`^Dropbox tidak bisa dihubungi \\(.+\\): periksa koneksi internet server ini; proxy ${shown} \\(HTTP_PROXY\\): apakah tokobot diizinkan lewat\\?`));
  assert.ok(!`${via.message} ${errorDetail(via, 'id')}`.includes('rahasia'), 'the proxy password is not shown');
  const direct = await unreachable(undefined);
  assert.ok(isAppError(direct) && direct.kind === 'unreachable', String(direct));
  assert.match(direct.message, /^Cannot reach Dropbox \(ENOTFOUND\): check this server's internet connection; behind a proxy, set HTTP_PROXY; the next sync will try again\.$/);
  assert.match(errorDetail(direct, 'id'), /^Dropbox tidak bisa dihubungi \(ENOTFOUND\): periksa koneksi internet server ini; bila lewat proxy, isi HTTP_PROXY; sync berikutnya akan mencoba lagi\.$/);
});
