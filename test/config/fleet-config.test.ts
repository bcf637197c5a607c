import { after, test } from 'node:test';
import { configProblems } from '../helpers/config-problems.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';

/** A fleet in one config file (issue 15): storeDefaults, per-store schedules and thresholds, recipients limited to their stores. */
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-fleet-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres', DROPBOX_ACCESS_TOKEN: 't', TOKOBOT_LANG: 'en' };

function configFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problems(file: string, env: Record<string, string> = {}): string[] {
  return configProblems({ ...ENV, TOKOBOT_CONFIG: file, ...env });
}

const FLEET = `
storeDefaults:
  schedule: "15 * * * *"
  staleHours: 30
  timeZone: Asia/Makassar
  dropboxRoot: /iPOS/toko
stores:
  - id: pusat
    name: Toko Pusat
  - id: cabang1
    schedule: "*/10 6-22 * * *"
    staleHours: 12
    timeZone: Asia/Jakarta
  - id: gudang
    dir: /srv/gudang
  - id: lama
    dropboxFolder: /Backup Lama/
alerts:
  recipients:
    - { name: Kantor Pusat, telegram: 1001 }
    - { name: Pak Budi (cabang1), whatsapp: "6281234567890", stores: [cabang1, gudang] }
`;

test('storeDefaults fill what a store leaves out; a store\'s own setting wins; the Dropbox folder comes from dropboxRoot and the id', () => {
  const c = loadConfig({ ...ENV, TOKOBOT_CONFIG: configFile('fleet.yaml', FLEET), SYNC_CRON: '0 * * * *', STALE_BACKUP_HOURS: '48' });
  assert.deepEqual(c.stores, [
    { id: 'pusat', name: 'Toko Pusat', schedule: '15 * * * *', staleHours: 30, timeZone: 'Asia/Makassar', source: { type: 'dropbox', folder: '/iPOS/toko/pusat' } },
    { id: 'cabang1', name: 'cabang1', schedule: '*/10 6-22 * * *', staleHours: 12, timeZone: 'Asia/Jakarta', source: { type: 'dropbox', folder: '/iPOS/toko/cabang1' } },
    { id: 'gudang', name: 'gudang', schedule: '15 * * * *', staleHours: 30, timeZone: 'Asia/Makassar', source: { type: 'folder', dir: '/srv/gudang' } },
    { id: 'lama', name: 'lama', schedule: '15 * * * *', staleHours: 30, timeZone: 'Asia/Makassar', source: { type: 'dropbox', folder: '/Backup Lama/' } },
  ]);
  assert.deepEqual(c.alerts.recipients.map((r) => [r.name, r.stores]), [['Kantor Pusat', undefined], ['Pak Budi (cabang1)', ['cabang1', 'gudang']]]);
});

test('without storeDefaults: SYNC_CRON, STALE_BACKUP_HOURS and STORE_TZ; each store still names its folder', () => {
  const file = configFile('plain.json', JSON.stringify({ stores: [{ id: 'a', dir: '/a' }, { id: 'b', dropboxFolder: '/b', schedule: '0 2 * * *' }] }));
  const c = loadConfig({ ...ENV, TOKOBOT_CONFIG: file, SYNC_CRON: '5 * * * *', STALE_BACKUP_HOURS: '20', STORE_TZ: 'Asia/Jayapura' });
  assert.deepEqual(c.stores.map((s) => [s.id, s.schedule, s.staleHours, s.timeZone]), [['a', '5 * * * *', 20, 'Asia/Jayapura'], ['b', '0 2 * * *', 20, 'Asia/Jayapura']]);
  const single = loadConfig({ ...ENV, SOURCE: 'folder', SOURCE_DIR: '/srv', SYNC_CRON: '5 * * * *' });
  assert.deepEqual(single.stores.map((s) => [s.id, s.schedule, s.staleHours]), [['main', '5 * * * *', 26]], 'the store of the environment: SYNC_CRON');
});

