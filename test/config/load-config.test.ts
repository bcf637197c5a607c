import { after, test } from 'node:test';
import { configProblems } from '../helpers/config-problems.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';

/** Every folder a test here makes, removed at the end. */
const made: string[] = [];
const tempDir = (prefix: string) => { const d = mkdtempSync(path.join(tmpdir(), prefix)); made.push(d); return d; };
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

/** The problems, in English (config-language.test.ts covers Indonesian, the default). */
function problems(env: Record<string, string>): string[] {
  return configProblems({ TOKOBOT_LANG: 'en', ...env });
}

test('a single folder store from the environment alone', () => {
  const c = loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/srv/backups', RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres' });
  assert.deepEqual(c.stores, [{ id: 'main', name: 'main', schedule: '*/30 * * * *', staleHours: 26, timeZone: 'Asia/Jakarta', source: { type: 'folder', dir: '/srv/backups' } }]);
  assert.equal(c.restore.docker.image, 'postgres:16-alpine');
  assert.equal(c.sync.exportKeep, 5);
  assert.equal(c.sync.maxRowDrop, 0.2);
});

test('each problem is one line naming the variable', () => {
  const lines = problems({ SOURCE: 'ftp', PG_DOCKER_PORT: 'abc', RESTORE_TARGET: 'docker' });
  assert.ok(lines.some((l) => l.startsWith('SOURCE:')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('PG_DOCKER_PORT:')), lines.join('\n'));
});

test('combinations: Dropbox credentials and PG_URL are required where they are used', () => {
  const lines = problems({ DROPBOX_FOLDER: '/ipos', DROPBOX_APP_KEY: 'k', RESTORE_TARGET: 'external' });
  assert.ok(lines.some((l) => l.includes('DROPBOX_REFRESH_TOKEN')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('PG_URL:')), lines.join('\n'));
});

test('empty values in .env count as unset', () => {
  const c = loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/b', DROPBOX_API_URL: '', PG_DOCKER_PORT: '' });
  assert.equal(c.dropbox.apiUrl, undefined);
  assert.equal(c.restore.docker.port, 55432);
});

test('secrets never appear in config errors', () => {
  const lines = problems({ SOURCE: 'dropbox', DROPBOX_FOLDER: '/x', DROPBOX_APP_SECRET: 'sekret-value-123', PG_DOCKER_PORT: '99999' });
  assert.ok(!lines.join('\n').includes('sekret-value-123'));
});

test('several stores from a YAML file; errors name the field', () => {
  const dir = tempDir('tokobot-config-');
  const good = path.join(dir, 'good.yaml');
  writeFileSync(good, 'stores:\n  - id: pusat\n    name: Toko Pusat\n    dir: /srv/pusat\n  - id: cabang1\n    dropboxFolder: /iPOS/cabang1\n');
  const c = loadConfig({ TOKOBOT_CONFIG: good, DROPBOX_ACCESS_TOKEN: 't' });
  assert.deepEqual(c.stores.map((s) => [s.id, s.name, s.source.type]), [['pusat', 'Toko Pusat', 'folder'], ['cabang1', 'cabang1', 'dropbox']]);

  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ stores: [{ id: 'Toko Besar', dir: '/a' }, { id: 'x' }] }));
  const lines = problems({ TOKOBOT_CONFIG: bad });
  assert.ok(lines.some((l) => l.includes('stores.0.id')), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('stores.1') && l.includes('dropboxFolder or dir')), lines.join('\n'));
});

