import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkRunnable, loadConfig } from '../../src/config/load-config.ts';
import { isAppError } from '../../src/errors.ts';

// A reader's config (tokobot ask, tokobot chat) needs the restore server, not the backup sources:
// what a sync or a backup needs is told when one is started (checkRunnable), and only what it misses.

const RESTORE = { RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres', TOKOBOT_LANG: 'en' };

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isAppError(err) && err.kind === 'config', `expected a config error, got ${err}`);
    return err.message;
  }
  return assert.fail('no config error');
}

test('a Dropbox store without its folder or account: refused to a command that syncs, accepted for a reader', () => {
  assert.match(configError(() => loadConfig(RESTORE)), /^DROPBOX_FOLDER: [^]*\nDROPBOX_APP_KEY, DROPBOX_REFRESH_TOKEN: /);
  const reader = loadConfig(RESTORE, { reader: true });
  assert.deepEqual(reader.stores, [{ id: 'main', name: 'main', schedule: '*/30 * * * *', staleHours: 26, timeZone: 'Asia/Jakarta', source: { type: 'dropbox', folder: '' } }]);
  assert.equal(reader.restore.pgUrl, RESTORE.PG_URL);
  const store = reader.stores[0]!;
  assert.equal(configError(() => checkRunnable(reader, { store })).split('\n').map((l) => l.split(':')[0]).join(' | '), 'DROPBOX_FOLDER | DROPBOX_APP_KEY, DROPBOX_REFRESH_TOKEN');
  const withFolder = loadConfig({ ...RESTORE, DROPBOX_FOLDER: '/ipos' }, { reader: true });
  assert.match(configError(() => checkRunnable(withFolder, { store: withFolder.stores[0]! })), /^DROPBOX_APP_KEY, DROPBOX_REFRESH_TOKEN: both are required/);
  const ready = loadConfig({ ...RESTORE, DROPBOX_FOLDER: '/ipos', DROPBOX_ACCESS_TOKEN: 't' }, { reader: true });
  checkRunnable(ready, { store: ready.stores[0]! });
});

test('a reader still needs what it reads with, and a folder store\'s sync its folder; other problems stay problems', () => {
  assert.match(configError(() => loadConfig({ RESTORE_TARGET: 'external' }, { reader: true })), /^PG_URL: /);
  const folder = loadConfig({ ...RESTORE, SOURCE: 'folder' }, { reader: true });
  assert.match(configError(() => checkRunnable(folder, { store: folder.stores[0]! })), /^SOURCE_DIR: required when SOURCE=folder/);
  const dir = mkdtempSync(path.join(tmpdir(), `tokobot-reader-${process.pid}-`));
  try {
    const file = path.join(dir, 'tokobot.json');
    writeFileSync(file, JSON.stringify({
      stores: [{ id: 'a', dir: '/srv/a' }, { id: 'b', dropboxFolder: '/ipos/b' }, { id: 'a', dir: '/srv/c' }],
      jobs: [{ id: 'db', type: 'postgres', url: 'postgres://x@127.0.0.1/db', destinations: [{ type: 'dropbox', folder: '/backups' }] }],
    }));
    assert.match(configError(() => loadConfig({ ...RESTORE, TOKOBOT_CONFIG: file }, { reader: true })), /^stores: .*"a"/);
    writeFileSync(file, JSON.stringify({
      stores: [{ id: 'a', dir: '/srv/a' }, { id: 'b', dropboxFolder: '/ipos/b' }],
      jobs: [{ id: 'db', type: 'postgres', url: 'postgres://x@127.0.0.1/db', destinations: [{ type: 'dropbox', folder: '/backups' }] }],
    }));
    assert.match(configError(() => loadConfig({ ...RESTORE, TOKOBOT_CONFIG: file })), /DROPBOX_APP_KEY[^]*\njobs: /);
    const two = loadConfig({ ...RESTORE, TOKOBOT_CONFIG: file }, { reader: true });
    checkRunnable(two, { store: two.stores[0]! }); // the folder store syncs without the Dropbox account the other needs
    assert.match(configError(() => checkRunnable(two, { store: two.stores[1]! })), /^DROPBOX_APP_KEY, DROPBOX_REFRESH_TOKEN: /);
    assert.match(configError(() => checkRunnable(two, { job: two.jobs[0]! })), /^jobs: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
