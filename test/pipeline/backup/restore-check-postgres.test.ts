import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import { scratchName, verifyPostgres } from '../../../src/pipeline/backup/verify-backup.ts';
import type { TableRows } from '../../../src/store/backup-log.ts';
import { FakeRestoreTarget } from '../../fakes/fake-restore-target.ts';
import { rewriteArchive } from '../../helpers/archive-rewrite.ts';
import { runCli, startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { adminQuery, dropScratchDb, LOCAL_PG_URL, pgDumpTo, requireLocalPg, withLocalClient } from '../../helpers/local-pg.ts';
import { needPgTools } from '../../helpers/needs.ts';
import { tokobot } from '../../helpers/tokobot-cli.ts';

/**
 * The per-table restore check of PostgreSQL backups (issue 17), with this machine's pg_dump,
 * pg_restore and PostgreSQL: each table's rows in the archive against the scratch restore's.
 */
const GOOD = `tokobot_t_a_rc_good_${process.pid}`;
const ODD = `tokobot_t_a_rc_odd_${process.pid}`;
const url = (db: string) => LOCAL_PG_URL.replace(/\/[^/]*$/, `/${db}`);
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-a-restorecheck-'));
const dest = path.join(dir, 'dest');
let h: BackupHarness;

const skip = (await requireLocalPg()) ?? (await needPgTools());

/** Tables in two schemas, an empty one, and an inheritance parent whose own rows are fewer than with its child's. */
const GOOD_SQL = `
  CREATE TABLE public.customers (id int PRIMARY KEY, name text);
  INSERT INTO public.customers SELECT g, 'pelanggan ' || g FROM generate_series(1, 37) g;
  CREATE TABLE public.sales (id int PRIMARY KEY, customer int REFERENCES public.customers, total numeric);
  INSERT INTO public.sales SELECT g, 1 + g % 37, g * 1000 FROM generate_series(1, 1250) g;
  CREATE TABLE public.empty_notes (note text);
  CREATE SCHEMA gudang;
  CREATE TABLE gudang.stok (kode text, "Qty" int);
  INSERT INTO gudang.stok SELECT 'K' || g, g FROM generate_series(1, 64) g;
  CREATE TABLE public.prices (item text, price int);
  CREATE TABLE public.promo_prices (until date) INHERITS (public.prices);
  INSERT INTO public.prices VALUES ('a', 1), ('b', 2);
  INSERT INTO public.promo_prices VALUES ('c', 3, '2026-12-31'), ('d', 4, '2026-12-31'), ('e', 5, '2026-12-31');`;

/**
 * A database whose restore does not give back its rows: a CHECK constraint calls a function that
 * writes to another table. pg_dump keeps the constraint in CREATE TABLE, so it runs for every row
 * the restore's COPY loads, and the log table gets a row per sale on top of its own.
 */
const ODD_SQL = `
  CREATE TABLE public.sale_log (note text);
  CREATE FUNCTION public.logged(id int) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO public.sale_log VALUES ('sale ' || id); RETURN true; END $$;
  CREATE TABLE public.sales (id int PRIMARY KEY, CONSTRAINT sales_logged CHECK (public.logged(id)));
  INSERT INTO public.sales SELECT g FROM generate_series(1, 5) g;
  CREATE TABLE public.items (id int);
  INSERT INTO public.items SELECT g FROM generate_series(1, 3) g;`;

async function makeDb(name: string, sql: string): Promise<void> {
  await dropScratchDb(name);
  await adminQuery(`CREATE DATABASE "${name}"`);
  await withLocalClient(name, (c) => c.query(sql));
}

/** Each table's own rows in a database (ONLY: as pg_dump reads them), counted here, apart from tokobot. */
async function ownRows(db: string): Promise<Record<string, number>> {
  return withLocalClient(db, async (c) => {
    const tables = (await c.query(`SELECT n.nspname AS s, r.relname AS t FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
      WHERE r.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`)).rows;
    const out: Record<string, number> = {};
    for (const { s, t } of tables) out[`${s}.${t}`] = Number((await c.query(`SELECT count(*) AS n FROM ONLY "${s}"."${t}"`)).rows[0].n);
    return out;
  });
}

before(async () => {
  if (skip) return;
  await makeDb(GOOD, GOOD_SQL);
  await makeDb(ODD, ODD_SQL);
  const job = (id: string, db: string) => ({ id, type: 'postgres', url: url(db), destinations: [{ type: 'local', dir: dest }] });
  h = await startBackupHarness(`a_rc${process.pid}`, [job('good', GOOD), job('odd', ODD)]);
});

after(async () => {
  if (skip) return;
  await h?.close();
  await dropScratchDb(GOOD);
  await dropScratchDb(ODD);
  rmSync(dir, { recursive: true, force: true });
});

test("a verified backup records every table's rows in the source and after the restore, all equal; backup list shows it", { skip }, async () => {
  const real = await ownRows(GOOD);
  assert.equal(real['public.prices'], 2, "the parent's own rows, without its child's");
  const run = await runBackup(h.app.backups, h.app.job('good'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  const expected: TableRows[] = Object.keys(real).sort().map((table) => ({ table, source: real[table] as number, restored: real[table] as number }));
  assert.deepEqual(run.verification?.restoreCheck, { checked: expected.length, mismatches: 0, tables: expected });
  const rows = Object.values(real).reduce((a, b) => a + b, 0);
  assert.match(run.verification?.detail ?? '', new RegExp(`^restored into a scratch database: ${expected.length} tables, ${rows} rows, every table's rows equal to the archive's$`));

  const json = await runCli(h, ['backup', 'list', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const listed = JSON.parse(json.stdout) as { recent: { id: number; verification: unknown }[] };
  assert.deepEqual(listed.recent.find((r) => r.id === run.id)?.verification, run.verification, 'the ops database keeps the whole check');
  const text = await runCli(h, ['backup', 'list']);
  assert.match(text.stdout, new RegExp(`\\n  Restore check: ${expected.length} tables, ${rows.toLocaleString('en-US')} rows, all equal\\n`));
});

test('a restore that gives other rows than the source fails verification as corrupt, naming the table; the failed run keeps the check', { skip }, async () => {
  const real = await ownRows(ODD);
  const before = existsSync(dest) ? readdirSync(dest) : [];
  const run = await runBackup(h.app.backups, h.app.job('odd'), 'cli');
  assert.equal(run.status, 'failed');
  assert.deepEqual(run.failure, { kind: 'corrupt', system: 'backup-file' });
  assert.equal(run.error, `verify: The backup does not restore to the same data: 1 of 3 tables differ: public.sale_log (${real['public.sale_log']} rows in the source, ${(real['public.sale_log'] as number) + (real['public.sales'] as number)} restored).`);
  assert.match(run.errorId ?? '', /^verify: Backup ini tidak pulih ke data yang sama: 1 dari 3 tabel berbeda: public\.sale_log \(5 baris di sumber, 10 setelah dipulihkan\)/);
  const check = run.verification?.restoreCheck;
  assert.equal(check?.checked, 3);
  assert.equal(check?.mismatches, 1);
  assert.deepEqual(check?.tables.find((t) => t.table === 'public.items'), { table: 'public.items', source: 3, restored: 3 });
  assert.equal(run.verification?.ok, false);
  assert.equal((await h.app.backups.log.get(run.id))?.verification?.restoreCheck?.mismatches, 1, 'stored with the failed run');
  assert.deepEqual(existsSync(dest) ? readdirSync(dest) : [], before, 'a backup that does not restore the same is not stored');
  const scratch = await h.query('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [scratchName('odd', run.id)]);
  assert.equal(scratch.rowCount, 0, 'the scratch database is dropped');

  const list = await runCli(h, ['backup', 'list']);
  assert.match(list.stdout, /\n  Restore check: 1 of 3 tables differ: public\.sale_log \(5 rows in the source, 10 restored\)\n/);
  const daftar = await tokobot(['backup', 'list'], { ...h.env, PATH: process.env.PATH ?? '', TOKOBOT_LANG: 'id' });
  assert.match(daftar.stdout, /\n  Cek pemulihan: 1 dari 3 tabel berbeda: public\.sale_log \(5 baris di sumber, 10 setelah dipulihkan\)\n/);
});

test('lz4 or zstd data, which tokobot does not read: the restore counts, and the check says it was not made table by table', { skip }, async () => {
  const plain = path.join(dir, 'good.dump');
  await pgDumpTo(GOOD, plain);
  // pg_dump 16+ writes lz4 as format 1.15 with the algorithm in the header; this machine's pg_dump is older, so its archive is re-encoded and marked lz4.
  const lz4 = path.join(dir, 'good-lz4.dump');
  rewriteArchive(plain, lz4, 15);
  const bytes = readFileSync(lz4);
  assert.equal(bytes[11], 1, 'gzip, the algorithm byte after the 11-byte header');
  bytes[11] = 2;
  writeFileSync(lz4, bytes);
  const target = new FakeRestoreTarget({ csv: '', rows: [], counts: await ownRows(GOOD) });
  const v = await verifyPostgres(target, 'tokobot_t_a_rc_lz4', lz4);
  assert.equal(v.ok, true);
  assert.deepEqual(v.restoreCheck, { checked: 0, mismatches: 0, tables: [], notMade: 'lz4' });
  assert.match(v.detail, /; not compared table by table: tokobot does not read lz4-compressed data; only the totals were counted$/);
  assert.deepEqual(target.methods().filter((m) => m === 'restore'), ['restore']);
});
