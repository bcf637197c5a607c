import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContentHasher, contentHashOfFile } from '../../src/adapters/content-hash.ts';
import type { AppError, ErrorKind } from '../../src/errors.ts';
import { expectFailure, freshEach } from './contract-parts.ts';
import type { BackupFile, BackupSource } from '../../src/pipeline/ports.ts';

/** One source under test, fresh and empty for each test, with the means to arrange what the contract needs. */
export interface SourceUnderTest {
  source: BackupSource;
  /** Puts a file where the source reads (a name with '/' lands in a subfolder), modified at a whole second. */
  add(name: string, bytes: Buffer, modifiedAt: Date): Promise<void>;
  /** Writes other bytes under a name, as the shop's next backup or a sync client still writing it would. */
  replace(name: string, bytes: Buffer): Promise<void>;
  remove(name: string): Promise<void>;
  /** A source of the same kind pointed at a place that does not exist. */
  misplaced(): BackupSource;
  /** The same source with its network or server gone; absent for a kind that has none (a local folder). */
  unreachable?(): BackupSource;
  close?(): Promise<void>;
}

export interface SourceContractOptions {
  /** Whether list() gives each file's content hash (Dropbox does; a folder would have to read every file to know it). */
  announcesHash: boolean;
  /** What each failure's message must say besides the file's name, in the implementation's words. */
  says: { missing: RegExp; changed: RegExp; misplaced: RegExp; unreachable?: RegExp };
  /** Sees every AppError the contract provokes (Dropbox's tests check that none holds a secret). */
  onError?: (err: AppError) => void;
}

type Failure = 'missing' | 'changed' | 'misplaced' | 'unreachable';

/** The kind of error each failure is, whatever the implementation (the system it names varies). */
const KINDS: Record<Failure, ErrorKind> = { missing: 'refused', changed: 'corrupt', misplaced: 'refused', unreachable: 'unreachable' };

