import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log.ts';

test('the configuration logged whole or as `config` shows none of its secrets', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-log-'));
  try {
    const file = path.join(dir, 'tokobot.json');
    writeFileSync(file, JSON.stringify({ jobs: [{ id: 'shop', type: 'postgres', urlEnv: 'SHOP_URL', encryption: { passphraseEnv: 'SHOP_PASS' }, ping: { urlEnv: 'SHOP_PING' },
      destinations: [{ type: 'local', dir }] }] }));
    const secrets = {
      PG_URL: 'postgres://u:pg-url-secret@127.0.0.1/postgres', PG_DOCKER_PASSWORD: 'docker-pw-secret', DROPBOX_APP_SECRET: 'app-secret-x',
      DROPBOX_REFRESH_TOKEN: 'refresh-token-x', DROPBOX_ACCESS_TOKEN: 'access-token-x', TELEGRAM_BOT_TOKEN: '123:bot-token-x',
      HTTP_TOKEN: 'http-token-0123456789', SHOP_URL: 'postgres://u:job-url-secret@10.0.0.5/shop', SHOP_PASS: 'job-passphrase-x', SHOP_PING: 'https://hc-ping.com/ping-uuid-secret',
      HTTPS_PROXY: 'http://kantor:proxy-pw-secret@proxy.kantor:3128',
    };
    const config = loadConfig({ SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', DROPBOX_APP_KEY: 'k', TOKOBOT_CONFIG: file, ...secrets });
    let out = '';
    const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } }));
    logger.info(config, 'whole');
    logger.info({ config }, 'nested');
    assert.match(out, /whole/);
    assert.match(out, /nested/);
    assert.match(out, /\[secret\]/);
    for (const [name, value] of Object.entries(secrets)) assert.ok(!out.includes(value.split('@')[0] as string), `${name} reached the log`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
