import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { RestoreTarget } from '../../src/pipeline/ports.ts';
import { PostgresRestoreServer } from '../../src/adapters/postgres/postgres-restore-server.ts';
import { isAppError } from '../../src/errors.ts';
import { adminQuery, createScratchDb, dropScratchDb, localConnection, pgDumpTo } from '../helpers/local-pg.ts';

const ITEMS = 40;
const SALES = 3000;

/** What the tiny archive holds, as the port's read methods see it (the fake is given these). */
export const TINY = {
  exportSql: "SELECT kodeitem, namaitem, price::numeric(12,2) AS price FROM public.items WHERE kodeitem IN ('I1', 'I2', 'I10') ORDER BY kodeitem",
  csv: 'kodeitem,namaitem,price\nI1,Barang 1,1250.50\nI10,Barang 10,12500.50\nI2,Barang 2,2500.50\n',
  readSql: 'SELECT namaitem, count(*)::int AS sales FROM public.items JOIN public.sales USING (kodeitem) WHERE kodeitem = $1 GROUP BY namaitem',
  readParams: ['I3'],
  rows: [{ namaitem: 'Barang 3', sales: SALES / ITEMS }],
  counts: { 'public.items': ITEMS, 'public.sales': SALES },
};

export interface ContractOptions {
  /**
   * What restore() runs: pg_restore (then its own error words and its sessions are checked),
   * tokobot's own restorer, or nothing real (the fake): the fake runs only the part of the
   * contract that needs no server.
   */
  restorer: 'pg_restore' | 'own' | 'fake';
  /** The major version pgRestoreMajor() must report. */
  major: (target: RestoreTarget) => Promise<number>;
  skip?: string;
}

/**
 * What every restore target must do, run against each real one (the machine's PostgreSQL with
 * pg_restore and with tokobot's own restorer, a Docker container, the embedded PostgreSQL) and,
 * where no server is needed, against the fake. The archive is made here with the machine's
 * pg_dump from a tiny database whose objects belong to a role that is dropped before the
 * restore, as iPOS's `sysi5adm` is missing on a restore server. Needs the local PostgreSQL
 * (TESTING.md), except on the fake.
 */
export function restoreTargetContract(name: string, make: () => Promise<RestoreTarget>, options: ContractOptions): void {
  describe(`${name} restore target`, { skip: options.skip }, () => {
    const db = `tokobot_t_contract_${name.replace(/\W/g, '_')}_${process.pid}`;
    let dir = '';
    let archive = '';
    let target: RestoreTarget;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tokobot-contract-'));
      archive = options.restorer !== 'fake' ? await makeArchive(dir, `${name.replace(/\W/g, '_')}_${process.pid}`) : path.join(dir, 'tiny.i5bu');
      target = await make();
      await target.ensure();
    });
    after(async () => {
      if (target) await target.dropDatabase(db).catch(() => undefined);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const freshDb = async () => {
      await target.dropDatabase(db);
      await target.createDatabase(db);
    };
    const restored = async () => {
      await freshDb();
      await target.restore(archive, db);
    };

    test('ensure() is idempotent, and pgRestoreMajor() reports what restore() runs', async () => {
      await target.ensure();
      await target.ensure();
      assert.equal(await target.pgRestoreMajor(), await options.major(target));
    });

    test('createDatabase makes a database and refuses an existing one; dropDatabase is idempotent', async () => {
      await target.dropDatabase(db);
      assert.equal(await target.databaseExists(db), false);
      await target.createDatabase(db);
      assert.equal(await target.databaseExists(db), true);
      await assert.rejects(target.createDatabase(db), (err: { code?: string }) => err.code === '42P04');
      await target.dropDatabase(db);
      assert.equal(await target.databaseExists(db), false);
      await target.dropDatabase(db);
      // Several at once, some missing: those present go, the rest cost nothing.
      await target.createDatabase(db);
      await target.createDatabase(`${db}_2`);
      await target.dropDatabase(`${db}_none`, db, `${db}_2`);
      assert.deepEqual([await target.databaseExists(db), await target.databaseExists(`${db}_2`)], [false, false]);
      await target.dropDatabase();
    });

    test('a restored database is analyzed, read, counted and exported to a file through the port', async () => {
      await restored();
      await target.analyze(db);
      assert.deepEqual(await target.readRestored(db, TINY.readSql, TINY.readParams), TINY.rows);
      assert.deepEqual(await target.countRows(db), TINY.counts);
      const csv = path.join(dir, 'export.csv');
      writeFileSync(csv, 'an older, longer file that the export replaces entirely\n'.repeat(10));
      const { bytes } = await target.exportCsv(db, TINY.exportSql, csv);
      assert.equal(readFileSync(csv, 'utf8'), TINY.csv);
      assert.equal(bytes, statSync(csv).size);
      const fresh = path.join(dir, 'fresh.csv');
      await target.exportCsv(db, TINY.exportSql, fresh);
      assert.equal(statSync(fresh).mode & 0o777, 0o640, 'a price list is not for every user of the machine');
    });

    test('analyze, read, count, export and restore of a missing database reject, and make no file', async () => {
      const missing = `${db}_missing`;
      const csv = path.join(dir, 'missing.csv');
      await target.dropDatabase(missing);
      for (const attempt of [() => target.analyze(missing), () => target.readRestored(missing, 'SELECT 1'), () => target.countRows(missing),
        () => target.exportCsv(missing, 'SELECT 1', csv), () => target.restore(archive, missing)]) {
        await assert.rejects(attempt());
      }
      assert.equal(existsSync(csv), false);
      assert.equal(await target.databaseExists(missing), false);
    });

    if (options.restorer !== 'fake') serverContract(() => target, db, () => archive, () => dir, restored, freshDb, options.restorer);
  });
}