function withConfigFile(content: object, env: Record<string, string> = {}) {
  const dir = tempDir('tokobot-jobs-');
  const file = path.join(dir, 'tokobot.json');
  writeFileSync(file, JSON.stringify(content));
  return { SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres', TOKOBOT_CONFIG: file, ...env };
}

test('jobs: defaults, URLs and passphrases from the environment, file endings', () => {
  const c = loadConfig(withConfigFile({ jobs: [
    { id: 'ipos', type: 'postgres', ipos: true, urlEnv: 'IPOS_URL', destinations: [{ type: 'local', dir: '/srv/backup' }] },
    { id: 'web-shop', type: 'mysql', url: 'mysql://root@127.0.0.1/shop', schedule: '30 1 * * *', encryption: { passphraseEnv: 'WEB_PASS' },
      destinations: [{ type: 'local', dir: '/srv/backup' }], retention: { keepLast: 3 }, verify: false, timeoutMinutes: 5 },
  ] }, { IPOS_URL: 'postgres://ipos@10.0.0.5/i5', WEB_PASS: 'twelve chars long' }));
  const [ipos, web] = c.jobs;
  assert.equal(ipos?.url, 'postgres://ipos@10.0.0.5/i5');
  assert.equal(ipos?.extension, '.i5bu');
  assert.deepEqual(ipos?.retention, { keepLast: 7, daily: 7, weekly: 4, monthly: 6 });
  assert.equal(ipos?.verify, true);
  assert.equal(ipos?.timeoutMs, 60 * 60_000);
  assert.equal(web?.extension, '.sql.gz.enc');
  assert.equal(web?.passphrase, 'twelve chars long');
  assert.deepEqual(web?.retention, { keepLast: 3, daily: 7, weekly: 4, monthly: 6 });
  assert.equal(web?.timeoutMs, 5 * 60_000);
});

test('jobs: each problem names the job and field, and no secret is repeated', () => {
  const lines = problems(withConfigFile({ jobs: [
    { id: 'a', type: 'postgres', urlEnv: 'MISSING_URL', destinations: [{ type: 'local', dir: '/b' }], schedule: 'every night' },
    { id: 'b', type: 'mysql', url: 'postgres://secret-pw@x/y', destinations: [{ type: 'dropbox', folder: '/b' }], encryption: { passphraseEnv: 'SHORT' } },
    { id: 'a', type: 'postgres', url: 'postgres://x/y', destinations: [{ type: 'local', dir: '/b' }] },
  ] }, { SHORT: 'tiny' }));
  const all = lines.join('\n');
  assert.match(all, /jobs\.0 \(a\)\.urlEnv: the environment variable MISSING_URL is not set/);
  assert.match(all, /jobs\.0 \(a\)\.schedule: "every night" is not a five-field cron expression/);
  assert.match(all, /jobs\.1 \(b\)\.url: expected a URL starting with mysql:\/\//);
  assert.match(all, /jobs\.1 \(b\)\.encryption: the passphrase in SHORT is too short/);
  assert.match(all, /jobs\.2 \(a\): job id "a" is listed twice/);
  assert.match(all, /jobs: a dropbox destination needs DROPBOX_APP_KEY/);
  assert.doesNotMatch(all, /secret-pw|tiny/);
  const shape = problems(withConfigFile({ jobs: [{ id: 'Bad Id', type: 'oracle', destinations: [{ type: 's3' }], url: 'x', urlEnv: 'Y' }] }));
  assert.ok(shape.some((l) => /jobs\.0\.id: expected 1-40 characters/.test(l)), shape.join('\n'));
  assert.ok(shape.some((l) => /jobs\.0\.type:/.test(l)), shape.join('\n'));
  assert.ok(shape.some((l) => /jobs\.0\.destinations\.0/.test(l)), shape.join('\n'));
});

test('sections: booleans as booleans, durations in ms, sizes in bytes, lists parsed, webhook only when its URL is set', () => {
  const c = loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/b', TELEGRAM_PUBLIC: 'true', WHATSAPP_ENABLED: 'false', ALERT_REMIND_HOURS: '2',
    STALE_BACKUP_HOURS: '30', DISK_MIN_FREE_MB: '100', ZIP_MAX_MB: '3', TELEGRAM_OWNERS: '11, 22', TELEGRAM_STAFF: '22,33',
    TELEGRAM_OWNER_GROUPS: '-100', WHATSAPP_ALLOWED_NUMBERS: '+6281234567,6281234567890', HTTP_PORT: '8080' });
  assert.equal(c.telegram.publicMode, true);
  assert.equal(c.whatsapp.enabled, false);
  assert.equal(c.telegram.webhook, undefined);
  assert.deepEqual([...c.telegram.roles], [[22, 'owner'], [33, 'staff'], [11, 'owner']]);
  assert.deepEqual([...c.telegram.ownerGroups], [-100]);
  assert.deepEqual(c.whatsapp.allowed, ['6281234567', '6281234567890']);
  assert.deepEqual({ remind: c.alerts.remindMs, stale: c.alerts.staleBackupMs, disk: c.alerts.diskMinFreeBytes },
    { remind: 2 * 3_600_000, stale: 30 * 3_600_000, disk: 100 * 1024 * 1024 });
  assert.deepEqual(c.sync.zip, { maxBytes: 3 * 1024 * 1024, maxRatio: 100 });
  assert.deepEqual(c.http, { port: 8080, host: '127.0.0.1', token: undefined });
  assert.deepEqual(c.restore.embedded, { port: 55439 });
  const hooked = loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/b', TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/hook' });
  assert.deepEqual(hooked.telegram.webhook, { url: 'https://bot.example.com/hook', port: 8443 });
  assert.equal(hooked.telegram.publicMode, false);
});

