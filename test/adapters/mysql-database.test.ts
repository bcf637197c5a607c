import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import mysql from 'mysql2/promise';
import rawMysql from 'mysql2';
import { MysqlDatabase } from '../../src/adapters/mysql/mysql-database.ts';
import { needMariadb, needMysqlClient } from '../helpers/needs.ts';
import { StatementSplitter } from '../../src/adapters/mysql/sql-statements.ts';
import { isAppError } from '../../src/errors.ts';

const SERVER = 'mysql://root@127.0.0.1:3306';
const tag = randomBytes(4).toString('hex');
const SRC = `tokobot_t_${tag}`;
const work = mkdtempSync(path.join(tmpdir(), 'tokobot-mysql-'));
/**
 * Rows in `big`: enough for a dump of several 1 MB INSERT batches (checked below) and for the
 * abort at 50,000 rows to land mid-table; volume itself is bench/mysql-dump-bench.ts's (a million
 * rows here spent 40 s of the suite in the server).
 */
const BIG_ROWS = 150_000;

async function admin() {
  return mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', multipleStatements: true, dateStrings: true,
    supportBigNumbers: true, bigNumberStrings: true, charset: 'UTF8MB4_GENERAL_CI' });
}

const skip = await needMariadb();
const mysqlClient = skip ?? (await needMysqlClient());

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const FIXTURE = `
SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO';
SET SESSION time_zone = '+07:00';
CREATE TABLE types (
  id INT AUTO_INCREMENT PRIMARY KEY, c_tiny TINYINT, c_int INT, c_bigu BIGINT UNSIGNED, c_big BIGINT, c_dec DECIMAL(65,30),
  c_float FLOAT, c_double DOUBLE, c_date DATE, c_dt DATETIME(6), c_ts TIMESTAMP(6) NULL DEFAULT NULL, c_time TIME(3), c_year YEAR,
  c_char CHAR(10), c_vc VARCHAR(200), c_text TEXT, c_latin VARCHAR(20) CHARACTER SET latin1, c_bin BINARY(4), c_vb VARBINARY(300),
  c_blob BLOB, c_json JSON, c_enum ENUM('a','b','c d'), c_set SET('x','y','z'), c_bit BIT(8),
  c_medium MEDIUMTEXT, c_gen_v INT AS (c_int * 2) VIRTUAL, c_gen_s VARCHAR(210) AS (CONCAT(c_vc, '!')) STORED
);
INSERT INTO types (id) VALUES (0), (1);
INSERT INTO types (id, c_medium) VALUES (5, REPEAT('x''y\\n', 25000));
INSERT INTO types (id, c_tiny, c_int, c_bigu, c_big, c_dec, c_float, c_double, c_date, c_dt, c_ts, c_time, c_year, c_char, c_vc, c_text,
  c_latin, c_bin, c_vb, c_blob, c_json, c_enum, c_set, c_bit) VALUES
  (2, -128, -2147483648, 18446744073709551615, -9223372036854775808, 12345678901234567890123456789012345.123456789012345678901234567891,
   3.4028234663852886e38, 1.7976931348623157e308, '0000-00-00', '0000-00-00 00:00:00.000000', '1970-01-01 07:00:01.000001', '-838:59:59.000', 2155,
   'ab', 'It''s \\\\ "quoted"; -- not a comment /* nor this */ # nor this', 'line1\\nline2\\r\\n\\ttab \\Z end\\0nul',
   'café', 0x00FF7F80, ?, ?, '{"a": [1, 2.5, "x\\\\"y"], "b": null, "emoji": "🎉"}', 'c d', 'x,z', b'10000001'),
  (3, 127, 2147483647, 0, 9223372036854775807, -0.000000000000000000000000000001, 1.17549435e-38, 4.9e-324, '2024-02-29', '2024-12-31 23:59:59.999999',
   '2038-01-19 10:14:07.999999', '838:59:59.999', 1901, '', 'Grüße, 你好, 😀🎉🇮🇩 emoji', REPEAT('😀', 1000), '', 0x00000000, '', '', '[]', 'a', '', b'0'),
  (4, 0, 0, 1, -1, 0.1, -1.1, 0.1, '1000-01-01', '1000-01-01 00:00:00', '2000-01-01 00:00:00', '00:00:00', 0000, 'x', '''', '\\\\', NULL,
   0x27275C5C, 0x5C27, 0x1A0D0A00, '{}', 'b', 'x,y,z', b'11111111');
CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL, note VARCHAR(80),
  CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id));
INSERT INTO parent VALUES (1, 'one'), (2, 'two');
INSERT INTO child (parent_id, note) VALUES (1, 'a'), (2, 'b'), (2, NULL);
CREATE TABLE empty_table (id INT PRIMARY KEY, x TEXT);
CREATE TABLE \`order\` (\`key\` INT PRIMARY KEY, \`select\` VARCHAR(10));
CREATE TABLE \`price list\` (id INT PRIMARY KEY, \`item name\` VARCHAR(40), price DECIMAL(12,2));
INSERT INTO \`order\` VALUES (1, 'from'), (2, NULL);
INSERT INTO \`price list\` VALUES (1, 'GULA 1KG', 15500.00), (2, 'KOPI; \`bubuk\`', 2500.50);
CREATE TABLE big (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, qty INT, price DECIMAL(12,2), at DATETIME, note VARCHAR(64));
INSERT INTO big SELECT seq, CONCAT('BARANG ', seq % 5000), seq % 17, (seq % 1000) * 1.5, '2020-01-01' + INTERVAL seq SECOND,
  IF(seq % 3 = 0, NULL, MD5(seq)) FROM seq_1_to_${BIG_ROWS};
CREATE VIEW z_base_view AS SELECT p.id, p.name, COUNT(c.id) AS children FROM parent p LEFT JOIN child c ON c.parent_id = p.id GROUP BY p.id, p.name;
CREATE VIEW a_view_on_view AS SELECT name, children * 10 AS weight FROM z_base_view WHERE children > 0;
CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
CREATE PROCEDURE add_parent(IN n INT, IN label VARCHAR(40))
BEGIN
  -- a comment; with a semicolon
  INSERT INTO parent VALUES (n, label);
  SELECT COUNT(*) INTO @parents FROM parent;
END;
CREATE TRIGGER child_note BEFORE INSERT ON child FOR EACH ROW
BEGIN
  IF NEW.note IS NULL THEN SET NEW.note = CONCAT('trigger; ', NEW.parent_id); END IF;
END;
`;

