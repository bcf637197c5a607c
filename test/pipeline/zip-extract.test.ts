import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { extractI5bu } from '../../src/pipeline/archive/zip-extract.ts';
import { isAppError } from '../../src/errors.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';

const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-zip-'));
const MB = 1024 * 1024;
let fixture: SharedFixture;
before(async () => { if (!skip) fixture = await getSharedFixture('small', { storeId: 'toko1' }); });
after(() => rmSync(dir, { recursive: true, force: true }));

function outDir(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d);
  return d;
}

async function refusal(zip: string, max = 100 * MB): Promise<string> {
  const out = outDir(`out-${path.basename(zip)}`);
  try {
    await extractI5bu(zip, out, { maxUncompressedBytes: max });
  } catch (err) {
    assert.ok(isAppError(err) && err.code === 'zip-invalid', `unexpected error: ${err}`);
    assert.deepEqual(readdirSync(out), [], 'left files behind');
    return err.message;
  }
  assert.fail(`${path.basename(zip)} was accepted`);
}

function makeZip(name: string, entries: { name: string; data: Buffer; mtime?: Date }[]): Promise<string> {
  const file = path.join(dir, name);
  const z = new yazl.ZipFile();
  for (const e of entries) z.addBuffer(e.data, e.name, { mtime: e.mtime ?? new Date() });
  z.end();
  return new Promise((resolve) => z.outputStream.pipe(createWriteStream(file)).on('close', () => resolve(file)));
}

test('the .i5bu comes out whole', { skip }, async () => {
  const out = outDir('good');
  const r = await extractI5bu(fixture.zipPath, out, { maxUncompressedBytes: 100 * MB });
  assert.deepEqual(readFileSync(r.path), readFileSync(fixture.i5buPath));
  assert.deepEqual(readdirSync(out), [path.basename(r.path)]);
  assert.deepEqual(r.ignored, []);
});

test('with several backups inside, the newest is used and the others reported', { skip }, async () => {
  const zip = await makeZip('two.zip', [
    { name: 'old/backup_senin.i5bu', data: Buffer.from('old'), mtime: new Date('2026-01-05T10:00:00Z') },
    { name: 'backup_selasa.i5bu', data: readFileSync(fixture.i5buPath), mtime: new Date('2026-01-06T10:00:00Z') },
    { name: 'catatan.txt', data: Buffer.from('x') },
  ]);
  const r = await extractI5bu(zip, outDir('two'), { maxUncompressedBytes: 100 * MB });
  assert.equal(r.entryName, 'backup_selasa.i5bu');
  assert.deepEqual(r.ignored, ['old/backup_senin.i5bu']);
});

test('refusals: ../ entry, no backup inside, zip bomb, not a zip', { skip }, async () => {
  assert.match(await refusal(fixture.bad.zipSlip), /unsafe path "\.\.\/evil\.i5bu"/);
  assert.match(await refusal(fixture.bad.zipWithoutI5bu), /no \.i5bu backup/);
  assert.match(await refusal(fixture.bad.zipBomb, 50 * MB), /more than 50 MB .*zip bomb/);
  const notZip = path.join(dir, 'not.zip');
  writeFileSync(notZip, 'PK but not really');
  assert.match(await refusal(notZip), /not a readable zip/);
});

test('a zip whose entry lies about its size is stopped by counting the bytes', { skip }, async () => {
  const zip = await makeZip('liar.zip', [{ name: 'b.i5bu', data: Buffer.alloc(3 * MB) }]);
  // Patch the declared uncompressed size (local header offset 22, central directory offset 24) down to 1 KB.
  const b = readFileSync(zip);
  b.writeUInt32LE(1024, 22);
  const cd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  b.writeUInt32LE(1024, cd + 24);
  writeFileSync(zip, b);
  assert.match(await refusal(zip, 2 * MB), /more than 2 MB|damaged/);
});