test('proxy: HTTPS_PROXY, HTTP_PROXY and NO_PROXY, or their lower-case forms (the upper-case one wins); a proxy without its scheme is refused', () => {
  const folder = { SOURCE: 'folder', SOURCE_DIR: '/b' };
  assert.deepEqual(loadConfig(folder).proxy, { https: undefined, http: undefined, noProxy: [] });
  assert.deepEqual(loadConfig({ ...folder, https_proxy: 'http://lower:3128', http_proxy: 'http://web:8080', no_proxy: 'kantor.lan, 10.0.0.0/8 .local' }).proxy,
    { https: 'http://lower:3128', http: 'http://web:8080', noProxy: ['kantor.lan', '10.0.0.0/8', '.local'] });
  assert.equal(loadConfig({ ...folder, https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128' }).proxy.https, 'http://upper:3128');
  const line = problems({ ...folder, HTTPS_PROXY: 'proxy.kantor:3128' }).find((l) => l.startsWith('HTTPS_PROXY:'));
  assert.match(line ?? '', /expected a URL starting with http:\/\/ or https:\/\/, e\.g\. http:\/\/proxy\.kantor:3128/);
});

test('URL settings need their scheme and a host: "dbserver:5432" never means 127.0.0.1', () => {
  const external = { SOURCE: 'folder', SOURCE_DIR: '/b', RESTORE_TARGET: 'external' };
  for (const bad of ['dbserver:5432', 'not a url', 'http://dbserver:5432/postgres', 'postgres:///postgres']) {
    const line = problems({ ...external, PG_URL: bad }).find((l) => l.startsWith('PG_URL:'));
    assert.ok(line, `PG_URL=${bad} was accepted`);
    assert.match(line, /postgres:\/\/user:password@dbserver:5432\/postgres/, line);
  }
  const secret = problems({ ...external, PG_URL: 'mysql://shop:pg-pass-secret@db/x' }).join('\n');
  assert.ok(!secret.includes('pg-pass-secret'), secret);
  assert.equal(loadConfig({ ...external, PG_URL: 'postgresql://u:p@dbserver:5432/postgres' }).restore.pgUrl, 'postgresql://u:p@dbserver:5432/postgres');

  const lines = problems({ SOURCE: 'folder', SOURCE_DIR: '/b', TELEGRAM_API_ROOT: 'localhost:8081', TELEGRAM_WEBHOOK_URL: 'http://bot.example.com/hook', DROPBOX_API_URL: 'ftp://x' });
  for (const name of ['TELEGRAM_API_ROOT', 'TELEGRAM_WEBHOOK_URL', 'DROPBOX_API_URL']) assert.ok(lines.some((l) => l.startsWith(`${name}:`)), lines.join('\n'));

  const job = (url: string, type = 'postgres') => withConfigFile({ jobs: [{ id: 'j', type, url, destinations: [{ type: 'local', dir: '/srv/b' }] }] });
  assert.ok(problems(job('dbserver:5432')).some((l) => l.startsWith('jobs.0 (j).url:') && l.includes('postgres://')));
  assert.ok(problems(job('postgres://u@shopdb/x', 'mysql')).some((l) => l.startsWith('jobs.0 (j).url:') && l.includes('mysql://')));
  assert.equal(loadConfig(job('mysql://root@127.0.0.1/shop', 'mysql')).jobs[0]?.url, 'mysql://root@127.0.0.1/shop');
});

test('schedules have five fields: a seconds field is refused (the job queue counts in minutes); fleet settings parse', () => {
  const base = { SOURCE: 'folder', SOURCE_DIR: '/b', RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres' };
  assert.match(problems({ ...base, SYNC_CRON: '*/10 * * * * *' }).join('\n'), /^SYNC_CRON: "\*\/10 \* \* \* \* \*" is not a five-field cron expression/m);
  const c = loadConfig({ ...base, SYNC_CRON: '0 2 * * 1-5', WORKER_CONCURRENCY: '0', WORKER_NAME: 'gudang-2', WORKER_DEAD_AFTER_S: '30',
    OPS_DATABASE_URL: 'postgres://tokobot:rahasia@ops.lan:5432/tokobot_ops' });
  assert.deepEqual(c.worker, { concurrency: 0, name: 'gudang-2', deadAfterMs: 30_000 });
  assert.equal(c.ops.url, 'postgres://tokobot:rahasia@ops.lan:5432/tokobot_ops');
  assert.equal(loadConfig(base).worker.concurrency, 1);
  assert.match(problems({ ...base, OPS_DATABASE_URL: 'ops.lan:5432' }).join('\n'), /^OPS_DATABASE_URL: /m);
  assert.match(problems({ ...base, WORKER_DEAD_AFTER_S: '3' }).join('\n'), /^WORKER_DEAD_AFTER_S: /m);
});