/** SHA-256 over every value (bytes as the server sends them) of a table's rows in key order. */
async function tableDigest(database: string, table: string, columns = '*', orderBy = ''): Promise<string> {
  const conn = rawMysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database, charset: 'UTF8MB4_GENERAL_CI' });
  try {
    const [[{ n }]] = await conn.promise().query(`SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
      [database, table]) as unknown as [[{ n: number }]];
    const order = orderBy || Array.from({ length: Number(n) }, (_, i) => i + 1).join(',');
    const hash = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      conn.query({ sql: `SELECT ${columns} FROM \`${table.replaceAll('`', '``')}\` ORDER BY ${order}`, rowsAsArray: true, typeCast: false })
        .on('result', (row: unknown) => {
          for (const v of row as (Buffer | null)[]) {
            if (v === null) hash.update('\u0000N');
            else hash.update(`${v.length}:`).update(v);
          }
          hash.update('\n');
        })
        .on('error', reject).on('end', () => resolve());
    });
    return hash.digest('hex');
  } finally {
    conn.destroy();
  }
}

const TABLES = ['big', 'child', 'empty_table', 'order', 'parent', 'price list', 'types'];

async function digests(database: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) out[t] = await tableDigest(database, t);
  // FLOAT prints with 6 digits: compare the exact values too.
  out['types.c_float'] = await tableDigest(database, 'types', 'id, c_float + 0e0', 'id');
  for (const v of ['z_base_view', 'a_view_on_view']) out[v] = await tableDigest(database, v);
  return out;
}

const server = () => new MysqlDatabase({ url: `${SERVER}/${SRC}` });

async function dumpToFile(file: string, options: Parameters<MysqlDatabase['dump']>[1] = {}) {
  const db = server();
  try {
    const out = createWriteStream(file);
    const counts = await db.dump(out, options);
    out.end();
    await finished(out);
    return counts;
  } finally {
    await db.close();
  }
}

