import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import type { TableRows } from '../../../src/store/backup-log.ts';
import { runCli, startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { needMariadb } from '../../helpers/needs.ts';

/**
 * The per-table restore check of MySQL/MariaDB backups (issue 17): the dump's snapshot counts
 * against the scratch load's, on this machine's MariaDB.
 */
const GOOD = `tokobot_t_a_rcm_good_${process.pid}`;
const ODD = `tokobot_t_a_rcm_odd_${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-a-restorecheck-mysql-'));
const dest = path.join(dir, 'dest');
const root = () => mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', multipleStatements: true });
let h: BackupHarness;

const skip = await needMariadb();

async function rowsOf(db: string): Promise<Record<string, number>> {
  const c = await root();
  try {
    const [tables] = await c.query<mysql.RowDataPacket[]>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'", [db]);
    const out: Record<string, number> = {};
    for (const { t } of tables) out[t] = Number((await c.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${t}\``))[0][0]?.n);
    return out;
  } finally {
    await c.end();
  }
}

before(async () => {
  if (skip) return;
  const c = await root();
  await c.query(`DROP DATABASE IF EXISTS ${GOOD}; DROP DATABASE IF EXISTS ${ODD};
    CREATE DATABASE ${GOOD}; USE ${GOOD};
    CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50));
    INSERT INTO customers SELECT seq, CONCAT('pelanggan ', seq) FROM seq_1_to_41;
    CREATE TABLE sales (id INT AUTO_INCREMENT PRIMARY KEY, total BIGINT);
    INSERT INTO sales (total) SELECT seq * 10 FROM seq_1_to_2500;
    CREATE TABLE empty_notes (note TEXT);
    CREATE DATABASE ${ODD}; USE ${ODD};
    CREATE TABLE s1 (id INT) ENGINE=MyISAM;
    CREATE TABLE s2 (id INT) ENGINE=MyISAM;
    INSERT INTO s1 VALUES (1), (2), (3);
    INSERT INTO s2 VALUES (4), (5);
    CREATE TABLE z_all (id INT) ENGINE=MRG_MyISAM UNION=(s1, s2) INSERT_METHOD=LAST;`);
  await c.end();
  const job = (id: string, db: string) => ({ id, type: 'mysql', url: `mysql://root@127.0.0.1:3306/${db}`, destinations: [{ type: 'local', dir: dest }] });
  h = await startBackupHarness(`a_rcm${process.pid}`, [job('good', GOOD), job('odd', ODD)]);
});

after(async () => {
  if (skip) return;
  await h?.close();
  const c = await root();
  await c.query(`DROP DATABASE IF EXISTS ${GOOD}; DROP DATABASE IF EXISTS ${ODD};`);
  await c.end();
  rmSync(dir, { recursive: true, force: true });
});

test("a verified MySQL backup records every table's rows in the snapshot and after the load, all equal", { skip }, async () => {
  const real = await rowsOf(GOOD);
  const run = await runBackup(h.app.backups, h.app.job('good'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  const tables: TableRows[] = Object.keys(real).sort().map((table) => ({ table, source: real[table] as number, restored: real[table] as number }));
  assert.deepEqual(run.verification?.restoreCheck, { checked: 3, mismatches: 0, tables });
  const listed = JSON.parse((await runCli(h, ['backup', 'list', '--json'])).stdout) as { recent: { id: number; verification: unknown }[] };
  assert.deepEqual(listed.recent.find((r) => r.id === run.id)?.verification, run.verification);
});

test('a MERGE table, dumped as rows, loads them again into its last table: verification fails naming both tables, and keeps the check', { skip }, async () => {
  const real = await rowsOf(ODD);
  assert.deepEqual(real, { s1: 3, s2: 2, z_all: 5 });
  const run = await runBackup(h.app.backups, h.app.job('odd'), 'cli');
  assert.equal(run.status, 'failed');
  assert.deepEqual(run.failure, { kind: 'corrupt', system: 'backup-file' });
  // Loading z_all's 5 rows puts them into s2 (INSERT_METHOD=LAST): s2 holds 7, and z_all, reading s1 and s2, 10.
  assert.equal(run.error, 'verify: The backup does not restore to the same data: 2 of 3 tables differ: s2 (2 rows in the source, 7 restored); z_all (5 rows in the source, 10 restored).');
  assert.deepEqual(run.verification?.restoreCheck, { checked: 3, mismatches: 2, tables: [
    { table: 's1', source: 3, restored: 3 }, { table: 's2', source: 2, restored: 7 }, { table: 'z_all', source: 5, restored: 10 }] });
  assert.ok(!existsSync(dest) || !readdirSync(dest).some((n) => n.startsWith('odd_')), 'not stored');
});