test('a schedule that is not a 5-field cron, a store with no folder and no root, a recipient\'s unknown store: one line each, naming the field', () => {
  const file = configFile('bad.yaml', [
    'storeDefaults: { schedule: "*/2 * * * * *" }',
    'stores:', '  - { id: pusat, dir: /a, schedule: tiap jam }', '  - { id: cabang, schedule: "0 7 * * *" }', '  - { id: both, dir: /c, dropboxFolder: /c }',
  ].join('\n'));
  const lines = problems(file);
  assert.deepEqual(lines.map((l) => l.slice(file.length + 2)), [
    'storeDefaults.schedule: "*/2 * * * * *" is not a 5-field cron expression: minute hour day month weekday (e.g. */30 * * * * for every 30 minutes, 0 6-22 * * * hourly 06:00-22:00)',
    'stores.0.schedule: "tiap jam" is not a 5-field cron expression: minute hour day month weekday (e.g. */30 * * * * for every 30 minutes, 0 6-22 * * * hourly 06:00-22:00)',
    'stores.2: give exactly one of dropboxFolder or dir',
    'stores.1: give dropboxFolder or dir, or storeDefaults.dropboxRoot for every store',
  ]);
  const recipients = configFile('recipients.json', JSON.stringify({ stores: [{ id: 'pusat', dir: '/a' }],
    alerts: { recipients: [{ name: 'Bu Sri', telegram: 1, stores: ['pusat', 'pasat'] }, { name: 'Andi', telegram: 2, stores: ['Toko Besar'] }] } }));
  assert.deepEqual(problems(recipients), [`${recipients}: alerts.recipients.1.stores.0: expected 1-32 characters a-z, 0-9 or _`]);
  writeFileSync(recipients, JSON.stringify({ stores: [{ id: 'pusat', dir: '/a' }], alerts: { recipients: [{ name: 'Bu Sri', telegram: 1, stores: ['pusat', 'pasat'] }] } }));
  assert.deepEqual(problems(recipients), ['alerts.recipients.0 (Bu Sri).stores: no store in stores has the id "pasat"']);
  assert.deepEqual(problems(recipients, { TOKOBOT_LANG: 'id' }), ['alerts.recipients.0 (Bu Sri).stores: tidak ada toko dengan ID "pasat" di stores']);
});

test('500 stores load, in the file\'s order, each with its own folder; a duplicate among them is named', () => {
  const ids = Array.from({ length: 500 }, (_, i) => `toko_${String(i).padStart(3, '0')}`);
  const stores = ids.map((id, i) => ({ id, name: `Toko ${i}`, ...(i % 7 === 0 ? { schedule: `${i % 60} * * * *` } : {}), ...(i % 50 === 0 ? { timeZone: 'Asia/Makassar' } : {}) }));
  const file = configFile('fleet-500.json', JSON.stringify({ storeDefaults: { dropboxRoot: '/iPOS', schedule: '*/30 * * * *' }, stores,
    alerts: { recipients: ids.slice(0, 100).map((id, i) => ({ name: `Manajer ${i}`, telegram: 5000 + i, stores: [id] })) } }));
  const c = loadConfig({ ...ENV, TOKOBOT_CONFIG: file });
  assert.deepEqual(c.stores.map((s) => s.id), ids);
  assert.equal(c.stores[499]?.source.type === 'dropbox' && c.stores[499].source.folder, '/iPOS/toko_499');
  assert.deepEqual([c.stores[7]?.schedule, c.stores[8]?.schedule, c.stores[50]?.timeZone, c.stores[51]?.timeZone], ['7 * * * *', '*/30 * * * *', 'Asia/Makassar', 'Asia/Jakarta']);
  assert.equal(c.alerts.recipients.length, 100);

  writeFileSync(file, JSON.stringify({ storeDefaults: { dropboxRoot: '/iPOS' }, stores: [...stores, { id: 'toko_123' }] }));
  assert.deepEqual(problems(file), ['stores: store id "toko_123" is listed twice']);
});

test("the README's fleet example loads as it says", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const example = /```yaml\n(storeDefaults:[^`]*)```/.exec(readme)?.[1];
  assert.ok(example, 'the README shows a fleet');
  const c = loadConfig({ ...ENV, TOKOBOT_CONFIG: configFile('readme.yaml', example) });
  assert.deepEqual(c.stores.map((s) => [s.id, s.schedule, s.staleHours, s.timeZone, s.source]), [
    ['pusat', '*/30 7-22 * * *', 26, 'Asia/Jakarta', { type: 'dropbox', folder: '/iPOS/pusat' }],
    ['makassar1', '0 * * * *', 26, 'Asia/Makassar', { type: 'dropbox', folder: '/iPOS/makassar1' }],
    ['gudang', '*/30 7-22 * * *', 72, 'Asia/Jakarta', { type: 'folder', dir: '/srv/backup/gudang' }],
  ]);
  assert.deepEqual(c.alerts.recipients.map((r) => r.stores), [undefined, ['makassar1']]);
});
