import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBackup } from '../../src/pipeline/backup/backup-job.ts';
import { BackupConsole } from '../../src/pipeline/backup/backup-console.ts';
import { RestoreTasks } from '../../src/pipeline/backup/restore-tasks.ts';
import type { BackupRun } from '../../src/store/backup-log.ts';
import { startBackupHarness, type BackupHarness } from '../helpers/backup-harness.ts';
import { adminQuery, createScratchDb, dropScratchDb, localConnection, withLocalClient } from '../helpers/local-pg.ts';
import mysql from 'mysql2/promise';
import { needMariadb, needPgDump, needPgRestore } from '../helpers/needs.ts';
import { makePgSource, pgDigest } from '../helpers/pg-source.ts';
import { ADMIN, OWNER, STAFF, webSetup } from '../helpers/web-app.ts';

/**
 * The backup console (/backup/:job) in process, over a real PostgreSQL job: its backup made by the
 * real pipeline into a folder whose name is hostile markup, restores into this machine's server.
 */
const SOURCE = `tokobot_t_wbc_src_${process.pid}`;
const TAKEN = `tokobot_t_wbc_taken_${process.pid}`;
const FRESH = `tokobot_t_wbc_fresh_${process.pid}`;
const root = mkdtempSync(path.join(tmpdir(), 'tokobot-wbc-'));
const dest = path.join(root, '<img src=x onerror=alert(1)>"\'&');
const MY_SOURCE = `tokobot_t_wbc_my_${process.pid}`;
const MY_TAKEN = `tokobot_t_wbc_mytaken_${process.pid}`;
const MY_FRESH = `tokobot_t_wbc_myfresh_${process.pid}`;
const skip = (await needPgDump()) ?? (await needPgRestore());
const skipMysql = skip ?? (await needMariadb());
const mysqlRoot = () => mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', multipleStatements: true });
let h: BackupHarness;
let made: BackupRun;
let myMade: BackupRun;
let web: ReturnType<typeof webSetup>;
/** Each user's language, read on every request: a test switches the owner to English and back. */
const langs: Record<number, 'id' | 'en'> = {};

before(async () => {
  if (skip) return;
  await makePgSource(SOURCE, 2_000);
  const url = localConnection(SOURCE);
  h = await startBackupHarness(`wbc${process.pid}`, [{ id: 'shop', type: 'postgres', url: `postgres://${url.user}@${url.host}:${url.port}/${SOURCE}`, verify: true,
    destinations: [{ type: 'local', dir: dest }] }, { id: 'kasir', type: 'mysql', url: `mysql://root@127.0.0.1:3306/${MY_SOURCE}`, verify: true,
    destinations: [{ type: 'local', dir: path.join(root, 'kasir') }], encryption: { passphraseEnv: 'KASIR_PASS' } }], { KASIR_PASS: 'kata sandi yang cukup panjang' });
  made = await runBackup(h.app.backups, h.app.job('shop'), 'cli');
  assert.equal(made.status, 'success', made.error ?? '');
  if (!skipMysql) {
    const c = await mysqlRoot();
    await c.query(`DROP DATABASE IF EXISTS ${MY_SOURCE}; CREATE DATABASE ${MY_SOURCE} CHARACTER SET utf8mb4; USE ${MY_SOURCE};
      CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100)); INSERT INTO items SELECT seq, CONCAT('Kopi <b>"', seq) FROM seq_1_to_300;`);
    await c.end();
    myMade = await runBackup(h.app.backups, h.app.job('kasir'), 'cli');
    assert.equal(myMade.status, 'success', myMade.error ?? '');
  }
  const files = new BackupConsole(h.app.backups, h.app.config.jobs);
  web = webSetup({ langs, deps: { backups: { files, restores: new RestoreTasks(files) } } });
});

after(async () => {
  if (skip) return;
  await h?.close();
  for (const db of [SOURCE, TAKEN, FRESH]) await dropScratchDb(db);
  if (!skipMysql) {
    const c = await mysqlRoot();
    await c.query(`DROP DATABASE IF EXISTS ${MY_SOURCE}; DROP DATABASE IF EXISTS ${MY_TAKEN}; DROP DATABASE IF EXISTS ${MY_FRESH}`);
    await c.end();
  }
  rmSync(root, { recursive: true, force: true });
});

const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

async function as(userId: number) {
  const cookie = await web.session(userId);
  return {
    get: (url: string) => web.app.request(url, { headers: { cookie } }),
    post: (url: string, fields: Record<string, string>) => {
      const f = form({ _csrf: web.csrf(cookie), ...fields });
      return web.app.request(url, { ...f, headers: { ...f.headers, cookie } });
    },
  };
}

