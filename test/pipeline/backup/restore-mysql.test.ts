import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import mysql from 'mysql2/promise';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import { damagedCopy, runCli, startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { needMariadb } from '../../helpers/needs.ts';

/** `tokobot backup restore` of MySQL backups that are cut or damaged: refused in words, no database left behind. */
const SOURCE = 'tokobot_t_rmy_src';
const TARGET = 'tokobot_t_rmy_target';
const EXISTING = 'tokobot_t_rmy_existing';
const dest = mkdtempSync(path.join(tmpdir(), 'tokobot-rmy-'));
const root = () => mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', multipleStatements: true });
let h: BackupHarness;
let plain = '';
let sealed = '';

async function tablesOf(db: string): Promise<string[] | null> {
  const c = await root();
  try {
    const [schemas] = await c.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db]);
    if (!schemas.length) return null;
    const [tables] = await c.query<mysql.RowDataPacket[]>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [db]);
    return tables.map((r) => r.t as string);
  } finally {
    await c.end();
  }
}

async function dropTargets(): Promise<void> {
  const c = await root();
  await c.query(`DROP DATABASE IF EXISTS ${TARGET}; DROP DATABASE IF EXISTS ${EXISTING}`);
  await c.end();
}

const skip = await needMariadb();

before(async () => {
  if (skip) return;
  const c = await root();
  await c.query(`DROP DATABASE IF EXISTS ${SOURCE}; CREATE DATABASE ${SOURCE} CHARACTER SET utf8mb4; USE ${SOURCE};
    CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100));
    INSERT INTO customers SELECT seq, CONCAT('Bu Sri ', seq) FROM seq_1_to_500;
    CREATE TABLE orders (id INT PRIMARY KEY, customer INT, note VARCHAR(200));
    INSERT INTO orders SELECT seq, 1 + seq % 500, SHA2(seq, 256) FROM seq_1_to_10000;`);
  await c.end();
  const job = (id: string) => ({ id, type: 'mysql', url: `mysql://root@127.0.0.1:3306/${SOURCE}`, verify: false, destinations: [{ type: 'local', dir: dest }] });
  h = await startBackupHarness('restoremysql', [job('webshop'), { ...job('sealed'), encryption: { passphraseEnv: 'SHOP_PASS' } }],
    { SHOP_PASS: 'kata sandi yang panjang' });
  for (const id of ['webshop', 'sealed']) {
    const run = await runBackup(h.app.backups, h.app.job(id), 'cli');
    assert.equal(run.status, 'success', run.error ?? '');
    if (id === 'webshop') plain = path.join(dest, run.fileName as string);
    else sealed = path.join(dest, run.fileName as string);
  }
});

after(async () => {
  if (skip) return;
  await h?.close();
  await dropTargets();
  const c = await root();
  await c.query(`DROP DATABASE IF EXISTS ${SOURCE}`);
  await c.end();
  rmSync(dest, { recursive: true, force: true });
});

const half = (b: Buffer) => b.subarray(0, Math.ceil(b.length / 2));

test('a .sql.gz cut at 50 %: refused before loading, saying how much is missing; no database is left', { skip }, async () => {
  await dropTargets();
  const cut = damagedCopy(plain, path.join(dest, 'cut', path.basename(plain)), half);
  const res = await runCli(h, ['backup', 'restore', cut, '--into', TARGET]);
  assert.equal(res.code, 1, res.stderr);
  assert.doesNotMatch(res.stderr, /unexpected error/);
  assert.match(res.stderr, new RegExp(`${path.basename(plain)} is incomplete: the file ends before the end of the backup: .*\\(cut at 50 %\\)\\. Copy it again`));
  assert.equal(await tablesOf(TARGET), null, 'no database made');
});

test('a cut .sql.gz the log does not know (another machine): gunzip finds the cut, the message names the table it stops in', { skip }, async () => {
  await dropTargets();
  const cut = damagedCopy(plain, path.join(dest, 'webshop_20200101_000000.sql.gz'), half);
  const res = await runCli(h, ['backup', 'restore', cut, '--into', TARGET]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /webshop_20200101_000000\.sql\.gz is incomplete: the file ends before the end of the backup \(the compressed data stops after [\d.]+ [kM]?B of SQL, in table `orders`\)/);
  assert.equal(await tablesOf(TARGET), null);
});

test('SQL cut at a statement but gzipped whole: refused for the missing "-- dump complete" line', { skip }, async () => {
  await dropTargets();
  const file = damagedCopy(plain, path.join(dest, 'webshop_20200101_000001.sql.gz'), (b) => {
    const sql = gunzipSync(b).toString('utf8');
    return gzipSync(sql.slice(0, sql.indexOf('\n-- Table `orders`')));
  });
  const res = await runCli(h, ['backup', 'restore', file, '--into', TARGET]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /is incomplete: the SQL text stops after .* in table `customers`, without the line "-- dump complete"/);
  assert.equal(await tablesOf(TARGET), null);
});

test('a damaged .sql.gz (a flipped byte) is refused; an existing empty target is left as it was', { skip }, async () => {
  await dropTargets();
  const c = await root();
  await c.query(`CREATE DATABASE ${EXISTING}`);
  await c.end();
  const flip = (b: Buffer) => {
    const copy = Buffer.from(b);
    const at = Math.floor(copy.length / 2);
    copy[at] = (copy[at] as number) ^ 0xff;
    return copy;
  };
  const file = damagedCopy(plain, path.join(dest, 'webshop_20200101_000002.sql.gz'), flip);
  const res = await runCli(h, ['backup', 'restore', file, '--into', EXISTING]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /webshop_20200101_000002\.sql\.gz is damaged: the compressed data cannot be read/);
  assert.deepEqual(await tablesOf(EXISTING), [], 'still there, still empty');
  const known = damagedCopy(plain, path.join(dest, 'flipped', path.basename(plain)), flip);
  const logged = await runCli(h, ['backup', 'restore', known, '--into', EXISTING]);
  assert.equal(logged.code, 1, logged.stderr);
  assert.match(logged.stderr, /is damaged: its bytes differ from what was made \(the size is right, the SHA-256 checksum is not/);
  assert.deepEqual(await tablesOf(EXISTING), []);
});

test('a cut encrypted backup fails authentication before anything is loaded: no empty database', { skip }, async () => {
  await dropTargets();
  const cut = damagedCopy(sealed, path.join(dest, 'sealed_20200101_000000.sql.gz.enc'), half);
  const res = await runCli(h, ['backup', 'restore', cut, '--into', TARGET]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /sealed_20200101_000000\.sql\.gz\.enc: The encrypted backup ends early: .*Copy it again/);
  assert.equal(await tablesOf(TARGET), null);
});

test('a whole file the server refuses halfway: the database the restore made is dropped again, and the message says so', { skip }, async () => {
  await dropTargets();
  const file = damagedCopy(plain, path.join(dest, 'webshop_20200101_000003.sql.gz'), (b) =>
    gzipSync(gunzipSync(b).toString('utf8').replace('\n-- Table `orders`', '\nINSERT INTO no_such_table VALUES (1);\n-- Table `orders`')));
  const res = await runCli(h, ['backup', 'restore', file, '--into', TARGET]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /no_such_table.*The database tokobot_t_rmy_target that this restore created was removed again\./s);
  assert.equal(await tablesOf(TARGET), null);
  const good = await runCli(h, ['backup', 'restore', plain, '--into', TARGET]);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /restored webshop_.* into tokobot_t_rmy_target: 2 tables, 10500 rows/);
});
