import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { restoreArchive, type RestoreProgress } from '../../src/pipeline/archive/archive-restorer.ts';
import { readArchive } from '../../src/pipeline/archive/archive-reader.ts';
import { planRestore, sessionSettings } from '../../src/pipeline/archive/restore-plan.ts';
import { isAppError } from '../../src/errors.ts';
import { rewriteArchive } from '../helpers/archive-rewrite.ts';
import { createScratchDb, dropScratchDb, localConnection, pgRestoreInto, queryOn, requireLocalPg } from '../helpers/local-pg.ts';
import { makeSampleArchives, type SampleArchives } from '../helpers/sample-archives.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';

const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-restorer-'));
const prefix = `tokobot_t_restorer_${process.pid}`;
const created = new Set<string>();
const query = queryOn(localConnection);
let small: SharedFixture;
let sample: SampleArchives;
/** The small fixture as pg_restore leaves it: the reference every restoreArchive result is compared with. */
let reference: Snapshot;

async function scratch(name: string): Promise<string> {
  const db = `${prefix}_${name}`;
  created.add(db);
  await createScratchDb(db);
  return db;
}

async function withClient<T>(db: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(localConnection(db));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const connect = (db: string) => async () => { const c = new pg.Client(localConnection(db)); await c.connect(); return c; };

type Snapshot = Record<string, unknown[]>;

/** Everything a restore decides, in a form that differs only when the databases do. */
async function snapshot(db: string): Promise<Snapshot> {
  const q = async (sql: string) => (await query(db, sql)).rows;
  const user = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'";
  const tables = await q(`SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND ${user} ORDER BY 1, 2`);
  const rows: unknown[] = [];
  for (const t of tables) {
    const id = `"${t.schema}"."${t.name}"`;
    rows.push({ table: id, ...(await q(`SELECT count(*)::int AS n, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM ${id} t`))[0] });
  }
  return {
    tables,
    columns: await q(`SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND ${user} ORDER BY 1, a.attnum`),
    constraints: await q(`SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE ${user} ORDER BY 1, 2`),
    indexes: await q(`SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`),
    triggers: await q('SELECT tgrelid::regclass::text AS rel, tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2'),
    functions: await q(`SELECT p.proname, pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${user} ORDER BY 1`),
    sequences: await q("SELECT schemaname, sequencename, last_value FROM pg_sequences WHERE schemaname <> 'pg_catalog' ORDER BY 1, 2"),
    comments: await q(`SELECT c.relname, d.objsubid, d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
      AND d.classoid = 'pg_class'::regclass ORDER BY 1, 2`),
    largeObjects: await q('SELECT oid::text, md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY 1'),
    rows,
  };
}

async function dumpThroughPipe(db: string, file: string): Promise<void> {
  const c = localConnection(db);
  const child = spawn('pg_dump', ['-Fc', '-h', String(c.host), '-p', String(c.port), '-U', String(c.user), db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await pipeline(child.stdout, createWriteStream(file));
  assert.equal(await exited, 0, 'pg_dump to a pipe');
}

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    assert.ok(isAppError(err), `not an AppError: ${(err as Error).stack}`);
    return err;
  }
  assert.fail('the restore was accepted');
}

before(async () => {
  if (skip) return;
  small = await getSharedFixture('small');
  sample = await makeSampleArchives(dir);
  const ref = await scratch('ref');
  await pgRestoreInto(ref, small.i5buPath);
  reference = await snapshot(ref);
});

after(async () => {
  for (const db of created) await dropScratchDb(db);
  rmSync(dir, { recursive: true, force: true });
});

test('the small fixture restores as pg_restore restores it, with progress per table', { skip, timeout: 30_000 }, async () => {
  const db = await scratch('small');
  const progress: RestoreProgress[] = [];
  const result = await restoreArchive(small.i5buPath, connect(db), { onProgress: (p) => progress.push(p) });
  assert.deepEqual(await snapshot(db), reference);
  const info = await readArchive(small.i5buPath);
  const dataEntries = info.entries.filter((e) => e.desc === 'TABLE DATA');
  assert.equal(result.tables, dataEntries.length);
  assert.equal(result.rows, (reference.rows as { n: number }[]).reduce((n, r) => n + r.n, 0));
  const tables = progress.filter((p) => p.phase === 'data');
  assert.deepEqual(tables.map((p) => p.table), dataEntries.map((e) => `${e.namespace}.${e.tag}`));
  assert.deepEqual(tables.map((p) => [p.done, p.total]), dataEntries.map((_, i) => [i + 1, dataEntries.length]));
  assert.deepEqual([...new Set(progress.map((p) => p.phase))], ['pre-data', 'data', 'post-data']);
});

test('format versions 1.12 and 1.16, and an archive written through a pipe', { skip, timeout: 30_000 }, async () => {
  const piped = path.join(dir, 'small-piped.i5bu');
  await dumpThroughPipe(`${prefix}_ref`, piped);
  assert.ok((await readArchive(piped)).entries.every((e) => e.dataState !== 'pos-set'), 'no data offsets in a piped dump');
  const archives: Record<string, string> = { piped };
  for (const minor of [12, 16] as const) {
    archives[`v1${minor}`] = path.join(dir, `small-1${minor}.i5bu`);
    rewriteArchive(small.i5buPath, archives[`v1${minor}`] as string, minor);
  }
  for (const [name, file] of Object.entries(archives)) {
    const db = await scratch(name);
    await restoreArchive(file, connect(db));
    assert.deepEqual(await snapshot(db), reference, name);
  }
});

test('large objects, an uncompressed archive and an old-style archive without SEARCHPATH entry', { skip, timeout: 30_000 }, async () => {
  const ref = await scratch('sample_ref');
  await pgRestoreInto(ref, sample.gzip);
  const expected = await snapshot(ref);
  assert.equal(expected.largeObjects?.length, 1);
  for (const [name, file] of Object.entries({ plain: sample.plain, piped: sample.piped })) {
    const db = await scratch(`sample_${name}`);
    await withClient(db, (c) => restoreArchive(file, c));
    assert.deepEqual(await snapshot(db), expected, name);
  }
  // pg_dump before 9.3.22/10.3 wrote no SEARCHPATH entry and unqualified names: pg_restore sets
  // search_path per entry then. The plan keeps the schema-qualified SQL, so only the settings differ.
  const info = await readArchive(sample.gzip);
  const old = { ...info, entries: info.entries.filter((e) => e.desc !== 'SEARCHPATH') };
  assert.equal(sessionSettings(old, 150000).fixedSearchPath, false);
  assert.equal(sessionSettings(info, 150000).fixedSearchPath, true);
  assert.ok(!planRestore(info.entries, true).some((s) => ['ACL', 'SEARCHPATH', 'ENCODING', 'DATABASE'].includes(s.entry.desc)));
});

test('a truncated archive is refused before anything is restored', { skip, timeout: 20_000 }, async () => {
  const db = await scratch('truncated');
  const err = await rejection(restoreArchive(small.bad.truncated, connect(db)));
  assert.match(err.message, /truncated/);
  assert.equal((await query(db, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n, 0);
});

test('damaged table data fails the COPY cleanly and leaves the connection usable', { skip, timeout: 20_000 }, async () => {
  const info = await readArchive(small.i5buPath);
  const biggest = info.entries.filter((e) => e.desc === 'TABLE DATA').sort((a, b) => (b.dataLength ?? 0) - (a.dataLength ?? 0))[0]!;
  const bytes = readFileSync(small.i5buPath);
  const middle = (biggest.dataOffset as number) + Math.floor((biggest.dataLength as number) / 2);
  for (let i = 0; i < 64; i++) bytes[middle + i] = (bytes[middle + i] as number) ^ 0x5a;
  const damaged = path.join(dir, 'damaged.i5bu');
  writeFileSync(damaged, bytes);
  const db = await scratch('damaged');
  await withClient(db, async (c) => {
    const err = await rejection(restoreArchive(damaged, c));
    assert.equal(err.code, 'restore-failed');
    assert.match(err.message, new RegExp(`(damaged|refused).*${biggest.tag}`));
    // The connection is usable, with the session settings of before the restore.
    assert.equal((await c.query('SHOW search_path')).rows[0].search_path, '"$user", public');
    assert.equal((await c.query('SELECT count(*)::int AS n FROM tbl_kantor')).rows[0].n, 0, 'unqualified names resolve again');
  });
});

test('a statement the server rejects stops the restore and is quoted', { skip, timeout: 20_000 }, async () => {
  const db = await scratch('rejected');
  await query(db, 'CREATE TABLE public.tbl_item (x int)');
  const err = await rejection(restoreArchive(small.i5buPath, connect(db)));
  assert.equal(err.code, 'restore-failed');
  assert.match(err.message, /relation "tbl_item" already exists/);
  assert.match(err.message, /Statement: CREATE TABLE public\.tbl_item \(/);
  // Nothing after the failing entry ran: no data was loaded.
  assert.equal((await query(db, 'SELECT count(*)::int AS n FROM public.tbl_item')).rows[0].n, 0);
});

test('an aborted restore rejects as interrupted', { skip, timeout: 20_000 }, async () => {
  const db = await scratch('aborted');
  const ac = new AbortController();
  const err = await rejection(restoreArchive(small.i5buPath, connect(db), {
    signal: ac.signal, onProgress: (p) => { if (p.phase === 'data') ac.abort(); },
  }));
  assert.equal(err.code, 'interrupted');
});