const hashOf = (bytes: Buffer) => { const h = new ContentHasher(); h.update(bytes); return h.digest(); };
/** Whole seconds: Dropbox keeps no milliseconds. */
const day = (n: number) => new Date(Date.UTC(2025, 0, n, 6, 30, 0));
const byName = (a: BackupFile, b: BackupFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * What every BackupSource must do (src/pipeline/ports.ts), run against the in-memory fake and
 * every real source: list() gives the .i5bu and .zip files and nothing else; download() writes
 * exactly the listed bytes, replacing what is at destPath, with progress, and returns their size
 * and content hash; a file gone or changed since the listing, a wrong place and a source that
 * cannot be reached reject with an AppError that says so.
 */
export function backupSourceContract(name: string, open: () => Promise<SourceUnderTest>, options: SourceContractOptions): void {
  describe(`${name} backup source`, () => {
    let dir = '';
    let s: SourceUnderTest;
    before(() => { dir = mkdtempSync(path.join(tmpdir(), `tokobot-source-contract-${process.pid}-`)); });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const check = freshEach(open, (under) => { s = under; });

    const listed = async (file: string) => {
      const found = (await s.source.list()).find((f) => f.name === file);
      assert.ok(found, `${file} is not listed`);
      return found;
    };
    const fail = (promise: Promise<unknown>, what: Failure, expect: { retryable: boolean; names?: string }) =>
      expectFailure(promise, { ...expect, kind: KINDS[what], says: options.says[what] ?? /./ }, options.onError);

    check('list() gives the .i5bu and .zip files in any letter case, with size, time, id and hash; nothing else', async () => {
      const backups: Record<string, Buffer> = { 'harian.i5bu': Buffer.from('PGDMP-a'), 'MINGGUAN.ZIP': Buffer.from('PK-b'),
        'Bulanan.I5bu': Buffer.from('PGDMP-c'), 'kosong.zip': Buffer.alloc(0), 'toko_2025.i5bu': randomBytes(3000) };
      let n = 0;
      for (const [file, bytes] of Object.entries(backups)) await s.add(file, bytes, day(++n));
      for (const other of ['catatan.txt', 'harian.i5bu.bak', 'arsip.zip.tmp', 'i5bu', 'lama.i5bu/dalam.i5bu']) await s.add(other, Buffer.from('x'), day(20));
      const files = (await s.source.list()).sort(byName);
      assert.deepEqual(files.map((f) => f.name), Object.keys(backups).sort());
      n = 0;
      const times = Object.fromEntries(Object.keys(backups).map((file) => [file, day(++n).toISOString()]));
      for (const f of files) {
        const bytes = backups[f.name]!;
        assert.equal(f.size, bytes.length, f.name);
        assert.equal(f.modifiedAt.toISOString(), times[f.name], f.name);
        assert.equal(f.contentHash, options.announcesHash ? hashOf(bytes) : undefined, f.name);
        assert.ok(typeof f.id === 'string' && f.id.length > 0, f.name);
      }
      assert.equal(new Set(files.map((f) => f.id)).size, files.length, 'two files share an id');
    });

    check('a place holding no backup lists none', async () => {
      await s.add('catatan.txt', Buffer.from('x'), day(1));
      assert.deepEqual(await s.source.list(), []);
    });

    check('download() writes exactly the listed bytes to destPath, replacing what was there, and returns their size and content hash', async () => {
      const bytes = randomBytes(4 * 1024 * 1024 + 12_345); // over one 4 MiB block of the content hash
      await s.add('besar.zip', bytes, day(3));
      const file = await listed('besar.zip');
      const dest = path.join(dir, `${name}-replaced.part`);
      writeFileSync(dest, randomBytes(bytes.length + 1000));
      const progress: Array<[number, number]> = [];
      const got = await s.source.download(file, dest, (done, total) => progress.push([done, total]));
      assert.ok(readFileSync(dest).equals(bytes), 'the file holds other bytes');
      assert.deepEqual(got, { bytes: bytes.length, contentHash: hashOf(bytes) });
      assert.equal(await contentHashOfFile(dest), got.contentHash);
      assert.ok(progress.length > 0, 'no progress was reported');
      assert.ok(progress.every(([done, total], i) => total === bytes.length && done >= (progress[i - 1]?.[0] ?? 0)), 'progress went back or changed its total');
      assert.deepEqual(progress.at(-1), [bytes.length, bytes.length]);

      const fresh = path.join(dir, `${name}-fresh.part`);
      assert.deepEqual(await s.source.download(file, fresh), got, 'without a progress function');
      assert.ok(readFileSync(fresh).equals(bytes));
    });

    check('an empty backup downloads as an empty file with the empty content hash', async () => {
      await s.add('kosong.i5bu', Buffer.alloc(0), day(4));
      const dest = path.join(dir, `${name}-empty.part`);
      writeFileSync(dest, 'an older file');
      assert.deepEqual(await s.source.download(await listed('kosong.i5bu'), dest), { bytes: 0, contentHash: hashOf(Buffer.alloc(0)) });
      assert.equal(readFileSync(dest).length, 0);
    });

    check('a file removed after the listing rejects, naming the file, and may be tried again later', async () => {
      await s.add('hilang.i5bu', Buffer.from('PGDMP-gone'), day(5));
      const file = await listed('hilang.i5bu');
      await s.remove('hilang.i5bu');
      await fail(s.source.download(file, path.join(dir, `${name}-gone.part`)), 'missing', { retryable: true, names: 'hilang.i5bu' });
    });

    check('a file whose bytes changed after the listing (another size, or the same size) is refused; listed again, it downloads', async () => {
      await s.add('tumbuh.i5bu', Buffer.from('PGDMP-partial'), day(6));
      await s.add('sama.i5bu', Buffer.from('PGDMP-first!'), day(6));
      const [grown, same] = [await listed('tumbuh.i5bu'), await listed('sama.i5bu')];
      await s.replace('tumbuh.i5bu', Buffer.from('PGDMP-partial-and-the-rest'));
      const other = Buffer.from('PGDMP-other!');
      await s.replace('sama.i5bu', other);
      const dest = path.join(dir, `${name}-changed.part`);
      await fail(s.source.download(grown, dest), 'changed', { retryable: true, names: 'tumbuh.i5bu' });
      await fail(s.source.download(same, dest), 'changed', { retryable: true, names: 'sama.i5bu' });
      assert.deepEqual(await s.source.download(await listed('sama.i5bu'), dest), { bytes: other.length, contentHash: hashOf(other) });
      assert.ok(readFileSync(dest).equals(other));
    });

    check('a place that does not exist rejects list() with an AppError saying which setting to check', async () => {
      await fail(s.misplaced().list(), 'misplaced', { retryable: false });
    });

    check('a source that cannot be reached rejects list() and download() as worth retrying', async (t) => {
      if (!s.unreachable) return void t.skip('this kind of source has no network or server to lose');
      await s.add('harian.i5bu', Buffer.from('PGDMP'), day(7));
      const file = await listed('harian.i5bu');
      const gone = s.unreachable();
      await fail(gone.list(), 'unreachable', { retryable: true });
      const dest = path.join(dir, `${name}-unreachable.part`);
      await fail(gone.download(file, dest), 'unreachable', { retryable: true });
      if (existsSync(dest)) assert.equal(readFileSync(dest).length, 0, 'bytes from nowhere were written');
    });
  });
}