type Task = { stage: string; result: { tables: number; rows: number } | null; error: string | null };

/** The restore's status once it ended (polled, at most 30 s). */
async function finished(viewer: Awaited<ReturnType<typeof as>>, api: string): Promise<Task> {
  let task: Task = { stage: 'fetch', result: null, error: null };
  for (let i = 0; i < 300 && !['done', 'failed'].includes(task.stage); i++) {
    await new Promise((r) => setTimeout(r, 100));
    task = await (await viewer.get(api)).json();
  }
  return task;
}

const fileName = () => made.fileName as string;
const stored = () => existsSync(path.join(dest, fileName()));
const lastAudit = () => web.audit.entries.at(-1);

test('staff are refused the console (403); admins see files, checksums and verify, but no download, restore or delete, and forged owner POSTs are refused and audited', { skip }, async () => {
  const staff = await as(STAFF);
  assert.equal((await staff.get('/backup/shop')).status, 403);
  assert.equal((await staff.post('/backup/shop/verifikasi', { tujuan: '0', berkas: fileName() })).status, 403);

  const admin = await as(ADMIN);
  const res = await admin.get('/backup/shop');
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.ok(page.includes(fileName()));
  assert.ok(page.includes(made.sha256 as string), 'the SHA-256 the run recorded');
  assert.match(page, /Verifikasi sekarang/);
  for (const absent of ['/unduh', '/pulihkan', '/hapus', 'Unduh', 'Pulihkan', 'Hapus']) assert.ok(!page.includes(absent), `admins get no ${absent}`);

  const before = web.audit.entries.length;
  assert.equal((await admin.get(`/backup/shop/unduh?tujuan=0&berkas=${fileName()}`)).status, 403);
  assert.equal((await admin.post('/backup/shop/pulihkan', { tujuan: '0', berkas: fileName(), database: FRESH })).status, 403);
  assert.equal((await admin.post('/backup/shop/hapus', { tujuan: '0', berkas: fileName(), konfirmasi: 'ya' })).status, 403);
  const refused = web.audit.entries.slice(before);
  assert.deepEqual(refused.map((e) => [e.action, e.outcome, e.userId]), [['backup.download', 'refused', ADMIN], ['backup.restore', 'refused', ADMIN], ['backup.delete', 'refused', ADMIN]]);
  assert.ok(stored(), 'nothing deleted');
  assert.equal((await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [FRESH])).rowCount, 0, 'nothing restored');
});

