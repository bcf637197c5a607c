import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import mysql from 'mysql2/promise';
import { scratchName } from '../../../src/pipeline/backup/verify-backup.ts';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import { runCli, startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { needMariadb, needMysqlClient } from '../../helpers/needs.ts';

/** Backup jobs of a MariaDB database, end to end: dump, verify by loading, store; restore with the mysql client. */
const SOURCE = 'tokobot_t_bjob_src';
const RESTORED = 'tokobot_t_bjob_restored';
const USER = 'tokobot_t_backup';
const dest = path.join(mkdtempSync(path.join(tmpdir(), 'tokobot-mdest-')), 'backups');
const root = () => mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', multipleStatements: true });
let h: BackupHarness;

async function checksums(db: string): Promise<Record<string, string>> {
  const c = await root();
  try {
    const [tables] = await c.query<mysql.RowDataPacket[]>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1", [db]);
    const out: Record<string, string> = {};
    for (const { t } of tables) {
      const [[row]] = await c.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${t}\``);
      const [[sum]] = await c.query<mysql.RowDataPacket[]>(`CHECKSUM TABLE \`${db}\`.\`${t}\` EXTENDED`);
      out[t] = `${row?.n}:${sum?.Checksum}`;
    }
    return out;
  } finally {
    await c.end();
  }
}

const skip = await needMariadb();
const mysqlClient = skip ?? (await needMysqlClient());

before(async () => {
  if (skip) return;
  const c = await root();
  await c.query(`DROP DATABASE IF EXISTS ${SOURCE}; DROP DATABASE IF EXISTS ${RESTORED}; CREATE DATABASE ${SOURCE} CHARACTER SET utf8mb4; USE ${SOURCE};
    SET SESSION sql_mode = '';
    CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100), photo BLOB, balance DECIMAL(30, 10), born DATE, seen DATETIME(6)) ENGINE=InnoDB;
    INSERT INTO customers VALUES (1, 'Bu Sri 🛒', UNHEX('00FF0A0D1A5C27'), 12345678901234567890.0123456789, '0000-00-00', '2026-11-23 10:11:12.123456'),
      (2, NULL, NULL, NULL, NULL, NULL), (3, 'O''Brien "quoted" \\\\ back', '', -0.0000000001, '1999-12-31', '1970-01-01 00:00:01');
    CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, total BIGINT UNSIGNED, FOREIGN KEY (customer) REFERENCES customers (id)) ENGINE=InnoDB;
    INSERT INTO orders (customer, total) SELECT 1 + seq % 3, seq * 1000 FROM seq_1_to_20000;
    INSERT INTO orders (customer, total) VALUES (2, 18446744073709551615);
    CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 1000000;
    CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(50));
    CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (note) VALUES (CONCAT('order ', NEW.id));
    DROP USER IF EXISTS '${USER}'@'%'; CREATE USER '${USER}'@'%' IDENTIFIED BY 'the-right-password'; GRANT ALL ON ${SOURCE}.* TO '${USER}'@'%';`);
  await c.end();
  const job = (id: string, url: string) => ({ id, type: 'mysql', url, destinations: [{ type: 'local', dir: dest }] });
  h = await startBackupHarness('mysqljobs', [
    job('webshop', `mysql://root@127.0.0.1:3306/${SOURCE}`),
    job('badpw', `mysql://${USER}:not-the-password@127.0.0.1:3306/${SOURCE}`),
    job('down', `mysql://root@127.0.0.1:1/${SOURCE}`),
    job('nodb', 'mysql://root@127.0.0.1:3306/tokobot_t_no_such_db'),
    { ...job('sealed', `mysql://root@127.0.0.1:3306/${SOURCE}`), encryption: { passphraseEnv: 'SHOP_PASS' } },
  ], { SHOP_PASS: 'kata sandi yang panjang' });
});

after(async () => {
  if (skip) return;
  await h?.close();
  const c = await root();
  await c.query(`DROP DATABASE IF EXISTS ${SOURCE}; DROP DATABASE IF EXISTS ${RESTORED}; DROP DATABASE IF EXISTS ${RESTORED}_2; DROP USER IF EXISTS '${USER}'@'%';`);
  await c.end();
  rmSync(path.dirname(dest), { recursive: true, force: true });
});

test('a mysql job: gzipped dump verified by loading it, row counts equal to the snapshot; the mysql client restores it to identical tables', { skip: mysqlClient }, async () => {
  const run = await runBackup(h.app.backups, h.app.job('webshop'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  assert.match(run.fileName ?? '', /^webshop_\d{8}_\d{6}\.sql\.gz$/);
  assert.match(run.verification?.detail ?? '', /3 tables, 20004 rows, every count equal to the snapshot/);
  const file = path.join(dest, run.fileName as string);
  assert.equal(run.sha256, createHash('sha256').update(readFileSync(file)).digest('hex'));
  const c = await root();
  await c.query(`CREATE DATABASE ${RESTORED} CHARACTER SET utf8mb4`);
  await c.end();
  execFileSync('mysql', ['-h', '127.0.0.1', '-u', 'root', RESTORED], { input: gunzipSync(readFileSync(file)) });
  assert.deepEqual(await checksums(RESTORED), await checksums(SOURCE));
  const r = await root();
  const [[view]] = await r.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${RESTORED}.big_orders`);
  assert.equal(Number(view?.n), 19001);
  await r.query(`INSERT INTO ${RESTORED}.orders (customer, total) VALUES (1, 5)`);
  const [[audit]] = await r.query<mysql.RowDataPacket[]>(`SELECT note FROM ${RESTORED}.audit ORDER BY id DESC LIMIT 1`);
  assert.match(String(audit?.note), /^order \d+$/, 'the trigger came back');
  const [scratch] = await r.query<mysql.RowDataPacket[]>('SHOW DATABASES LIKE ?', [scratchName('webshop', run.id).replace(/_/g, '\\_')]);
  assert.equal(scratch.length, 0, 'the verification database is dropped');
  await r.end();
});

test('wrong password, server down, unknown database: failed runs saying what to check, no file, no password in the log', { skip }, async () => {
  for (const [id, reason] of [['badpw', /denied|password/i], ['down', /reach|connect/i], ['nodb', /has no database "tokobot_t_no_such_db"/]] as const) {
    const run = await runBackup(h.app.backups, h.app.job(id), 'cli');
    assert.equal(run.status, 'failed', id);
    assert.match(run.error ?? '', reason, `${id}: ${run.error}`);
    assert.doesNotMatch(run.error ?? '', /not-the-password/);
    assert.ok(!existsSync(dest) || !readdirSync(dest).some((n) => n.startsWith(`${id}_`)));
  }
});

test('an encrypted mysql backup restores with tokobot backup restore into a new database, never over one with tables', { skip }, async () => {
  const run = await runBackup(h.app.backups, h.app.job('sealed'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  assert.match(run.fileName ?? '', /^sealed_\d{8}_\d{6}\.sql\.gz\.enc$/);
  const cli = (into: string) => runCli(h, ['backup', 'restore', path.join(dest, run.fileName as string), '--into', into]);
  const first = await cli(`${RESTORED}_2`);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /restored sealed_.* into tokobot_t_bjob_restored_2: 3 tables, 20004 rows/);
  assert.deepEqual(await checksums(`${RESTORED}_2`), await checksums(SOURCE));
  const again = await cli(`${RESTORED}_2`);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already has tables; restore into a new name/);
});
