import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { minimumPgRestoreMajor, readArchive, serverMajor, type ArchiveInfo } from '../../src/pipeline/archive/archive-reader.ts';
import { renderArchiveInfo } from '../../src/cli/format-inspect.ts';
import { isAppError } from '../../src/errors.ts';
import { inflateArchive, offsetFields, rewriteArchive } from '../helpers/archive-rewrite.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { needPgTools } from '../helpers/needs.ts';
import { makeSampleArchives, type SampleArchives } from '../helpers/sample-archives.ts';

const skip = (await requireLocalPg()) ?? (await needPgTools());
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-archive-'));
let sample: SampleArchives;
before(async () => { if (!skip) sample = await makeSampleArchives(dir); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(file: string): Promise<string> {
  try {
    await readArchive(file);
  } catch (err) {
    assert.ok(isAppError(err) && err.kind === 'corrupt' && err.system === 'backup-file', `unexpected error: ${err}`);
    return err.message;
  }
  assert.fail(`${path.basename(file)} was accepted`);
}

const write = (name: string, bytes: Buffer | string) => { const f = path.join(dir, name); writeFileSync(f, bytes); return f; };
const listing = (file: string) => execFileSync('pg_restore', ['-l', file], { encoding: 'utf8' });
const field = (text: string, re: RegExp) => (re.exec(text) ?? assert.fail(`${re} not in pg_restore -l`))[1] as string;
const dataEntries = (info: ArchiveInfo) => info.entries.filter((e) => e.dataState !== 'no-data');

/** Every data block starts where the previous one ends, and the last one ends the file. */
function assertBlocksTileTheData(info: ArchiveInfo): void {
  const blocks = dataEntries(info).map((e) => ({ at: e.dataOffset as number, len: e.dataLength as number })).sort((a, b) => a.at - b.at);
  assert.ok(blocks.length > 0 && blocks.every((b) => b.len > 0));
  for (let i = 1; i < blocks.length; i++) assert.equal(blocks[i]!.at, blocks[i - 1]!.at + blocks[i - 1]!.len);
  assert.equal(blocks.at(-1)!.at + blocks.at(-1)!.len, info.fileSize);
}

test('header and every table of contents entry agree with pg_restore -l', { skip }, async () => {
  const info = await readArchive(sample.gzip);
  const l = listing(sample.gzip);
  assert.equal(info.formatVersion, '1.14');
  assert.equal(`${info.formatVersion}-0`, field(l, /Dump Version: (\S+)/));
  assert.equal(info.intSize, Number(field(l, /Integer: (\d+) bytes/)));
  assert.equal(info.offSize, Number(field(l, /Offset: (\d+) bytes/)));
  assert.deepEqual(info.compression, { algorithm: 'gzip', level: Number(field(l, /Compression: (-?\d+)/)) });
  // pg_restore prints the stored local time back in this machine's zone, which made the dump.
  assert.equal(info.dumpTime, field(l, /Archive created at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/));
  assert.equal(info.database, field(l, /dbname: (\S+)/));
  assert.equal(info.serverVersion, field(l, /Dumped from database version: (.+)/));
  assert.equal(info.pgDumpVersion, field(l, /Dumped by pg_dump version: (.+)/));
  assert.equal(info.fileSize, readFileSync(sample.gzip).length);
  assert.equal(info.entries.length, Number(field(l, /TOC Entries: (\d+)/)));

  // pg_restore -l leaves out ENCODING, STDSTRINGS, SEARCHPATH and DATABASE; every other entry is listed.
  const listed = l.split('\n').filter((line) => /^\d+;/.test(line));
  assert.deepEqual(info.entries.filter((e) => !['ENCODING', 'STDSTRINGS', 'SEARCHPATH', 'DATABASE'].includes(e.desc)).length, listed.length);
  for (const line of listed) {
    const [, id, rest] = /^(\d+); \d+ \d+ (.*)$/.exec(line) ?? assert.fail(line);
    const e = info.entries.find((x) => x.dumpId === Number(id)) ?? assert.fail(`entry ${id} missing`);
    assert.equal(`${e.desc} ${e.namespace || '-'} ${e.tag} ${e.owner ?? ''}`, rest, line);
  }

  const byTag = (desc: string, tag: string) => info.entries.find((e) => e.desc === desc && e.tag === tag) ?? assert.fail(`${desc} ${tag}`);
  const table = byTag('TABLE', 'tbl_itemstok');
  assert.equal(table.section, 'pre-data');
  assert.equal(table.tableAm, 'heap');
  assert.equal(table.dataState, 'no-data');
  const data = byTag('TABLE DATA', 'tbl_item');
  assert.equal(data.section, 'data');
  assert.ok(data.hadDumper && data.dataState === 'pos-set' && (data.dataLength ?? 0) > 10_000);
  assert.match(data.copyStmt ?? '', /^COPY public\.tbl_item /);
  assert.equal(byTag('INDEX', 'tbl_itemstok_kodeitem').section, 'post-data');
  assert.equal(byTag('TRIGGER', 'tbl_item tbl_item_touch').section, 'post-data');
  const fk = byTag('FK CONSTRAINT', 'tbl_itemstok tbl_itemstok_kodeitem_fkey');
  assert.equal(fk.section, 'post-data');
  assert.ok(fk.dependencies.includes(table.dumpId), 'the FK depends on its table');
  assert.equal(byTag('BLOBS', 'BLOBS').section, 'data');
  assert.deepEqual(info.countsByKind['FK CONSTRAINT'], 2);
  assert.deepEqual(info.countsByKind['TABLE DATA'], 3);
  assertBlocksTileTheData(info);
  assert.deepEqual(JSON.parse(JSON.stringify(info)), info, 'the JSON form loses nothing');

  const text = renderArchiveInfo(info, 'en');
  assert.match(text, /custom archive 1\.14/);
  assert.match(text, /Compression:\s+gzip \(level -1\)/);
  assert.match(text, new RegExp(`${data.dumpId}\\s+data\\s+TABLE DATA\\s+public\\.tbl_item\\s+\\[\\d`));
  assert.match(text, /post-data\s+FK CONSTRAINT\s+public\.tbl_itemstok tbl_itemstok_kodeitem_fkey/);
});

test('uncompressed archives and archives written to a pipe (no data offsets)', { skip }, async () => {
  const gzip = await readArchive(sample.gzip);
  const plain = await readArchive(sample.plain);
  assert.deepEqual(plain.compression, { algorithm: 'none', level: 0 });
  assert.deepEqual(plain.entries.map((e) => e.dumpId), gzip.entries.map((e) => e.dumpId));
  assertBlocksTileTheData(plain);

  const piped = await readArchive(sample.piped);
  assert.ok(dataEntries(piped).length === 4 && dataEntries(piped).every((e) => e.dataState === 'pos-not-set'));
  assertBlocksTileTheData(piped);
  // Same compressed bytes as the seekable dump: only the offsets differ.
  for (const e of dataEntries(piped)) assert.equal(e.dataLength, gzip.entries.find((g) => g.dumpId === e.dumpId)?.dataLength);
});

test('older and newer format versions: 1.12, 1.13, 1.15, 1.16', { skip }, async () => {
  const strip = (info: ArchiveInfo) => info.entries.map(({ tableAm: _a, dataOffset: _o, ...rest }) => rest);
  for (const src of [sample.gzip, sample.plain, sample.piped]) {
    const base = await readArchive(src);
    for (const minor of [12, 13, 15, 16] as const) {
      const f = path.join(dir, `v1${minor}-${path.basename(src)}`);
      rewriteArchive(src, f, minor);
      // This machine's pg_restore 15 reads up to 1.14: it vouches for the older rewrites.
      if (minor < 14) assert.match(listing(f), new RegExp(`Dump Version: 1\\.${minor}-0`));
      const info = await readArchive(f);
      assert.equal(info.formatVersion, `1.${minor}`);
      assert.deepEqual(strip(info), strip(base), `1.${minor} of ${path.basename(src)}`);
      assert.equal(info.entries.find((e) => e.desc === 'TABLE')?.tableAm, minor >= 14 ? 'heap' : null);
      assert.deepEqual(info.compression, minor >= 15 ? { algorithm: base.compression.algorithm, level: null } : base.compression);
      assertBlocksTileTheData(info);
    }
  }
});

test('pg_restore versions and server versions', () => {
  assert.deepEqual(['1.12', '1.13', '1.14', '1.15', '1.16'].map(minimumPgRestoreMajor), [9, 9, 12, 16, 17]);
  assert.equal(serverMajor('9.5.3'), 9);
  assert.equal(serverMajor('15.20 (Debian 15.20-0+deb12u1)'), 15);
  assert.equal(serverMajor('garbage'), null);
});

test('refusals: empty, not an archive, unsupported versions, damaged header', { skip }, async () => {
  assert.match(await refusal(write('empty.i5bu', '')), /empty \(0 bytes\)/);
  assert.match(await refusal(write('sql.i5bu', '--\n-- PostgreSQL database dump\n')), /not a PostgreSQL custom-format archive \(it starts with "--\?--".*really an iPOS \.i5bu/);
  assert.match(await refusal(write('zip.i5bu', Buffer.from('PK\x03\x04rest-of-a-zip'))), /looks like a zip file/);
  const good = readFileSync(sample.gzip);
  const patched = (name: string, at: number, value: number, from = good) => { const b = Buffer.from(from); b[at] = value; return write(name, b); };
  assert.match(await refusal(patched('v110.i5bu', 6, 10)), /format 1\.10 is not supported: it was made by pg_dump 15\.20 .*tokobot reads formats 1\.12 to 1\.16/);
  rewriteArchive(sample.gzip, path.join(dir, 'v116.i5bu'), 16);
  const v117 = await refusal(patched('v117.i5bu', 6, 17, readFileSync(path.join(dir, 'v116.i5bu'))));
  assert.match(v117, /format 1\.17 is not supported: it was made by pg_dump 15\.20 \(Debian.*Update tokobot/);
  assert.match(await refusal(patched('v200.i5bu', 5, 2)), /format 2\.14 is not supported/);
  assert.match(await refusal(patched('int0.i5bu', 8, 0)), /header is damaged \(integer size 0/);
  assert.match(await refusal(patched('off9.i5bu', 9, 9)), /header is damaged \(integer size 4, offset size 9/);
  assert.match(await refusal(patched('tar.i5bu', 10, 3)), /not the custom format/);
});

test('a file cut short anywhere is refused as truncated', { skip }, async () => {
  for (const src of [sample.gzip, sample.plain, sample.piped]) {
    const info = await readArchive(src);
    const firstData = Math.min(...dataEntries(info).map((e) => e.dataOffset as number));
    const cut = path.join(dir, `cut-${path.basename(src)}`);
    copyFileSync(src, cut);
    // Every byte of the header, then a few hundred points through the table of contents and the data.
    const points = new Set<number>();
    const spread = (from: number, to: number) => { for (let n = from; n < to; n += Math.max(1, Math.floor((to - from) / 150))) points.add(n); };
    spread(1, 256);
    spread(256, firstData + 16);
    spread(firstData, info.fileSize);
    spread(info.fileSize - 16, info.fileSize);
    for (const n of [...points].sort((a, b) => b - a)) {
      truncateSync(cut, n);
      const msg = await refusal(cut);
      assert.match(msg, /truncated.*did not finish/, `cut at ${n} of ${path.basename(src)}: ${msg}`);
    }
  }
});

test('data offsets past the end and blocks of the wrong entry are refused', { skip }, async () => {
  const good = readFileSync(sample.gzip);
  const fields = offsetFields(good).filter((f) => f.flag === 2);
  const [a, b] = [fields[0]!, fields[1]!];
  const past = Buffer.from(good);
  past.writeUIntLE(good.length + 100, a.at + 1, 6);
  assert.match(await refusal(write('past-end.i5bu', past)), new RegExp(`truncated: the data of .* is cut off \\(it starts at byte ${good.length + 100}, past the end`));
  const swapped = Buffer.from(good);
  swapped.writeUIntLE(b.value, a.at + 1, 6);
  swapped.writeUIntLE(a.value, b.at + 1, 6);
  assert.match(await refusal(write('swapped.i5bu', swapped)), /damaged: the data of .* belongs to entry/);
  const lying = Buffer.from(good);
  lying.writeUInt32LE(0x7fffffff, a.value + 1 + 5 + 1); // the first chunk's length
  assert.match(await refusal(write('long-chunk.i5bu', lying)), /truncated: .*runs past the end/);
});

test('a 5 GB archive is walked by skipping, with little memory', { skip }, async () => {
  const big = path.join(dir, 'sparse.i5bu');
  const size = await inflateArchive(sample.gzip, big, 5, 1 << 30);
  const rss = process.memoryUsage().rss;
  const started = Date.now();
  const info = await readArchive(big);
  assert.equal(info.fileSize, size);
  assertBlocksTileTheData(info);
  assert.ok(Math.max(...dataEntries(info).map((e) => e.dataOffset as number)) > 2 ** 32, 'offsets past 4 GB are read');
  assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, 'memory stays bounded');
  assert.ok(Date.now() - started < 5000, 'holes are skipped, not read');
  rmSync(big);
});