test('the owner sees statistics, escaped destination names, retention reasons; downloads stream the exact file with a safe name', { skip }, async () => {
  const owner = await as(OWNER);
  const page = await (await owner.get('/backup/shop')).text();
  assert.ok(!page.includes('<img src=x'), 'a destination name is never markup');
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.match(page, /1 berkas, 1 salinan, total \d+,\d (kB|MB)/, 'a size has a decimal comma in Indonesian');
  assert.ok(!/\d\.\d (kB|MB)/.test(page), 'no English decimal point');
  assert.match(page, /terverifikasi: 1 berkas/);
  assert.match(page, /<li data-destination="0">folder \//, 'a destination said in Indonesian');
  assert.ok(!page.includes('the folder'));
  assert.match(page, /Verifikasi saat dibuat<\/dt><dd class="ok">dipulihkan ke database sementara: 5 tabel, 2\.004 baris</);
  assert.match(page, /disimpan<\/b> shop_\d{8}_\d{6}\.dump: salah satu dari \d+ terakhir \(#1\); backup baik terbaru; harian \d{4}-\d\d-\d\d; mingguan \d{4}-W\d\d; bulanan \d{4}-\d\d</);
  assert.ok(!page.includes('one of the last'));

  langs[OWNER] = 'en';
  try {
    const english = await (await (await as(OWNER)).get('/backup/shop')).text();
    assert.match(english, /1 files, 1 copies, \d+\.\d (kB|MB) in total/);
    assert.match(english, /<li data-destination="0">the folder \//);
    assert.match(english, /Verification when made<\/dt><dd class="ok">restored into a scratch database: 5 tables, 2,004 rows</);
    assert.match(english, /kept<\/b> shop_\d{8}_\d{6}\.dump: one of the last \d+ \(#1\); newest good backup; daily /);
  } finally {
    delete langs[OWNER];
  }

  const res = await owner.get(`/backup/shop/unduh?tujuan=0&berkas=${encodeURIComponent(fileName())}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="${fileName()}"`);
  assert.equal(Number(res.headers.get('content-length')), made.bytes);
  assert.equal(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex'), made.sha256);
  assert.equal(lastAudit()?.action, 'backup.download');
});

test('path-like, unknown and malformed file names are refused clearly, audited, and nothing is read or changed', { skip }, async () => {
  const owner = await as(OWNER);
  const names = ['../tokobot.json', `../${path.basename(dest)}/${fileName()}`, `${fileName()}/../../etc/passwd`, 'shop_20990101_000000.dump', '/etc/passwd', ''];
  for (const name of names) {
    const res = await owner.get(`/backup/shop/unduh?tujuan=0&berkas=${encodeURIComponent(name)}`);
    assert.equal(res.status, 404, name);
    assert.match(await res.text(), /Berkas backup ini tidak ada di tujuan itu/);
    assert.equal(lastAudit()?.outcome, 'refused');
    assert.equal((await owner.post('/backup/shop/hapus', { tujuan: '0', berkas: name, konfirmasi: 'ya' })).status, 404);
  }
  assert.equal((await owner.get(`/backup/shop/unduh?tujuan=7&berkas=${fileName()}`)).status, 404, 'an unknown destination');
  assert.equal((await owner.get(`/backup/shop/unduh?tujuan=-1&berkas=${fileName()}`)).status, 404);
  assert.equal((await owner.get('/backup/nope')).status, 404);
  assert.ok(stored());
});

test('verify now (admin) restores the file into a scratch database, shows the result, is audited and leaves no database behind', { skip, timeout: 120_000 }, async () => {
  const admin = await as(ADMIN);
  const both = await Promise.all([0, 1].map(() => admin.post('/backup/shop/verifikasi', { tujuan: '0', berkas: fileName() })));
  assert.deepEqual(both.map((r) => r.status).sort(), [303, 409], 'a second check while one runs is refused');
  assert.match(await both.find((r) => r.status === 409)!.text(), /Verifikasi job ini sedang berjalan/);
  assert.deepEqual(web.audit.entries.slice(-2).map((e) => `${e.action} ${e.outcome}`).sort(), ['backup.verify ok', 'backup.verify refused']);
  const page = await (await admin.get('/backup/shop')).text();
  assert.match(page, /data-checked="true">OK, .*: dipulihkan ke database sementara: 5 tabel, 2\.004 baris/);
  assert.equal((await adminQuery("SELECT 1 FROM pg_database WHERE datname LIKE 'tokobot_verify_shop%'")).rowCount, 0);
});

test('a restore into a database that has tables, or under a bad name, is refused with nothing changed; into a new one it finishes with the same rows', { skip, timeout: 120_000 }, async () => {
  const owner = await as(OWNER);
  await createScratchDb(TAKEN);
  await withLocalClient(TAKEN, (c) => c.query("CREATE TABLE keep (id int PRIMARY KEY, v text); INSERT INTO keep VALUES (1, 'milik toko')"));
  const was = await pgDigest(TAKEN);
  const taken = await owner.post('/backup/shop/pulihkan', { tujuan: '0', berkas: fileName(), database: TAKEN });
  assert.equal(taken.status, 409);
  assert.match(await taken.text(), /sudah berisi tabel.*Tidak ada yang diubah/s);
  assert.deepEqual(await pgDigest(TAKEN), was, 'the database is as it was');
  assert.deepEqual(Object.keys(was), ['keep']);
  assert.deepEqual([lastAudit()?.action, lastAudit()?.outcome], ['backup.restore', 'refused']);

  for (const bad of ['Bad-Name', 'x"; DROP DATABASE postgres; --', 'postgres', 'tokobot_verify_shop_1', 'a'.repeat(64)]) {
    const res = await owner.post('/backup/shop/pulihkan', { tujuan: '0', berkas: fileName(), database: bad });
    assert.equal(res.status, 400, bad);
    assert.match(await res.text(), /Nama database tidak sah/);
  }

  const started = await owner.post('/backup/shop/pulihkan', { tujuan: '0', berkas: fileName(), database: FRESH });
  assert.equal(started.status, 303);
  const progress = started.headers.get('location') as string;
  assert.match(progress, /^\/backup\/shop\/pulihkan\/[\w-]{16}$/);
  const first = await (await owner.get(progress)).text();
  assert.match(first, /ke database tokobot_t_wbc_fresh_\d+/);
  const api = progress.replace('/backup/shop/pulihkan/', '/api/backup/shop/restores/');
  const task = await finished(owner, api);
  assert.equal(task.stage, 'done', task.error ?? '');
  assert.deepEqual(task.result, { tables: 5, rows: 2004 });
  assert.deepEqual(await pgDigest(FRESH), await pgDigest(SOURCE));
  const done = await (await owner.get(progress)).text();
  assert.match(done, /Selesai: 5 tabel, 2\.004 baris di tokobot_t_wbc_fresh/);
  assert.ok(!done.includes('http-equiv="refresh"'), 'a finished restore stops reloading');
  assert.equal(lastAudit()?.outcome, 'ok');
  assert.equal((await owner.get(`${progress}x`)).status, 404);
  assert.equal((await (await as(ADMIN)).get(api)).status, 403, 'restores are the owner\'s');
});

test('delete asks for confirmation naming the file and warns that retention keeps it; unconfirmed nothing goes, confirmed it is gone and audited', { skip }, async () => {
  const owner = await as(OWNER);
  const confirm = await (await owner.get(`/backup/shop/hapus?tujuan=0&berkas=${fileName()}`)).text();
  assert.ok(confirm.includes(`Hapus ${fileName()}?`));
  assert.match(confirm, /akan dihapus dari folder \//);
  assert.match(confirm, /data-kept="true">Perhatian: retensi menyimpan backup ini \(salah satu dari \d+ terakhir \(#1\); backup baik terbaru/);
  const unconfirmed = await owner.post('/backup/shop/hapus', { tujuan: '0', berkas: fileName() });
  assert.equal(unconfirmed.status, 400);
  assert.ok(stored());
  const res = await owner.post('/backup/shop/hapus', { tujuan: '0', berkas: fileName(), konfirmasi: 'ya' });
  assert.equal(res.status, 303);
  assert.ok(!stored());
  assert.deepEqual([lastAudit()?.action, lastAudit()?.outcome, lastAudit()?.target], ['backup.delete', 'ok', `shop/${fileName()}`]);
  assert.match(await (await owner.get('/backup/shop')).text(), /Belum ada berkas backup/);
});

test('a POST without the CSRF token is refused before the console sees it', { skip }, async () => {
  const cookie = await web.session(OWNER);
  const f = form({ tujuan: '0', berkas: 'x', database: FRESH });
  const res = await web.app.request('/backup/shop/pulihkan', { ...f, headers: { ...f.headers, cookie } });
  assert.equal(res.status, 403);
  assert.equal(lastAudit()?.detail, 'CSRF token missing or wrong');
});

test('an encrypted MySQL job: verify now passes, a restore into a database with tables is refused unchanged, into a new one it loads every row', { skip: skipMysql, timeout: 120_000 }, async () => {
  const owner = await as(OWNER);
  const name = myMade.fileName as string;
  assert.match(name, /^kasir_\d{8}_\d{6}\.sql\.gz\.enc$/);
  assert.equal((await owner.post('/backup/kasir/verifikasi', { tujuan: '0', berkas: name })).status, 303);
  assert.equal(lastAudit()?.outcome, 'ok', lastAudit()?.detail);
  assert.match(await (await owner.get('/backup/kasir')).text(), /OK, .*: dipulihkan ke database sementara: 1 tabel, 300 baris/);

  const c = await mysqlRoot();
  try {
    await c.query(`CREATE DATABASE ${MY_TAKEN}; CREATE TABLE ${MY_TAKEN}.mine (id INT PRIMARY KEY); INSERT INTO ${MY_TAKEN}.mine VALUES (7)`);
    const taken = await owner.post('/backup/kasir/pulihkan', { tujuan: '0', berkas: name, database: MY_TAKEN });
    assert.equal(taken.status, 409);
    const [mine] = await c.query<mysql.RowDataPacket[]>(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`, [MY_TAKEN]);
    assert.deepEqual(mine.map((r) => r.t), ['mine'], 'left as it was');

    const started = await owner.post('/backup/kasir/pulihkan', { tujuan: '0', berkas: name, database: MY_FRESH });
    assert.equal(started.status, 303);
    const task = await finished(owner, (started.headers.get('location') as string).replace('/backup/kasir/pulihkan/', '/api/backup/kasir/restores/'));
    assert.equal(task.stage, 'done', task.error ?? '');
    assert.deepEqual(task.result, { tables: 1, rows: 300 });
    const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT count(*) AS n, max(name) AS top FROM ${MY_FRESH}.items`);
    assert.deepEqual([Number(rows[0]?.n), rows[0]?.top], [300, 'Kopi <b>"99']);
  } finally {
    await c.end();
  }
});
