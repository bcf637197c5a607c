import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { RestoreTarget } from '../../src/pipeline/ports.ts';
import { createDatabase, dropDatabase } from '../../src/pipeline/databases.ts';
import { isAppError } from '../../src/errors.ts';
import { adminQuery, createScratchDb, dropScratchDb, localConnection, pgDumpTo } from '../helpers/local-pg.ts';

const ITEMS = 40;
const SALES = 3000;

/**
 * What every restore target must do, run against each real one (the machine's PostgreSQL, a
 * Docker container). The archive is made here with the machine's pg_dump 15 from a tiny
 * database whose objects belong to a role that is dropped before the restore, as iPOS's
 * `sysi5adm` is missing on a restore server. Needs the local PostgreSQL (TESTING.md).
 */
export function restoreTargetContract(name: string, make: () => Promise<RestoreTarget>, skip?: string): void {
  describe(`${name} restore target`, { skip }, () => {
    const db = `tokobot_t_contract_${name}_${process.pid}`;
    let dir = '';
    let archive = '';
    let target: RestoreTarget;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), `tokobot-contract-${name}-`));
      archive = await makeArchive(dir, `${name}_${process.pid}`);
      target = await make();
      await target.ensure();
    });
    after(async () => {
      if (target) await dropDatabase(target, db).catch(() => undefined);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const freshDb = async () => {
      await dropDatabase(target, db);
      await createDatabase(target, db);
    };
    const query = async (sql: string, params: unknown[] = []) => {
      const c = new pg.Client(target.connection(db));
      await c.connect();
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.end();
      }
    };

    test('ensure() is idempotent and pg_restore is version 15', async () => {
      await target.ensure();
      await target.ensure();
      assert.equal(await target.pgRestoreMajor(), 15);
    });

    for (const jobs of [1, 2]) {
      test(`restores an archive owned by a role the server lacks (jobs=${jobs})`, async () => {
        await freshDb();
        await target.restore(archive, db, { jobs });
        const [row] = await query(`SELECT (SELECT count(*) FROM items)::int AS items, (SELECT count(*) FROM sales)::int AS sales,
          (SELECT sum(price)::text FROM items) AS total, (SELECT tableowner FROM pg_tables WHERE tablename = 'items') AS owner`);
        assert.deepEqual(row, { items: ITEMS, sales: SALES, total: expectedTotal(), owner: target.restoreConnection(db).user });
        const [trigger] = await query("SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'items_touch'");
        assert.equal(trigger?.n, 1);
      });
    }

    test("a truncated archive fails with pg_restore's own words", async () => {
      const bytes = readFileSync(archive);
      const cut = path.join(dir, 'cut.i5bu');
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      await freshDb();
      const lines: string[] = [];
      await assert.rejects(target.restore(cut, db, { jobs: 1, onOutput: (l) => lines.push(l) }), (err) =>
        isAppError(err) && err.code === 'restore-failed' && /^pg_restore failed: .*pg_restore: error/.test(err.message));
      assert.ok(lines.some((l) => l.includes('pg_restore: error')), lines.join('\n'));
    });

    for (const jobs of [1, 2]) {
      test(`an abort stops pg_restore and rejects as interrupted (jobs=${jobs})`, async () => {
        await freshDb();
        // An uncommitted table of the same name makes pg_restore's CREATE TABLE wait, so the
        // abort lands while it is surely running.
        const blocker = new pg.Client(target.connection(db));
        await blocker.connect();
        try {
          await blocker.query('BEGIN');
          await blocker.query('CREATE TABLE items (x int)');
          const abort = new AbortController();
          const restoring = target.restore(archive, db, { jobs, signal: abort.signal });
          restoring.catch(() => undefined);
          await waitFor(async () => (await query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg_restore'
            AND wait_event_type = 'Lock'`, [db])).length > 0, 'pg_restore waiting on the blocker');
          const aborted = Date.now();
          abort.abort();
          await assert.rejects(restoring, (err) => isAppError(err) && err.code === 'interrupted');
          assert.ok(Date.now() - aborted < 15_000, `abort took ${Date.now() - aborted} ms`);
          assert.ok(!(await target.restore(archive, db, { signal: abort.signal }).then(() => true, () => false)), 'pre-aborted restore must reject');
        } finally {
          await blocker.query('ROLLBACK').catch(() => undefined);
          await blocker.end();
        }
        // The killed pg_restore's sessions end once they get past the lock.
        await waitFor(async () => (await query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg_restore'",
          [db])).length === 0, 'pg_restore sessions to end');
      });
    }
  });
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