/** Views, routines and the trigger of a restored database work, and point at that database. */
async function checkProgrammable(database: string): Promise<void> {
  const c = await admin();
  try {
    await c.query(`USE \`${database}\``);
    const [[fn]] = await c.query('SELECT double_it(21) AS v') as unknown as [[{ v: number }]];
    assert.equal(fn.v, 42);
    await c.query("CALL add_parent(9, 'nine')");
    const [[p]] = await c.query('SELECT @parents AS n, (SELECT name FROM parent WHERE id = 9) AS name') as unknown as [[{ n: number; name: string }]];
    assert.deepEqual([Number(p.n), p.name], [3, 'nine']);
    await c.query('INSERT INTO child (parent_id) VALUES (9)');
    const [[ch]] = await c.query('SELECT note FROM child WHERE parent_id = 9') as unknown as [[{ note: string }]];
    assert.equal(ch.note, 'trigger; 9');
    const [[vv]] = await c.query("SELECT weight FROM a_view_on_view WHERE name = 'nine'") as unknown as [[{ weight: number }]];
    assert.equal(Number(vv.weight), 10);
    for (const v of ['z_base_view', 'a_view_on_view']) {
      const [[row]] = await c.query(`SHOW CREATE VIEW \`${v}\``) as unknown as [[Record<string, string>]];
      assert.ok(!String(row['Create View']).includes(SRC), `${v} refers to the source database`);
    }
  } finally {
    await c.end();
  }
}

