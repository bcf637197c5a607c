import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.ts';
import { tokobot } from '../helpers/tokobot-cli.ts';

const base = { SOURCE: 'folder', SOURCE_DIR: '/b' };

test('WEB_*: off without a port, loopback by default; links point at WEB_URL (no trailing slash), else at the host and port; https makes the cookie Secure', () => {
  assert.deepEqual(loadConfig(base).web, { port: undefined, host: '127.0.0.1', baseUrl: 'http://127.0.0.1:80', secure: false, trustProxy: false });
  assert.deepEqual(loadConfig({ ...base, WEB_PORT: '8080' }).web, { port: 8080, host: '127.0.0.1', baseUrl: 'http://127.0.0.1:8080', secure: false, trustProxy: false });
  assert.equal(loadConfig({ ...base, WEB_PORT: '8080', WEB_HOST: '::1' }).web.baseUrl, 'http://[::1]:8080');
  assert.deepEqual(loadConfig({ ...base, WEB_PORT: '8080', WEB_HOST: '0.0.0.0', WEB_URL: 'https://toko.example.com/', WEB_TRUST_PROXY: 'true' }).web,
    { port: 8080, host: '0.0.0.0', baseUrl: 'https://toko.example.com', secure: true, trustProxy: true });
  assert.throws(() => loadConfig({ ...base, WEB_TRUST_PROXY: 'yes' }), /WEB_TRUST_PROXY/);
  assert.throws(() => loadConfig({ ...base, WEB_PORT: '70000' }), /WEB_PORT/);
  assert.throws(() => loadConfig({ ...base, WEB_URL: 'ftp://toko.example.com' }), /WEB_URL/);
});

test('tokobot web without WEB_PORT says what to set, before opening any database', async () => {
  const id = await tokobot(['web'], base);
  assert.notEqual(id.code, 0);
  assert.match(id.stderr, /WEB_PORT belum diisi.*WEB_PORT=8080/);
  const en = await tokobot(['web'], { ...base, TOKOBOT_LANG: 'en' });
  assert.match(en.stderr, /WEB_PORT is not set/);
});
