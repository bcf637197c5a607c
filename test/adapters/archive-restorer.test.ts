import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { restoreArchive, type RestoreProgress } from '../../src/adapters/postgres/archive-restorer.ts';
import { readArchive } from '../../src/pipeline/archive/archive-reader.ts';
import { planRestore, sessionSettings } from '../../src/pipeline/archive/restore-plan.ts';
import { isAppError, type AppError } from '../../src/errors.ts';
import { rewriteArchive } from '../helpers/archive-rewrite.ts';
import { createScratchDb, dropScratchDb, localConnection, pgRestoreInto, queryOn, requireLocalPg, withLocalClient } from '../helpers/local-pg.ts';
import { needPgTools } from '../helpers/needs.ts';
import { makeSampleArchives, type SampleArchives } from '../helpers/sample-archives.ts';
import { snapshot, type Snapshot } from '../helpers/db-snapshot.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';

const skip = (await requireLocalPg()) ?? (await needPgTools());
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

const connect = (db: string) => async () => { const c = new pg.Client(localConnection(db)); await c.connect(); return c; };

async function dumpThroughPipe(db: string, file: string): Promise<void> {
  const c = localConnection(db);
  const child = spawn('pg_dump', ['-Fc', '-h', String(c.host), '-p', String(c.port), '-U', String(c.user), db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await pipeline(child.stdout, createWriteStream(file));
  assert.equal(await exited, 0, 'pg_dump to a pipe');
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
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
    await withLocalClient(db, (c) => restoreArchive(file, c));
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
  await withLocalClient(db, async (c) => {
    const err = await rejection(restoreArchive(damaged, c));
    // Damaged data is either unreadable to tokobot or refused by the server, whichever notices first.
    assert.ok(`${err.kind}/${err.system}` === 'corrupt/backup-file' || `${err.kind}/${err.system}` === 'refused/postgres', `${err.kind}/${err.system}`);
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
  assert.deepEqual([err.kind, err.system], ['refused', 'postgres']);
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
  assert.deepEqual([err.kind, err.system], ['interrupted', 'postgres']);
});