describe('MysqlDatabase against the local server', { skip, timeout: 120_000 }, () => {
  const dumpFile = path.join(work, 'dump.sql');
  let source: Record<string, string>;
  let sourceCounts: Record<string, number>;
  let dumpCounts: Record<string, number>;
  const made: string[] = [SRC];

  before(async () => {
    const c = await admin();
    try {
      await c.query(`DROP DATABASE IF EXISTS \`${SRC}\`; CREATE DATABASE \`${SRC}\` CHARACTER SET utf8mb4; USE \`${SRC}\``);
      await c.query(FIXTURE, [ALL_BYTES, ALL_BYTES]);
    } finally {
      await c.end();
    }
    const db = server();
    sourceCounts = await db.countRows(SRC);
    await db.close();
    source = await digests(SRC);
    dumpCounts = await dumpToFile(dumpFile);
  });

  after(async () => {
    const c = await admin();
    for (const d of made) await c.query(`DROP DATABASE IF EXISTS \`${d}\``);
    await c.end();
    rmSync(work, { recursive: true, force: true });
  });

  test('the dump counts every table of the snapshot', () => {
    assert.deepEqual(Object.keys(sourceCounts).sort(), TABLES);
    assert.deepEqual(dumpCounts, sourceCounts);
    assert.equal(dumpCounts.big, BIG_ROWS);
    assert.equal(dumpCounts.types, 6);
  });

  test('the dump strips DEFINER and wraps routines for the mysql client; big tables go in several batches', () => {
    const text = readFileSync(dumpFile, 'utf8');
    assert.ok(text.split('INSERT INTO `big`').length - 1 >= 5, 'at least five INSERT batches for `big`');
    assert.ok(!/DEFINER\s*=/i.test(text));
    assert.match(text, /DELIMITER ;;\nCREATE PROCEDURE `add_parent`/);
    assert.ok(text.indexOf('CREATE TRIGGER') > text.lastIndexOf('INSERT INTO `types`'), 'trigger after the rows');
  });

  test('tokobot loads its dump into a new database with every row and object equal', async () => {
    const target = `${SRC}_load`;
    made.push(target);
    const db = server();
    try {
      await db.dropDatabase(target);
      await db.createDatabase(target);
      await db.load(createReadStream(dumpFile, { highWaterMark: 64 * 1024 }), target);
      assert.deepEqual(await db.countRows(target), sourceCounts);
    } finally {
      await db.close();
    }
    assert.deepEqual(await digests(target), source);
    await checkProgrammable(target);
  });

  test('the mysql client restores the same dump equally', { skip: mysqlClient }, async () => {
    const target = `${SRC}_client`;
    made.push(target);
    const c = await admin();
    await c.query(`CREATE DATABASE \`${target}\` CHARACTER SET utf8mb4`);
    await c.end();
    const client = spawn('mysql', ['-uroot', '-h127.0.0.1', target], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    client.stderr.on('data', (d) => (stderr += d));
    createReadStream(dumpFile).pipe(client.stdin);
    const code = await new Promise((resolve) => client.on('close', resolve));
    assert.equal(code, 0, stderr);
    const db = server();
    assert.deepEqual(await db.countRows(target), sourceCounts);
    await db.close();
    assert.deepEqual(await digests(target), source);
    await checkProgrammable(target);
  });

  test("tokobot loads mariadb-dump's own output (raw binary strings, conditional comments)", async () => {
    const target = `${SRC}_native`;
    made.push(target);
    const file = path.join(work, 'native.sql');
    const dumper = spawn('mariadb-dump', ['-uroot', '-h127.0.0.1', '--single-transaction', '--routines', `--ignore-table=${SRC}.big`, SRC],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    dumper.stderr.on('data', (d) => (stderr += d));
    dumper.stdout.pipe(createWriteStream(file));
    assert.equal(await new Promise((resolve) => dumper.on('close', resolve)), 0, stderr);
    const db = server();
    try {
      await db.createDatabase(target);
      await db.load(createReadStream(file, { highWaterMark: 4096 }), target);
      const { big: _big, ...small } = sourceCounts;
      assert.deepEqual(await db.countRows(target), small);
    } finally {
      await db.close();
    }
    for (const t of TABLES.filter((t) => t !== 'big')) assert.equal(await tableDigest(target, t), source[t], t);
  });

  test('rows written by others after the dump started are not in it', async () => {
    const snap = `${SRC}_snap`;
    made.push(snap);
    const c = await admin();
    await c.query(`CREATE DATABASE \`${snap}\`; USE \`${snap}\`;
      CREATE TABLE a_rows (id INT PRIMARY KEY, v VARCHAR(20)); CREATE TABLE z_later (id INT PRIMARY KEY, v VARCHAR(20));
      INSERT INTO a_rows SELECT seq, 'before' FROM seq_1_to_30000; INSERT INTO z_later VALUES (1, 'before');`);
    let inserted: Promise<unknown> | null = null;
    let insertDone = false;
    let laterTableSeenAfterInsert = false;
    const chunks: Buffer[] = [];
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        if (chunk.includes('-- Table `z_later`')) laterTableSeenAfterInsert = insertDone;
        // Holds the dump on backpressure until the other connection's insert has committed.
        (inserted ?? Promise.resolve()).then(() => cb(), cb);
      },
    });
    const db = new MysqlDatabase({ url: `${SERVER}/${snap}` });
    try {
      const counts = await db.dump(out, {
        onRows: () => {
          inserted ??= c.query("INSERT INTO a_rows VALUES (30001, 'after'); INSERT INTO z_later VALUES (2, 'after')").then(() => (insertDone = true));
        },
      });
      assert.ok(inserted, 'onRows was called');
      assert.ok(laterTableSeenAfterInsert, 'z_later was read after the insert committed');
      assert.deepEqual(counts, { a_rows: 30000, z_later: 1 });
      assert.deepEqual(await db.countRows(snap), { a_rows: 30001, z_later: 2 });
      const text = Buffer.concat(chunks).toString('utf8');
      assert.ok(!text.includes("'after'"));
      await db.dropDatabase(`${snap}_load`);
      await db.createDatabase(`${snap}_load`);
      made.push(`${snap}_load`);
      await db.load(Readable.from([Buffer.concat(chunks)]), `${snap}_load`);
      assert.deepEqual(await db.countRows(`${snap}_load`), counts);
    } finally {
      await db.close();
      await c.end();
    }
  });

  test('an abort mid-dump rejects as interrupted and ends the server query', async () => {
    const ac = new AbortController();
    const out = new Writable({ write: (_c, _e, cb) => cb() });
    const db = server();
    await assert.rejects(db.dump(out, { signal: ac.signal, onRows: (n) => n >= 50_000 && ac.abort() }),
      (err) => isAppError(err) && err.kind === 'interrupted' && err.system === 'mysql');
    await db.close();
    const c = await admin();
    try {
      let running = -1;
      for (let i = 0; i < 50 && running !== 0; i++) {
        const [[row]] = await c.query(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()`, [SRC]) as unknown as [[{ n: number }]];
        running = Number(row.n);
        if (running) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(running, 0, 'the dump connection is gone from the server');
    } finally {
      await c.end();
    }
  });

  test('loading a broken statement names it and the server error', async () => {
    const target = `${SRC}_broken`;
    made.push(target);
    const db = server();
    try {
      await db.createDatabase(target);
      const dump = 'CREATE TABLE ok (id INT);\nINSERT INTO ok VALUES (1);\nINSERT INTO no_such_table VALUES (1, \'x;y\');\nINSERT INTO ok VALUES (2);\n';
      await assert.rejects(db.load(Readable.from([Buffer.from(dump)]), target), (err) => isAppError(err) && err.kind === 'refused' && err.system === 'mysql'
        && err.message.includes("INSERT INTO no_such_table VALUES (1, 'x;y')") && /doesn't exist/.test(err.message));
      assert.deepEqual(await db.countRows(target), { ok: 1 });
      await assert.rejects(db.load(Readable.from([Buffer.from('USE mysql;\n')]), target), (err) => isAppError(err) && err.kind === 'refused' && err.system === 'backup-file');
    } finally {
      await db.close();
    }
  });

  test('connection failures say what is wrong without the password', async () => {
    const cases = [
      [`mysql://root:s3cret-pw@127.0.0.1:3306/${SRC}`, 'refused', /refused user 'root'/],
      ['mysql://root:s3cret-pw@127.0.0.1:1/whatever', 'unreachable', /Cannot reach/],
      [`mysql://root@127.0.0.1:3306/${SRC}_missing`, 'refused', /has no database/],
    ] as const;
    for (const [url, kind, says] of cases) {
      const db = new MysqlDatabase({ url });
      await assert.rejects(db.dump(new Writable({ write: (_c, _e, cb) => cb() })), (err) => isAppError(err) && err.kind === kind && err.system === 'mysql'
        && says.test(err.message) && !err.message.includes('s3cret-pw'), `${kind} for ${url.replace('s3cret-pw', '***')}`);
      await db.close();
    }
    const db = server();
    await assert.rejects(db.createDatabase('bad`name'), (err) => isAppError(err) && err.kind === 'usage');
    await db.close();
  });
});

function split(chunks: (string | Buffer)[]): string[] {
  const s = new StatementSplitter();
  const out = chunks.flatMap((c) => s.push(Buffer.from(c)));
  return [...out, ...s.end()].map((b) => b.toString('utf8'));
}

describe('StatementSplitter', () => {
  test('semicolons in quotes and comments do not end a statement', () => {
    assert.deepEqual(split([`INSERT INTO t VALUES ('a;b', "c;d", 'it\\'s; ok', 'it''s; ok'); SELECT \`x;y\` FROM t;`]),
      [`INSERT INTO t VALUES ('a;b', "c;d", 'it\\'s; ok', 'it''s; ok')`, 'SELECT `x;y` FROM t']);
    assert.deepEqual(split(['-- note; here\nSELECT 1; # and; here\nSELECT /* in; line */ 2;\n/* only a comment; */\n']),
      ['SELECT 1', 'SELECT   2']);
    assert.deepEqual(split(['SELECT 1--1;SELECT "a\\"b;" ;']), ['SELECT 1--1', 'SELECT "a\\"b;"']);
  });

  test('executable comments stay; DELIMITER lines change the delimiter', () => {
    assert.deepEqual(split(['/*!40101 SET NAMES utf8mb4 */;\n/*M!100100 SET x=1 */;\n']), ['/*!40101 SET NAMES utf8mb4 */', '/*M!100100 SET x=1 */']);
    assert.deepEqual(split(['DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT \';;\'; END ;;\ndelimiter ;\nSELECT 3;\nSELECT 4']),
      ["CREATE PROCEDURE p() BEGIN SELECT 1; SELECT ';;'; END", 'SELECT 3', 'SELECT 4']);
  });

  test('bytes pass through unchanged, UTF-8 or not', () => {
    const bin = Buffer.concat([Buffer.from("INSERT INTO t VALUES (_binary'"), Buffer.from([0xff, 0x00, 0x80, 0x3b]), Buffer.from("', '😀');")]);
    const s = new StatementSplitter();
    const [one] = [...s.push(bin), ...s.end()];
    assert.deepEqual(one, bin.subarray(0, bin.length - 1));
  });

  test('a statement split across chunks at every position gives the same result', () => {
    const sample = "-- c\nDELIMITER ;;\nCREATE TRIGGER t BEGIN SET a='x;\\'y'; END ;;\nDELIMITER ;\n/*!40101 SET @a=1 */;\nINSERT INTO `a;b` VALUES (\"q;\"),('😀'); # end\n/* x; */SELECT 1--2\n;";
    const whole = split([sample]);
    assert.equal(whole.length, 4);
    const bytes = Buffer.from(sample);
    for (let i = 0; i <= bytes.length; i++) {
      assert.deepEqual(split([bytes.subarray(0, i), bytes.subarray(i)]), whole, `split at ${i}`);
    }
    assert.deepEqual(split([...bytes].map((b) => Buffer.from([b]))), whole, 'one byte at a time');
  });
});
