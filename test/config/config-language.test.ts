import { after, test } from 'node:test';
import { configProblems } from '../helpers/config-problems.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { langFrom } from '../../src/config/lang-from.ts';
import { dropboxAuthSettings, loadConfig } from '../../src/config/load-config.ts';

const made: string[] = [];
after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
function file(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `tokobot-config-lang-${process.pid}-`));
  made.push(dir);
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

const problems = configProblems;

const line = (lines: string[], name: string) => lines.find((l) => l.startsWith(`${name}: `)) ?? assert.fail(`no line for ${name} in\n${lines.join('\n')}`);

test('the language: TOKOBOT_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: en_* is English), else Indonesian', () => {
  assert.equal(langFrom({}), 'id');
  assert.equal(langFrom({ LANG: 'en_US.UTF-8' }), 'en');
  assert.equal(langFrom({ LANG: 'en' }), 'en');
  assert.equal(langFrom({ LANG: 'id_ID.UTF-8' }), 'id');
  assert.equal(langFrom({ LANG: 'C.UTF-8' }), 'id');
  assert.equal(langFrom({ LANG: 'english' }), 'id', 'only a locale name counts');
  assert.equal(langFrom({ LC_ALL: 'id_ID.UTF-8', LANG: 'en_GB.UTF-8' }), 'id', 'LC_ALL comes first');
  assert.equal(langFrom({ LC_MESSAGES: 'en_AU.UTF-8', LANG: 'id_ID' }), 'en', 'LC_MESSAGES before LANG');
  assert.equal(langFrom({ LC_ALL: ' ', LANG: 'en_US' }), 'en', 'a blank LC_ALL is unset');
  assert.equal(langFrom({ TOKOBOT_LANG: 'id', LANG: 'en_US.UTF-8' }), 'id');
  assert.equal(langFrom({ TOKOBOT_LANG: ' EN ' }), 'en');
  assert.equal(langFrom({ TOKOBOT_LANG: 'fr', LANG: 'en_US.UTF-8' }), 'en', 'an unknown TOKOBOT_LANG falls back to the locale');
});

