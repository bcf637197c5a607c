import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderSource } from '../../src/adapters/folder/folder-source.ts';
import { contentHashOfFile } from '../../src/adapters/content-hash.ts';
import { isAppError } from '../../src/errors.ts';

test('lists only backups, with their times, and copies one with its content hash', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-folder-'));
  writeFileSync(path.join(dir, 'a.i5bu'), 'PGDMP-a');
  writeFileSync(path.join(dir, 'B.ZIP'), 'PK-b');
  writeFileSync(path.join(dir, 'notes.txt'), 'x');
  mkdirSync(path.join(dir, 'old.i5bu'));
  utimesSync(path.join(dir, 'a.i5bu'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
  const source = new FolderSource(dir);
  const files = (await source.list()).sort((a, b) => (a.name < b.name ? -1 : 1));
  assert.deepEqual(files.map((f) => [f.name, f.size]), [['B.ZIP', 4], ['a.i5bu', 7]]);
  assert.equal(files[1]!.modifiedAt.toISOString(), '2026-01-01T00:00:00.000Z');

  const dest = path.join(dir, 'copy.part');
  const seen: number[] = [];
  const got = await source.download(files[1]!, dest, (done) => seen.push(done));
  assert.equal(readFileSync(dest, 'utf8'), 'PGDMP-a');
  assert.deepEqual(got, { bytes: 7, contentHash: await contentHashOfFile(path.join(dir, 'a.i5bu')) });
  assert.equal(seen.at(-1), 7);
  rmSync(dir, { recursive: true, force: true });
});

test('a missing folder says which setting to check', async () => {
  await assert.rejects(new FolderSource('/nonexistent/tokobot').list(), (err) =>
    isAppError(err) && err.kind === 'refused' && err.system === 'folder' && /SOURCE_DIR/.test(err.message));
});

test('a file that changes or disappears between listing and copying is reported, not passed on', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-folder-'));
  try {
    writeFileSync(path.join(dir, 'sync.i5bu'), 'PGDMP-partial');
    const source = new FolderSource(dir);
    const [listed] = await source.list();
    writeFileSync(path.join(dir, 'sync.i5bu'), 'PGDMP-partial-and-the-rest');
    await assert.rejects(source.download(listed!, path.join(dir, 'x.part')), (err) =>
      isAppError(err) && err.kind === 'corrupt' && err.system === 'backup-file' && err.retryable && /changed while being copied/.test(err.message));
    rmSync(path.join(dir, 'sync.i5bu'));
    await assert.rejects(source.download(listed!, path.join(dir, 'x.part')), (err) =>
      isAppError(err) && err.kind === 'refused' && err.system === 'folder' && err.retryable && /sync\.i5bu disappeared/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
