import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { extractI5bu, zipLimits, type ZipLimits } from '../../src/pipeline/archive/zip-extract.ts';
import { zipSettingsFrom } from '../../src/config/load-config.ts';
import { freeSpace } from '../../src/pipeline/sync/work-files.ts';
import { isAppError } from '../../src/errors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-zip-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MB = 1024 * 1024;
// Zip extraction does not care what the backup holds: random bytes stand in for an archive.
const backup = Buffer.concat([Buffer.from('PGDMP'), randomBytes(MB)]);
let outDirs = 0;

function outDir(): string {
  const d = path.join(dir, `out-${++outDirs}`);
  mkdirSync(d);
  return d;
}

/** A ZIP_MAX_MB ceiling with the default ratio. */
const ceiling = (maxBytes: number): ZipLimits => ({ maxBytes, maxBytesFrom: 'ZIP_MAX_MB', maxRatio: 100 });

async function refusal(zip: string, limits: number | ZipLimits = 100 * MB): Promise<string> {
  const out = outDir();
  try {
    await extractI5bu(zip, out, typeof limits === 'number' ? ceiling(limits) : limits);
  } catch (err) {
    assert.ok(isAppError(err) && err.kind === 'corrupt' && err.system === 'backup-file', `unexpected error: ${err}`);
    assert.deepEqual(readdirSync(out), [], 'left files behind');
    return err.message;
  }
  assert.fail(`${path.basename(zip)} was accepted`);
}

type Entry = { name: string; data: Buffer | Readable; mtime?: Date; compress?: boolean };

async function makeZip(name: string, entries: Entry[]): Promise<string> {
  const file = path.join(dir, name);
  const z = new yazl.ZipFile();
  for (const e of entries) {
    const options = { mtime: e.mtime ?? new Date('2026-01-01T00:00:00Z'), compressionLevel: e.compress === false ? 0 : 9 };
    if (Buffer.isBuffer(e.data)) z.addBuffer(e.data, e.name, options);
    else z.addReadStream(e.data, e.name, options);
  }
  z.end();
  await pipeline(z.outputStream, createWriteStream(file));
  return file;
}

/** yazl refuses unsafe names, so a same-length safe name is written and then patched (local header and central directory). */
async function zipWithName(file: string, safe: string, evil: string): Promise<string> {
  assert.equal(safe.length, evil.length);
  const zip = readFileSync(await makeZip(file, [{ name: safe, data: backup }]));
  let at = zip.indexOf(safe);
  let patched = 0;
  for (; at >= 0 && patched < 4; at = zip.indexOf(safe, at + 1), patched++) zip.write(evil, at, 'latin1');
  assert.equal(patched, 2);
  writeFileSync(path.join(dir, file), zip);
  return path.join(dir, file);
}

/**
 * A one-entry zip of `mb` MB of zeros, as a zip tool makes it but in a moment: the deflate
 * stream of 1 MB of zeros, flushed so that it stands alone, repeated `mb` times (yazl compressed
 * and checksummed a gigabyte for 10 s). The test below unpacks a small one to show it is whole.
 */