test('the parsed language and zone: config.locale, and alert recipients without a language get it', () => {
  const recipients = file('alerts.yaml', 'alerts:\n  recipients:\n    - name: Bu Sri\n      telegram: 1001\n    - name: Andi\n      telegram: 1002\n      lang: id\n');
  const c = loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/b', LANG: 'en_US.UTF-8', STORE_TZ: 'Asia/Makassar', TELEGRAM_ALERT_CHATS: '-100', TOKOBOT_CONFIG: recipients });
  assert.deepEqual(c.locale, { lang: 'en', zone: 'Asia/Makassar' });
  assert.deepEqual(c.alerts.recipients.map((r) => [r.name, r.lang]), [['Bu Sri', 'en'], ['Andi', 'id'], ['Telegram -100', 'en']]);
  assert.deepEqual(loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/b' }).locale, { lang: 'id', zone: 'Asia/Jakarta' });
  assert.equal(loadConfig({ SOURCE: 'folder', SOURCE_DIR: '/b', TOKOBOT_LANG: 'EN' }).locale.lang, 'en');
  assert.match(line(problems({ SOURCE: 'folder', SOURCE_DIR: '/b', TOKOBOT_LANG: 'jawa' }), 'TOKOBOT_LANG'), /harus id \(Bahasa Indonesia\) atau en/);
});

const wrong = { SOURCE: 'ftp', PG_DOCKER_PORT: 'abc', RESTORE_JOBS: '99', EXPORT_KEEP: '0', STORE_TZ: 'Mars/Base', TELEGRAM_PUBLIC: 'yes', TELEGRAM_OWNERS: 'bos' };

test('config errors in Indonesian by default: each line names the variable, then says what is wrong', () => {
  const id = problems(wrong);
  assert.equal(id.length, 7, id.join('\n'));
  assert.equal(line(id, 'SOURCE'), 'SOURCE: harus dropbox atau folder');
  assert.equal(line(id, 'PG_DOCKER_PORT'), 'PG_DOCKER_PORT: harus nomor port (1-65535)');
  assert.equal(line(id, 'RESTORE_JOBS'), 'RESTORE_JOBS: maksimal 16');
  assert.equal(line(id, 'EXPORT_KEEP'), 'EXPORT_KEEP: minimal 1');
  assert.match(line(id, 'STORE_TZ'), /^STORE_TZ: harus nama zona waktu seperti Asia\/Jakarta \(WIB\)/);
  assert.equal(line(id, 'TELEGRAM_PUBLIC'), 'TELEGRAM_PUBLIC: harus true atau false');
  assert.match(line(id, 'TELEGRAM_OWNERS'), /^TELEGRAM_OWNERS: harus ID pengguna Telegram dipisah koma/);

  const combos = problems({ SOURCE: 'folder', RESTORE_TARGET: 'external', SYNC_CRON: 'tiap jam' });
  assert.deepEqual(combos, [
    'SOURCE_DIR: wajib diisi bila SOURCE=folder (folder berisi backup .i5bu/.zip)',
    'SYNC_CRON: "tiap jam" bukan ekspresi cron lima bagian: menit jam tanggal bulan hari (mis. */30 * * * * untuk setiap 30 menit)',
    'PG_URL: wajib diisi bila RESTORE_TARGET=external (postgres://user:password@host:5432/postgres)',
  ]);
});

test('config errors in English with TOKOBOT_LANG=en or an English locale, the same lines otherwise', () => {
  const en = problems({ ...wrong, TOKOBOT_LANG: 'en' });
  assert.deepEqual(problems({ ...wrong, LANG: 'en_US.UTF-8' }), en);
  assert.equal(line(en, 'SOURCE'), 'SOURCE: expected dropbox or folder');
  assert.equal(line(en, 'PG_DOCKER_PORT'), 'PG_DOCKER_PORT: expected a port number (1-65535)');
  assert.equal(line(en, 'RESTORE_JOBS'), 'RESTORE_JOBS: expected 16 or less');
  assert.equal(line(en, 'EXPORT_KEEP'), 'EXPORT_KEEP: expected 1 or more');
  assert.equal(line(en, 'TELEGRAM_PUBLIC'), 'TELEGRAM_PUBLIC: expected true or false');
  const id = problems(wrong);
  assert.deepEqual(en.map((l) => l.split(':')[0]), id.map((l) => l.split(':')[0]), 'the same variables, in the same order');
  for (const [i, l] of en.entries()) assert.notEqual(l, id[i], 'each line is said in the language');
  assert.deepEqual(problems({ SOURCE: 'folder', RESTORE_TARGET: 'external', LC_ALL: 'en_GB.UTF-8' }), [
    'SOURCE_DIR: required when SOURCE=folder (the folder holding the .i5bu/.zip backups)',
    'PG_URL: required when RESTORE_TARGET=external (postgres://user:password@host:5432/postgres)',
  ]);
});

test('the config file\'s problems name the file and field, in both languages', () => {
  const config = file('tokobot.yaml', [
    'stores:', '  - name: Tanpa Id', '    dir: /a', '    colour: red', '  - id: dua', '    dir: /b', '    dropboxFolder: /c', 'jobs:',
    '  - id: db', '    type: postgres', '    url: postgres://u@h/x', '    ipos: true', '    destinations: []', '  - id: web', '    type: mysql',
    '    url: mysql://u@h/x', '    ipos: true', '    destinations: [{ type: local, dir: /srv }]',
  ].join('\n'));
  const id = problems({ TOKOBOT_CONFIG: config });
  assert.ok(id.includes(`${config}: stores.0.id: wajib diisi`), id.join('\n'));
  assert.ok(id.includes(`${config}: stores.0: tidak dikenal: colour (periksa ejaannya)`), id.join('\n'));
  assert.ok(id.includes(`${config}: stores.1: isi salah satu saja: dropboxFolder atau dir`), id.join('\n'));
  assert.ok(id.includes(`${config}: jobs.0.destinations: cantumkan minimal satu tujuan`), id.join('\n'));
  assert.ok(id.includes(`${config}: jobs.1.ipos: hanya job postgres yang bisa berisi database iPOS`), id.join('\n'));
  const en = problems({ TOKOBOT_CONFIG: config, TOKOBOT_LANG: 'en' });
  assert.ok(en.includes(`${config}: stores.0.id: required`), en.join('\n'));
  assert.ok(en.includes(`${config}: stores.0: not a known field: colour (check the spelling)`), en.join('\n'));
  assert.ok(en.includes(`${config}: jobs.1.ipos: only a postgres job can hold an iPOS database`), en.join('\n'));
  assert.deepEqual(problems({ TOKOBOT_CONFIG: file('x.json', '{"stores": {}}') }).map((l) => l.split(': ').slice(1).join(': ')), ['stores: harus berupa daftar']);
  assert.deepEqual(problems({ TOKOBOT_CONFIG: '/nonexistent/tokobot.yaml', TOKOBOT_LANG: 'en' }), ['TOKOBOT_CONFIG: there is no file /nonexistent/tokobot.yaml']);
  assert.deepEqual(problems({ TOKOBOT_CONFIG: '/nonexistent/tokobot.yaml' }), ['TOKOBOT_CONFIG: file /nonexistent/tokobot.yaml tidak ada']);
});

test('no secret appears in a config error, in either language', () => {
  const secrets = ['pg-pass-secret', 'sekret-app-secret', 'short-token', 'job-db-password', 'tinypass', 'yaml-line-secret', 'json-text-secret'];
  const jobs = file('jobs.json', JSON.stringify({ jobs: [
    { id: 'a', type: 'mysql', url: 'postgres://u:job-db-password@h/x', destinations: [{ type: 'local', dir: '/b' }], encryption: { passphraseEnv: 'PASS' } },
  ] }));
  const env = { SOURCE: 'dropbox', DROPBOX_FOLDER: '/x', DROPBOX_APP_SECRET: 'sekret-app-secret', RESTORE_TARGET: 'external',
    PG_URL: 'mysql://shop:pg-pass-secret@db/x', HTTP_TOKEN: 'short-token', PASS: 'tinypass' };
  const badYaml = file('bad.yaml', 'jobs:\n  - id: a\n    url: "postgres://u:yaml-line-secret@h/x\n    type: postgres\n');
  const badJson = file('bad.json', '{"jobs": [{"url": "postgres://u:json-text-secret@h/x" "id": "a"}]}');
  for (const lang of ['id', 'en']) {
    const envLines = problems({ ...env, TOKOBOT_LANG: lang });
    assert.ok(envLines.some((l) => l.startsWith('PG_URL: ')) && envLines.some((l) => l.startsWith('HTTP_TOKEN: ')), envLines.join('\n'));
    const jobLines = problems({ SOURCE: 'folder', SOURCE_DIR: '/b', TOKOBOT_CONFIG: jobs, PASS: 'tinypass', TOKOBOT_LANG: lang });
    assert.ok(jobLines.some((l) => l.startsWith('jobs.0 (a).url: ')) && jobLines.some((l) => l.startsWith('jobs.0 (a).encryption: ')), jobLines.join('\n'));
    const yaml = problems({ TOKOBOT_CONFIG: badYaml, TOKOBOT_LANG: lang });
    assert.match(yaml[0] ?? '', lang === 'id' ? /bukan YAML yang benar: periksa baris \d+, kolom \d+$/ : /is not valid YAML: check line \d+, column \d+$/);
    const json = problems({ TOKOBOT_CONFIG: badJson, TOKOBOT_LANG: lang });
    assert.match(json[0] ?? '', lang === 'id' ? /bukan JSON yang benar: periksa baris 1, kolom 55$/ : /is not valid JSON: check line 1, column 55$/);
    const all = [...envLines, ...jobLines, ...yaml, ...json].join('\n');
    for (const s of secrets) assert.ok(!all.includes(s), `${s} in:\n${all}`);
  }
});

test('the settings a few commands read early are checked in the language too', () => {
  assert.deepEqual(problems({ DROPBOX_API_URL: 'ftp://x' }, dropboxAuthSettings), ['DROPBOX_API_URL: harus URL yang diawali http:// atau https://, mis. https://api.example.com']);
  assert.deepEqual(problems({ DROPBOX_API_URL: 'ftp://x', LANG: 'en_US.UTF-8' }, dropboxAuthSettings), ['DROPBOX_API_URL: expected a URL starting with http:// or https://, e.g. https://api.example.com']);
});