/** The administrator's and the restore role's connections, which only the checks of a real server use. */
function logins(target: RestoreTarget): PostgresRestoreServer {
  assert.ok(target instanceof PostgresRestoreServer, `the ${target.kind} restore target is no PostgreSQL server`);
  return target;
}

/** The part of the contract that needs a real server: what restore() leaves, and what the restore role may not do. */
function serverContract(target: () => RestoreTarget, db: string, archive: () => string, dir: () => string, restored: () => Promise<void>,
  freshDb: () => Promise<void>, restorer: 'pg_restore' | 'own'): void {
  const query = async (sql: string, params: unknown[] = []) => {
    const c = new pg.Client(logins(target()).adminConnection(db));
    await c.connect();
    try {
      return (await c.query(sql, params)).rows;
    } finally {
      await c.end();
    }
  };

  for (const jobs of [1, 2]) {
    test(`restores an archive owned by a role the server lacks (jobs=${jobs})`, async () => {
      await freshDb();
      await target().restore(archive(), db, { jobs });
      const [row] = await query(`SELECT (SELECT count(*) FROM items)::int AS items, (SELECT count(*) FROM sales)::int AS sales,
        (SELECT sum(price)::text FROM items) AS total, (SELECT tableowner FROM pg_tables WHERE tablename = 'items') AS owner`);
      assert.deepEqual(row, { items: ITEMS, sales: SALES, total: expectedTotal(), owner: logins(target()).restoreConnection(db).user });
      const [trigger] = await query("SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'items_touch'");
      assert.equal(trigger?.n, 1);
    });
  }

  test('reads run as the restore role with search_path pinned: an archive\'s public.upper(varchar) does not replace the built-in one', async () => {
    await restored();
    // An exact argument-type match in public would win over pg_catalog.upper(text) without the pin.
    await query("CREATE FUNCTION public.upper(varchar) RETURNS text LANGUAGE sql AS $$ SELECT 'hijacked'::text $$");
    const [row] = await target().readRestored<{ me: string; path: string; up: string }>(db,
      "SELECT current_user::text AS me, current_setting('search_path') AS path, upper(namaitem) AS up FROM public.items WHERE kodeitem = $1", ['I1']);
    assert.deepEqual(row, { me: logins(target()).restoreConnection(db).user, path: 'pg_catalog', up: 'BARANG 1' });
    assert.notEqual(row?.me, logins(target()).adminConnection(db).user);
    const [hijacked] = await query("SELECT upper(namaitem) AS up FROM public.items WHERE kodeitem = 'I1'");
    assert.equal(hijacked?.up, 'hijacked', 'the function is there: only the pin keeps it out');
    await assert.rejects(target().readRestored(db, 'SELECT count(*) FROM items'), (err: { code?: string }) => err.code === '42P01');
  });

  test('the restore role\'s reads and exports cannot write, run a second statement, or read what only an administrator may', async () => {
    await restored();
    const refused = (code: string) => (err: { code?: string }) => err.code === code;
    await assert.rejects(target().readRestored(db, 'CREATE TABLE public.intruder (i int)'), refused('25006')); // read-only transaction
    await assert.rejects(target().readRestored(db, "SELECT pg_catalog.set_config('transaction_read_only', 'off', false)"), refused('25001'));
    await assert.rejects(target().readRestored(db, 'SELECT 1; DROP TABLE public.sales'), refused('42601')); // one statement only
    await assert.rejects(target().readRestored(db, "SELECT pg_catalog.pg_read_file('PG_VERSION')"), refused('42501'));
    await assert.rejects(target().exportCsv(db, 'SELECT rolname, rolpassword FROM pg_catalog.pg_authid', path.join(dir(), 'authid.csv')), refused('42501'));
    await assert.rejects(target().exportCsv(db, 'SELECT * FROM public.tbl_nothing', path.join(dir(), 'nothing.csv')), refused('42P01'));
    assert.deepEqual(await target().countRows(db), TINY.counts, 'nothing was written or dropped');
    // What the administrator can do, on the same database: the refusals above are the role's, not the server's.
    assert.equal((await query("SELECT length(pg_catalog.pg_read_file('PG_VERSION')) > 0 AS read"))[0]?.read, true);
  });

  test(restorer === 'pg_restore' ? "a truncated archive fails with pg_restore's own words" : 'a truncated archive is refused as truncated', async () => {
    const bytes = readFileSync(archive());
    const cut = path.join(dir(), 'cut.i5bu');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await freshDb();
    const lines: string[] = [];
    await assert.rejects(target().restore(cut, db, { jobs: 1, onOutput: (l) => lines.push(l) }), (err) => isAppError(err) && (restorer === 'own'
      ? err.kind === 'corrupt' && err.system === 'backup-file' && /the backup is truncated/.test(err.message)
      : err.kind === 'refused' && err.system === 'postgres' && /^pg_restore failed: .*pg_restore: error/.test(err.message)));
    if (restorer === 'pg_restore') assert.ok(lines.some((l) => l.includes('pg_restore: error')), lines.join('\n'));
  });

  // tokobot's own restorer runs in this process; its abort is tested in archive-restorer.test.ts.
  if (restorer === 'pg_restore') {
    for (const jobs of [1, 2]) {
      test(`an abort stops pg_restore and rejects as interrupted (jobs=${jobs})`, async () => {
        await freshDb();
        // An uncommitted table of the same name makes pg_restore's CREATE TABLE wait, so the
        // abort lands while it is surely running.
        const blocker = new pg.Client(logins(target()).adminConnection(db));
        await blocker.connect();
        try {
          await blocker.query('BEGIN');
          await blocker.query('CREATE TABLE items (x int)');
          const abort = new AbortController();
          const restoring = target().restore(archive(), db, { jobs, signal: abort.signal });
          restoring.catch(() => undefined);
          await waitFor(async () => (await query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg_restore'
            AND wait_event_type = 'Lock'`, [db])).length > 0, 'pg_restore waiting on the blocker');
          const aborted = Date.now();
          abort.abort();
          await assert.rejects(restoring, (err) => isAppError(err) && err.kind === 'interrupted');
          assert.ok(Date.now() - aborted < 15_000, `abort took ${Date.now() - aborted} ms`);
          assert.ok(!(await target().restore(archive(), db, { signal: abort.signal }).then(() => true, () => false)), 'pre-aborted restore must reject');
        } finally {
          await blocker.query('ROLLBACK').catch(() => undefined);
          await blocker.end();
        }
        // The killed pg_restore's sessions end once they get past the lock.
        await waitFor(async () => (await query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg_restore'",
          [db])).length === 0, 'pg_restore sessions to end');
      });
    }
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const price = (i: number) => `${i * 1250}.50000000000000000000`;
const expectedTotal = () => {
  let cents = 0;
  for (let i = 1; i <= ITEMS; i++) cents += i * 125_000 + 50;
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}000000000000000000`;
};

/** Dumps a tiny iPOS-like database (owner, grants, a trigger, bytea) with the host pg_dump, then drops the owner role. */
async function makeArchive(dir: string, suffix: string): Promise<string> {
  const role = `tokobot_ghost_${suffix}`;
  const source = `tokobot_t_src_${suffix}`;
  const file = path.join(dir, 'tiny.i5bu');
  await adminQuery(`DROP ROLE IF EXISTS ${role}`);
  await adminQuery(`CREATE ROLE ${role}`);
  await createScratchDb(source);
  try {
    const c = new pg.Client(localConnection(source));
    await c.connect();
    try {
      await c.query(`CREATE TABLE items (kodeitem varchar(20) PRIMARY KEY, namaitem varchar(100), price numeric(35,20), gambar bytea, dateupd timestamp)`);
      await c.query('CREATE TABLE sales (notransaksi varchar(30), kodeitem varchar(20) REFERENCES items, jumlah numeric(20,3))');
      await c.query(`CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.dateupd := now(); RETURN NEW; END $$`);
      await c.query('CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE PROCEDURE touch()');
      for (let i = 1; i <= ITEMS; i++) {
        await c.query('INSERT INTO items VALUES ($1, $2, $3, $4, now())', [`I${i}`, `Barang ${i}`, price(i), Buffer.alloc(64, i)]);
      }
      await c.query(`INSERT INTO sales SELECT 'T' || n, 'I' || (n % ${ITEMS} + 1), n % 7 FROM generate_series(1, ${SALES}) n`);
      for (const obj of ['TABLE items', 'TABLE sales', 'FUNCTION touch()']) await c.query(`ALTER ${obj} OWNER TO ${role}`);
      await c.query(`GRANT SELECT ON items TO ${role}`);
    } finally {
      await c.end();
    }
    await pgDumpTo(source, file);
  } finally {
    await dropScratchDb(source);
    await adminQuery(`DROP ROLE IF EXISTS ${role}`);
  }
  return file;
}
