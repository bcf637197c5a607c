import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentFileSchema } from '../../src/config/agent-file-schema.ts';
import { headOfficeUrl } from '../../src/cli/agent-enroll.ts';
import { StandInHeadOffice } from '../helpers/stand-in-head-office.ts';
import { tokobot, tokobotProcess } from '../helpers/tokobot-cli.ts';

/** `tokobot agent enroll`: against a stand-in head office on the loopback that answers the protocol's hello. */
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-enroll-'));
const GOOD = 'tka_cabang_1_goodgoodgoodgoodgoodgood';
const FOLDERLESS = 'tka_gudang_folderlessfolderless0000';
const REVOKED = 'tka_cabang_1_revokedrevokedrevoked00';
let office: StandInHeadOffice;
let n = 0;

before(async () => {
  office = await StandInHeadOffice.start({
    [GOOD]: { store: { id: 'cabang_1', name: 'Cabang Satu', timeZone: 'Asia/Jakarta', dropboxFolder: '/iPOS/cabang_1' } },
    [FOLDERLESS]: { store: { id: 'gudang', name: 'Gudang', timeZone: 'Asia/Makassar', dropboxFolder: null } },
    [REVOKED]: { refusal: 'token-revoked' },
  });
});
after(async () => {
  await office.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh DATA_DIR per test: the agent file goes to DATA_DIR/agent.json. */
function machine(lang = 'en'): { env: Record<string, string>; file: string } {
  const data = path.join(dir, `pc-${++n}`);
  return { env: { PATH: process.env.PATH ?? '', HOME: dir, DATA_DIR: data, TOKOBOT_LANG: lang, LOG_LEVEL: 'silent', STORE_TZ: 'Asia/Jakarta' }, file: path.join(data, 'agent.json') };
}

const read = (file: string) => agentFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

test('a good token writes agent.json (0600, valid) with the iPOS job and the store\'s Dropbox folder; says what is next', async () => {
  const { env, file } = machine();
  const r = await tokobotProcess(['agent', 'enroll', `${office.url}/`, GOOD], env, { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const written = read(file);
  assert.deepEqual({ ...written.headOffice, instance: '' }, { url: office.url, token: GOOD, store: 'cabang_1', instance: '' });
  assert.match(written.headOffice.instance, /^[0-9a-f-]{36}$/);
  assert.equal(written.heartbeatSeconds, 300);
  assert.deepEqual(written.jobs.map((j) => [j.id, j.type, j.ipos, j.urlEnv, j.url, j.schedule]), [['ipos', 'postgres', true, 'IPOS_DATABASE_URL', undefined, '0 21 * * *']]);
  assert.deepEqual(written.jobs[0]!.destinations, [{ type: 'dropbox', folder: '/iPOS/cabang_1' }]);
  assert.match(r.stdout, /^This computer is enrolled as the agent of the store cabang_1 \(Cabang Satu\) at http:\/\/127\.0\.0\.1:\d+\.$/m);
  assert.match(r.stdout, /^ {2}file: +\S+agent\.json \(mode 600: it holds the store's token\)$/m);
  assert.ok(r.stdout.includes(file));
  assert.match(r.stdout, /schedule: +"0 21 \* \* \*" \(Asia\/Jakarta time\)/);
  assert.match(r.stdout, /database: +from the environment variable IPOS_DATABASE_URL/);
  assert.match(r.stdout, /destinations: +the Dropbox folder \/iPOS\/cabang_1$/m);
  assert.match(r.stdout, /^ {2}1\. Set IPOS_DATABASE_URL to the iPOS database/m);
  assert.match(r.stdout, /^ {2}2\. Dropbox: set DROPBOX_APP_KEY and DROPBOX_REFRESH_TOKEN/m);
  assert.match(r.stdout, /^ {2}3\. Run tokobot doctor/m);
  assert.match(r.stdout, /^ {2}4\. Run tokobot agent as a service/m);
  assert.ok(!r.stdout.includes(GOOD) && !r.stderr.includes(GOOD), 'the token is never printed');
});

test('a revoked or unknown token writes nothing and says what to do, in both languages (exit code 1)', async () => {
  for (const [lang, token, said] of [
    ['en', REVOKED, /^tokobot: .*: The head office \(127\.0\.0\.1:\d+\) refused: the token is revoked\. Nothing was written\. Ask the head office for a new token \(tokobot store add ID there, or \/store in the chat\), then enrol again\.$/m],
    ['id', 'tka_cabang_1_neverissuedneverissued0', /^tokobot: .*: Kantor pusat \(127\.0\.0\.1:\d+\) menolak: tokennya unknown\. Tidak ada yang ditulis\. Minta token baru ke kantor pusat/m],
  ] as const) {
    const { env, file } = machine(lang);
    const r = await tokobot(['agent', 'enroll', office.url, token], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, said);
    assert.equal(existsSync(file), false);
    assert.equal(existsSync(path.dirname(file)), false, 'not even the folder is made');
  }
});

test('an unreachable head office writes nothing (exit code 1)', async () => {
  const { env, file } = machine();
  const r = await tokobot(['agent', 'enroll', 'http://127.0.0.1:9', GOOD], env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Cannot reach the head office \(127\.0\.0\.1:9\): ECONNREFUSED\. .* Nothing was written: enrol again once the head office answers\.$/m);
  assert.equal(existsSync(file), false);
});

test('plain http to another computer, and other bad words, are refused before anything is asked (exit code 2)', async () => {
  const { env, file } = machine();
  const asked = office.hellos;
  const cases: [string[], RegExp][] = [
    [['http://kantor.example.com', GOOD], /http:\/\/kantor\.example\.com is another computer: the store's token would cross the network unencrypted\. Use the head office's https:\/\/ address/],
    [['ftp://kantor.example.com', GOOD], /must start with https:\/\/ .*not ftp:\/\//],
    [['kantor', GOOD], /"kantor" is not a web address/],
    [['https://user:pw@kantor.example.com', GOOD], /must not hold a user name, password/],
    [[office.url, 'short'], /does not look like one tokobot store add prints/],
    [[office.url, GOOD, '--schedule', 'every night'], /--schedule "every night" is not a cron schedule/],
    [[office.url, GOOD, '--ipos-url', 'mysql://x@h/db'], /--ipos-url/],
    [[office.url], /agent enroll needs TOKEN: tokobot agent enroll URL TOKEN/],
  ];
  for (const [words, said] of cases) {
    const r = await tokobot(['agent', 'enroll', ...words], env);
    assert.equal(r.code, 2, `${words.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, said);
  }
  assert.equal(office.hellos, asked, 'the head office was never asked');
  assert.equal(existsSync(file), false);
  // Indonesian too.
  const id = await tokobot(['agent', 'enroll', 'http://10.0.0.5:8080', GOOD], machine('id').env);
  assert.match(id.stderr, /http:\/\/10\.0\.0\.5:8080 adalah komputer lain: token toko akan terkirim tanpa enkripsi/);
});

test('a store without a Dropbox folder needs --dir; with it, the local folder is the destination', async () => {
  const { env, file } = machine();
  const none = await tokobot(['agent', 'enroll', office.url, FOLDERLESS], env);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no Dropbox folder for the store gudang, so the backup needs a local folder: give --dir PATH/);
  assert.equal(existsSync(file), false);
  const backups = path.join(dir, 'nas', 'ipos');
  const r = await tokobot(['agent', 'enroll', office.url, FOLDERLESS, '--dir', backups, '--schedule', '30 20 * * 1-6', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.file, file);
  assert.deepEqual(out.job.destinations, [{ type: 'local', dir: backups }]);
  assert.equal(out.job.schedule, '30 20 * * 1-6');
  assert.equal(JSON.stringify(out).includes(FOLDERLESS), false, 'no token in the JSON either');
  assert.deepEqual(read(file).jobs[0]!.destinations, [{ type: 'local', dir: backups }]);
});

test('enrolling again keeps the install id (same store), the other jobs and the iPOS job\'s own settings; a new store gets a new id', async () => {
  const { env, file } = machine();
  assert.equal((await tokobot(['agent', 'enroll', office.url, GOOD, '--ipos-url', 'postgres://kasir:rahasia@127.0.0.1:5444/i5'], env)).code, 0);
  const first = read(file);
  const other = { id: 'absensi', type: 'mysql' as const, url: 'mysql://root@127.0.0.1:3306/absensi', destinations: [{ type: 'local' as const, dir: '/srv/absensi' }] };
  const edited = { ...first, heartbeatSeconds: 120, jobs: [{ ...first.jobs[0]!, retention: { keepLast: 3, daily: 3, weekly: 2, monthly: 1 } }, other] };
  writeFileSync(file, JSON.stringify(edited), { mode: 0o600 });

  const again = await tokobot(['agent', 'enroll', office.url, GOOD, '--dir', path.join(dir, 'copies')], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /install: +[0-9a-f-]{36} \(kept: the same store as before\)/);
  assert.match(again.stdout, /database: +i5 on 127\.0\.0\.1:5444 \(its URL is in the file\)/, 'the URL given before is kept; its password never shown');
  assert.ok(!again.stdout.includes('rahasia'));
  assert.match(again.stdout, /other jobs \(kept\): absensi/);
  const second = read(file);
  assert.equal(second.headOffice.instance, first.headOffice.instance);
  assert.equal(second.heartbeatSeconds, 300, 'the head office\'s interval');
  assert.deepEqual(second.jobs.map((j) => j.id), ['ipos', 'absensi']);
  assert.deepEqual(second.jobs[1], agentFileSchema.shape.jobs.element.parse(other));
  assert.deepEqual(second.jobs[0]!.retention, { keepLast: 3, daily: 3, weekly: 2, monthly: 1 });
  assert.equal(second.jobs[0]!.url, 'postgres://kasir:rahasia@127.0.0.1:5444/i5');
  assert.deepEqual(second.jobs[0]!.destinations, [{ type: 'dropbox', folder: '/iPOS/cabang_1' }, { type: 'local', dir: path.join(dir, 'copies') }]);

  // Another store's token on the same PC: a new install for the head office.
  assert.equal((await tokobot(['agent', 'enroll', office.url, FOLDERLESS], env)).code, 0, 'the local folder kept from before is the destination');
  const third = read(file);
  assert.equal(third.headOffice.store, 'gudang');
  assert.notEqual(third.headOffice.instance, first.headOffice.instance);
});

test('an agent file that does not parse is left alone: nothing written, the problem named', async () => {
  const { env, file } = machine();
  assert.equal((await tokobot(['agent', 'enroll', office.url, GOOD], env)).code, 0);
  writeFileSync(file, '{ "headOffice": ', { mode: 0o600 });
  const r = await tokobot(['agent', 'enroll', office.url, GOOD], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the agent file .*agent\.json is there but cannot be used: .*Fix it or move it away, then enrol again\. Nothing was written\./);
  assert.equal(readFileSync(file, 'utf8'), '{ "headOffice": ');
});

test('headOfficeUrl: https anywhere, http on the loopback only; the trailing slash goes', () => {
  assert.equal(headOfficeUrl('https://kantor.example.com/tokobot/', 'en'), 'https://kantor.example.com/tokobot');
  assert.equal(headOfficeUrl('http://localhost:8080', 'en'), 'http://localhost:8080');
  assert.equal(headOfficeUrl('http://[::1]:8080/', 'en'), 'http://[::1]:8080');
  assert.throws(() => headOfficeUrl('http://192.168.1.10:8080', 'en'), /is another computer/);
});