function zerosZip(name: string, entry: string, mb: number): string {
  const block = Buffer.alloc(MB);
  const part = deflateRawSync(block, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const data = Buffer.concat([...Array<Buffer>(mb).fill(part), Buffer.from([0x03, 0x00])]); // the last, empty, final block
  let crc = 0;
  for (let i = 0; i < mb; i++) crc = crc32(block, crc);
  const fields = (signature: number, central: boolean) => {
    const b = Buffer.alloc(central ? 46 : 30);
    b.writeUInt32LE(signature, 0);
    const at = central ? 4 : 2; // the central record has "version made by" first
    b.writeUInt16LE(20, at + 2); // version needed
    b.writeUInt16LE(8, at + 6); // deflate
    b.writeUInt16LE(0x5c21, at + 10); // 2026-01-01 (DOS date)
    b.writeUInt32LE(crc, at + 12);
    b.writeUInt32LE(data.length, at + 16);
    b.writeUInt32LE(mb * MB, at + 20);
    b.writeUInt16LE(entry.length, at + 24);
    return b;
  };
  const local = Buffer.concat([fields(0x04034b50, false), Buffer.from(entry)]);
  const central = Buffer.concat([fields(0x02014b50, true), Buffer.from(entry)]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(local.length + data.length, 16);
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.concat([local, data, central, end]));
  return file;
}

test('the zip of zeros the bomb tests use is a whole zip: it unpacks to its zeros when the limits allow', async () => {
  const r = await extractI5bu(zerosZip('zeros.zip', 'backup.i5bu', 3), outDir(), { maxBytes: 10 * MB, maxBytesFrom: 'ZIP_MAX_MB', maxRatio: 10_000 });
  assert.deepEqual(readFileSync(r.path), Buffer.alloc(3 * MB));
});

test('the .i5bu comes out whole, under its own name, with nothing else left behind', async () => {
  const zip = await makeZip('good.zip', [{ name: 'backup/toko_2026-01-05.i5bu', data: backup }, { name: 'catatan.txt', data: Buffer.from('x') }]);
  const out = outDir();
  const r = await extractI5bu(zip, out, ceiling(100 * MB));
  assert.equal(r.entryName, 'backup/toko_2026-01-05.i5bu');
  assert.equal(r.path, path.join(out, 'toko_2026-01-05.i5bu'));
  assert.deepEqual(readFileSync(r.path), backup);
  assert.deepEqual(readdirSync(out), ['toko_2026-01-05.i5bu']);
  assert.deepEqual(r.ignored, []);
});

test('with several backups inside, the newest by modification time is used and the others reported', async () => {
  const older = Buffer.from('PGDMP older');
  for (const order of ['newest-first', 'newest-last']) {
    const entries: Entry[] = [
      { name: 'backup_senin.i5bu', data: older, mtime: new Date('2026-01-05T10:00:00Z') },
      { name: 'backup_selasa.I5BU', data: backup, mtime: new Date('2026-01-06T10:00:00Z') },
      { name: 'lama/backup_minggu.i5bu', data: older, mtime: new Date('2026-01-04T10:00:00Z') },
    ];
    if (order === 'newest-first') entries.reverse();
    const r = await extractI5bu(await makeZip(`${order}.zip`, entries), outDir(), ceiling(100 * MB));
    assert.equal(r.entryName, 'backup_selasa.I5BU', order);
    assert.deepEqual(readFileSync(r.path), backup);
    assert.deepEqual([...r.ignored].sort(), ['backup_senin.i5bu', 'lama/backup_minggu.i5bu']);
  }
});

test('refuses entries with ../ or absolute paths', async () => {
  assert.match(await refusal(await zipWithName('slip.zip', '__/evil.i5bu', '../evil.i5bu')), /unsafe path "\.\.\/evil\.i5bu"/);
  assert.match(await refusal(await zipWithName('deep.zip', 'a/__/__/b.i5bu', 'a/../../b.i5bu')), /unsafe path/);
  assert.match(await refusal(await zipWithName('abs.zip', '_tmp/x.i5bu', '/tmp/x.i5bu')), /unsafe path "\/tmp\/x\.i5bu"/);
  assert.match(await refusal(await zipWithName('win.zip', 'C_/x.i5bu', 'C:/x.i5bu')), /unsafe path/);
});

test('refuses a zip without a backup, naming what it holds', async () => {
  const zip = await makeZip('none.zip', [{ name: 'README.txt', data: Buffer.from('hi') }, { name: 'data/items.csv', data: Buffer.from('a,b') }]);
  assert.match(await refusal(zip), /no \.i5bu backup \(it has: README\.txt, data\/items\.csv\)/);
  assert.match(await refusal(await makeZip('empty.zip', [])), /no \.i5bu backup \(it has: nothing\)/);
});

test('refuses a zip bomb by its declared size', async () => {
  const zip = zerosZip('bomb.zip', 'backup.i5bu', 200);
  assert.ok(readFileSync(zip).length < MB, 'the bomb is small');
  assert.match(await refusal(zip, ceiling(10 * MB)), /unpacks to more than 10 MB \(ZIP_MAX_MB\); it declares more, so nothing was unpacked.*zip bomb/);
});

/** Declared uncompressed size: offset 22 of the local header, 24 of the central directory record. */
function declareSize(file: string, bytes: number): void {
  const zip = readFileSync(file);
  zip.writeUInt32LE(bytes, 22);
  zip.writeUInt32LE(bytes, zip.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1')) + 24);
  writeFileSync(file, zip);
}

test('at default settings a 1 MB zip that unpacks to 1 GB is refused by its ratio before anything is unpacked', async () => {
  const zip = zerosZip('gigabomb.zip', 'backup.i5bu', 1024);
  assert.ok(readFileSync(zip).length < 1.5 * MB, `the bomb is small: ${readFileSync(zip).length}`);
  const out = outDir();
  const defaults = zipLimits(zipSettingsFrom({}), await freeSpace(out));
  assert.equal(defaults.maxRatio, 100);
  assert.match(await refusal(zip, defaults), /more than 100 times its packed size of 1 MB \(ZIP_MAX_RATIO=100\); it declares more, so nothing was unpacked\. Refused as a possible zip bomb/);
});

test('without ZIP_MAX_MB the free space under DATA_DIR, less a reserve, is the ceiling', async () => {
  const incompressible = randomBytes(8 * MB);
  const zip = await makeZip('big.zip', [{ name: 'backup.i5bu', data: incompressible }]);
  const limits = zipLimits(zipSettingsFrom({}), 70 * MB);
  assert.equal(limits.maxBytes, 6 * MB);
  assert.match(await refusal(zip, limits), /more than the 6 MB free under DATA_DIR .*ZIP_MAX_MB is not set/);
  const roomy = await extractI5bu(zip, outDir(), zipLimits(zipSettingsFrom({}), 200 * MB));
  assert.deepEqual(readFileSync(roomy.path), incompressible);
});

test('refuses an entry that unpacks to more bytes than it declares', async () => {
  const file = await makeZip('liar.zip', [{ name: 'b.i5bu', data: Buffer.alloc(3 * MB) }]);
  declareSize(file, 1024);
  assert.match(await refusal(file, 2 * MB), /more than 2 MB|damaged/);
});

test('refuses damaged zips: not a zip, cut short, bad compressed data, bad checksum', async () => {
  assert.match(await refusal(path.join(dir, 'missing.zip')), /not a readable zip/);
  writeFileSync(path.join(dir, 'not.zip'), 'PK but not really');
  assert.match(await refusal(path.join(dir, 'not.zip')), /not a readable zip/);

  const good = readFileSync(await makeZip('text.zip', [{ name: 'b.i5bu', data: Buffer.from('PGDMP '.repeat(100_000)) }]));
  writeFileSync(path.join(dir, 'cut.zip'), good.subarray(0, good.length >> 1));
  assert.match(await refusal(path.join(dir, 'cut.zip')), /not a readable zip/);

  const mangled = Buffer.from(good);
  mangled.fill(0xff, 60, 200); // inside the deflate stream
  writeFileSync(path.join(dir, 'mangled.zip'), mangled);
  assert.match(await refusal(path.join(dir, 'mangled.zip')), /damaged/);

  const stored = readFileSync(await makeZip('stored.zip', [{ name: 'b.i5bu', data: backup, compress: false }]));
  const at = 30 + 'b.i5bu'.length + 1000;
  stored.writeUInt8(stored.readUInt8(at) ^ 0x01, at); // one flipped bit in the stored backup
  writeFileSync(path.join(dir, 'flipped.zip'), stored);
  assert.match(await refusal(path.join(dir, 'flipped.zip')), /checksum does not match/);
});

test('a destination that cannot be written is reported as such, not as a damaged zip', async () => {
  const zip = await makeZip('fine.zip', [{ name: 'b.i5bu', data: backup }]);
  await assert.rejects(extractI5bu(zip, path.join(dir, 'no-such-dir'), ceiling(100 * MB)),
    (err: NodeJS.ErrnoException) => err.code === 'ENOENT' && !isAppError(err));
});
