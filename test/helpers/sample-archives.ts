import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { createScratchDb, dropScratchDb, localConnection } from './local-pg.ts';

export interface SampleArchives {
  /** `pg_dump -Fc` to a file: gzip, data offsets set. */
  gzip: string;
  /** `pg_dump -Fc -Z0`: uncompressed, offsets set. */
  plain: string;
  /** `pg_dump -Fc` through a pipe: pg_dump cannot seek back, so no data offsets are set. */
  piped: string;
}

/**
 * A small shop-like database with the object kinds an iPOS backup holds (tables with and
 * without a primary key, an index, foreign keys, a trigger and its function, bytea pictures)
 * plus one large object, so that the reader meets BLOBS blocks too.
 */
export const SCHEMA = `
CREATE TABLE tbl_kantor (kodekantor varchar(20) PRIMARY KEY, namakantor varchar(100) NOT NULL);
CREATE TABLE tbl_item (
  kodeitem varchar(30) PRIMARY KEY, namaitem varchar(200) NOT NULL, satuan varchar(10),
  hargajual1 numeric(35,20), gambar bytea, dateupd timestamp without time zone);
CREATE TABLE tbl_itemstok (
  kodeitem varchar(30) NOT NULL REFERENCES tbl_item, kantor varchar(20) NOT NULL REFERENCES tbl_kantor,
  stok numeric(20,3));
CREATE INDEX tbl_itemstok_kodeitem ON tbl_itemstok (kodeitem);
CREATE FUNCTION touch_item() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN NEW.dateupd := now(); RETURN NEW; END $$;
CREATE TRIGGER tbl_item_touch BEFORE UPDATE ON tbl_item FOR EACH ROW EXECUTE FUNCTION touch_item();
COMMENT ON TABLE tbl_item IS 'master barang';
INSERT INTO tbl_kantor VALUES ('UTM', 'Toko Utama'), ('CBG', 'Cabang');
INSERT INTO tbl_item
  SELECT 'BRG' || lpad(i::text, 6, '0'), 'BARANG NOMOR ' || i, 'PCS', i * 1000,
         decode(md5(i::text) || md5((i * 7)::text), 'hex'), '2026-01-02 03:04:05'
  FROM generate_series(1, 400) i;
INSERT INTO tbl_itemstok SELECT kodeitem, k, 5 FROM tbl_item, (VALUES ('UTM'), ('CBG')) v(k);
SELECT lo_from_bytea(0, 'not in iPOS, but pg_dump archives may hold large objects');
`;

const run = promisify(execFile);

function connArgs(database: string): string[] {
  const c = localConnection(database);
  return ['-h', String(c.host), '-p', String(c.port), '-U', String(c.user), database];
}

async function dumpThroughPipe(database: string, file: string): Promise<void> {
  const child = spawn('pg_dump', ['-Fc', ...connArgs(database)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await pipeline(child.stdout, createWriteStream(file));
  const code = await exited;
  if (code !== 0) throw new Error(`pg_dump to a pipe failed (${code}): ${stderr}`);
}

/** Builds the sample database, dumps it three ways into `dir`, and drops it again, pass or fail. */
export async function makeSampleArchives(dir: string): Promise<SampleArchives> {
  const database = `tokobot_t_archive_${process.pid}`;
  const out: SampleArchives = { gzip: path.join(dir, 'sample.i5bu'), plain: path.join(dir, 'sample-z0.i5bu'), piped: path.join(dir, 'sample-piped.i5bu') };
  await createScratchDb(database);
  try {
    const client = new pg.Client(localConnection(database));
    await client.connect();
    try {
      await client.query(SCHEMA);
    } finally {
      await client.end();
    }
    await run('pg_dump', ['-Fc', '-f', out.gzip, ...connArgs(database)]);
    await run('pg_dump', ['-Fc', '-Z0', '-f', out.plain, ...connArgs(database)]);
    await dumpThroughPipe(database, out.piped);
    return out;
  } finally {
    await dropScratchDb(database);
  }
}
