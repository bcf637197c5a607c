import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readArchive, minimumPgRestoreMajor, serverMajor } from '../../src/pipeline/archive/archive-reader.ts';
import { renderArchiveInfo } from '../../src/pipeline/archive/render-archive.ts';
import { isAppError } from '../../src/errors.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { rewriteArchive } from '../helpers/archive-rewrite.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';

const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-archive-'));
let fixture: SharedFixture;
let listing: string;
before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  listing = execFileSync('pg_restore', ['-l', fixture.i5buPath], { encoding: 'utf8' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(file: string): Promise<string> {
  try {
    await readArchive(file);
  } catch (err) {
    assert.ok(isAppError(err) && err.code === 'archive-invalid', `unexpected error: ${err}`);
    return err.message;
  }
  assert.fail(`${path.basename(file)} was accepted`);
}

const write = (name: string, bytes: Buffer) => { const f = path.join(dir, name); writeFileSync(f, bytes); return f; };

test('header and table of contents agree with pg_restore -l', { skip }, async () => {
  const info = await readArchive(fixture.i5buPath);
  assert.equal(info.formatVersion, '1.14');
  assert.deepEqual(info.compression, { algorithm: 'gzip', level: Number(/Compression: (-?\d+)/.exec(listing)![1]) });
  assert.equal(info.database, /dbname: (\S+)/.exec(listing)![1]);
  assert.equal(info.serverVersion, /Dumped from database version: (.+)/.exec(listing)![1]);
  assert.equal(info.pgDumpVersion, /Dumped by pg_dump version: (.+)/.exec(listing)![1]);
  assert.equal(info.entries.length, Number(/TOC Entries: (\d+)/.exec(listing)![1]));
  const listed = listing.split('\n').filter((l) => /^\d+;/.test(l)).map((l) => Number(l.split(';')[0]));
  for (const id of listed) assert.ok(info.entries.some((e) => e.dumpId === id), `entry ${id} missing`);
  const items = info.entries.find((e) => e.desc === 'TABLE DATA' && e.tag === 'tbl_item')!;
  assert.equal(items.section, 'data');
  assert.equal(items.dataState, 'pos-set');
  assert.ok((items.dataLength ?? 0) > 1000);
  assert.equal(info.entries.find((e) => e.desc === 'TABLE' && e.tag === 'tbl_item')!.owner, 'sysi5adm');
  assert.ok(info.entries.some((e) => e.desc === 'TRIGGER'));
  assert.match(renderArchiveInfo(info), /TABLE DATA\s+public\.tbl_ikdt\s+\[/);
});

test('uncompressed archives and archives written to a pipe (no data offsets)', { skip }, async () => {
  const plain = path.join(dir, 'plain.i5bu');
  // Restore the fixture once, then dump it uncompressed and through a pipe (pg_dump cannot seek back to write offsets).
  execFileSync('bash', ['-c', `createdb -h 127.0.0.1 -U postgres tokobot_t_pipe_${process.pid} && ` +
    `pg_restore --no-owner -h 127.0.0.1 -U postgres -d tokobot_t_pipe_${process.pid} "${fixture.i5buPath}" && ` +
    `pg_dump -Fc -Z0 -h 127.0.0.1 -U postgres tokobot_t_pipe_${process.pid} -f "${plain}" && ` +
    `pg_dump -Fc -h 127.0.0.1 -U postgres tokobot_t_pipe_${process.pid} | cat > "${dir}/piped.i5bu"; ` +
    `s=$?; dropdb -h 127.0.0.1 -U postgres tokobot_t_pipe_${process.pid}; exit $s`]);
  const p = await readArchive(plain);
  assert.equal(p.compression.algorithm, 'none');
  const piped = await readArchive(path.join(dir, 'piped.i5bu'));
  const data = piped.entries.filter((e) => e.desc === 'TABLE DATA');
  assert.ok(data.length > 10);
  assert.ok(data.every((e) => e.dataState === 'pos-not-set' && (e.dataLength ?? 0) > 0));
  const cut = readFileSync(path.join(dir, 'piped.i5bu'));
  assert.match(await refusal(write('piped-cut.i5bu', cut.subarray(0, cut.length - 100))), /truncated/);
});

test('older and newer format versions: 1.12, 1.13, 1.15, 1.16', { skip }, async () => {
  for (const minor of [12, 13, 15, 16] as const) {
    const f = path.join(dir, `v1${minor}.i5bu`);
    rewriteArchive(fixture.i5buPath, f, minor);
    const info = await readArchive(f);
    assert.equal(info.formatVersion, `1.${minor}`);
    assert.equal(info.entries.length, (await readArchive(fixture.i5buPath)).entries.length);
    assert.ok(info.entries.filter((e) => e.desc === 'TABLE DATA').every((e) => (e.dataLength ?? 0) > 0), `1.${minor}`);
    assert.equal(info.compression.algorithm, 'gzip');
  }
  assert.equal(minimumPgRestoreMajor('1.15'), 16);
  assert.equal(minimumPgRestoreMajor('1.12'), 9);
  assert.equal(serverMajor('9.5.3'), 9);
  assert.equal(serverMajor('15.20 (Debian 15.20-0+deb12u1)'), 15);
});

test('refusals: empty, wrong magic, unsupported versions, not the custom format', { skip }, async () => {
  assert.match(await refusal(fixture.bad.empty), /empty/);
  assert.match(await refusal(fixture.bad.wrongMagic), /not a PostgreSQL custom-format archive/);
  const good = readFileSync(fixture.i5buPath);
  for (const [maj, min] of [[1, 10], [1, 17], [2, 0]]) {
    const b = Buffer.from(good);
    b[5] = maj as number;
    b[6] = min as number;
    assert.match(await refusal(write(`v${maj}${min}.i5bu`, b)), new RegExp(`format ${maj}\\.${min} is not supported`));
  }
  const tar = Buffer.from(good);
  tar[10] = 3;
  assert.match(await refusal(write('tar.i5bu', tar)), /not the custom format/);
});

test('a file cut short anywhere is refused as truncated', { skip }, async () => {
  const good = readFileSync(fixture.i5buPath);
  const cuts = [3, 8, 20, 60, 200, 1000, 5000, 20000, Math.floor(good.length / 2), good.length - 10, good.length - 1];
  for (const n of cuts) {
    const msg = await refusal(write(`cut${n}.i5bu`, good.subarray(0, n)));
    assert.match(msg, n < 5 ? /not a PostgreSQL custom-format archive/ : /truncated/, `cut at ${n}: ${msg}`);
  }
  assert.match(await refusal(fixture.bad.truncated), /truncated/);
});

test('data offsets past the end of the file are refused', { skip }, async () => {
  const info = await readArchive(fixture.i5buPath);
  const firstData = Math.min(...info.entries.filter((e) => e.dataOffset !== null).map((e) => e.dataOffset as number));
  const tocOnly = readFileSync(fixture.i5buPath).subarray(0, firstData);
  assert.match(await refusal(write('toc-only.i5bu', tocOnly)), /past the end|truncated/);
});
