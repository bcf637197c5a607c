import pg from 'pg';
import { adminQuery, createScratchDb, localConnection } from './local-pg.ts';

/** The shared source of the backup tests: made once, then reused by every test file (and run). */
export const PG_SOURCE = 'tokobot_t_backup_source';

/**
 * Makes the shared source unless a complete one is there (the marker table is made last). Test
 * files run side by side: the first to get here builds it while the others wait on a lock.
 */
export async function ensurePgSource(): Promise<void> {
  const lock = new pg.Client(localConnection('postgres'));
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(7399, hashtext($1))', [PG_SOURCE]);
    await ensureUnlocked();
  } finally {
    await lock.end(); // the lock goes with the session
  }
}

async function ensureUnlocked(): Promise<void> {
  const exists = await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [PG_SOURCE]);
  if (exists.rowCount) {
    const c = new pg.Client(localConnection(PG_SOURCE));
    await c.connect();
    try {
      if ((await c.query("SELECT to_regclass('public.fixture_complete') IS NOT NULL AS ok")).rows[0].ok) return;
    } finally {
      await c.end();
    }
  }
  await makePgSource(PG_SOURCE);
  const c = new pg.Client(localConnection(PG_SOURCE));
  await c.connect();
  await c.query('CREATE TABLE fixture_complete (id int PRIMARY KEY)').finally(() => c.end());
}

/**
 * A PostgreSQL database with the data backups get wrong: NULLs in every column, bytea with every
 * byte value, Unicode, numerics past 64 bits, infinite and BC dates, arrays and JSON, a view, a
 * function and a trigger, and a table of `bigRows` rows.
 */
export async function makePgSource(name: string, bigRows = 1_000_000): Promise<void> {
  await createScratchDb(name);
  const c = new pg.Client(localConnection(name));
  await c.connect();
  try {
    await c.query(`
      CREATE TABLE awkward (id int PRIMARY KEY, txt text, bin bytea, big numeric(60, 20), ts timestamptz, d date, arr int[], doc jsonb, flag boolean);
      INSERT INTO awkward VALUES
        (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (2, 'Kopi ☕ susu — 🍜 ''quoted'' "double" \\ backslash', (SELECT string_agg(set_byte('\\x00'::bytea, 0, i), ''::bytea ORDER BY i) FROM generate_series(0, 255) i),
           12345678901234567890123456789012345678.12345678901234567890, 'infinity', '4713-01-01 BC', '{1,NULL,3}', '{"a": [1, "ü", null]}', true),
        (3, E'line\\nbreak\\ttab', '\\x', -0.00000000000000000001, '2028-02-29 23:59:59.999999+07', 'epoch', '{}', '[]', false);
      CREATE TABLE "Nama Aneh" (id int PRIMARY KEY, "select" text);
      INSERT INTO "Nama Aneh" VALUES (1, 'reserved words and spaces');
      CREATE TABLE empty_table (id int PRIMARY KEY);
      CREATE TABLE big (id int PRIMARY KEY, name text NOT NULL, price numeric(12, 2), at timestamp);
      INSERT INTO big SELECT i, 'item ' || i, i * 1.25, timestamp '2026-01-01' + i * interval '1 second' FROM generate_series(1, ${bigRows}) i;
      CREATE VIEW cheap AS SELECT id, name FROM big WHERE price < 10;
      CREATE TABLE audit (id serial PRIMARY KEY, note text);
      CREATE FUNCTION log_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (note) VALUES ('awkward ' || NEW.id); RETURN NEW; END $$;
      CREATE TRIGGER awkward_audit AFTER INSERT ON awkward FOR EACH ROW EXECUTE FUNCTION log_audit();
    `);
  } finally {
    await c.end();
  }
}

/** Every base table's row count and an ordered hash of its rows (changes if any value changes). */
export async function pgDigest(database: string): Promise<Record<string, string>> {
  const c = new pg.Client(localConnection(database));
  await c.connect();
  try {
    const tables = (await c.query("SELECT quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")).rows;
    const out: Record<string, string> = {};
    for (const { t } of tables) {
      const r = await c.query(`SELECT count(*) AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x.id), '')) AS h FROM ${t} x`);
      out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
    }
    return out;
  } finally {
    await c.end();
  }
}

export { adminQuery };
