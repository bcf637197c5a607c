import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppError, ErrorKind } from '../../src/errors.ts';
import { isAppError } from '../../src/errors.ts';
import { expectFailure, freshEach } from './contract-parts.ts';
import { partialName, type BackupDestination } from '../../src/pipeline/backup/ports.ts';

/** One destination under test, fresh for each test (its place does not exist yet), with the means to arrange and inspect it. */
export interface DestinationUnderTest {
  destination: BackupDestination;
  /** Puts a file there as another program, or a put killed on the way, would (a name with '/' lands in a subfolder). */
  plant(name: string, bytes: Buffer): Promise<void>;
  /** Every file directly there, temporary ones included, with its bytes. */
  stored(): Promise<Record<string, Buffer>>;
  /** Puts a folder under `name`, so that a put of that name cannot finish. */
  block(name: string): Promise<void>;
  /** Makes the next put's bytes arrive damaged; absent where nothing travels that could be (a local folder links the file itself). */
  damageNextPut?(): void;
  /** A destination of the same kind that refuses to have files written into it. */
  readOnly(): BackupDestination;
  /** The same destination with its network or server gone; absent for a kind that has none (a local folder). */
  unreachable?(): BackupDestination;
  close?(): Promise<void>;
}

type Failure = 'blocked' | 'damaged' | 'interrupted' | 'unreadable' | 'refused' | 'unreachable';

export interface DestinationContractOptions {
  /** What each failure's message must say besides the file's name, in the implementation's words. */
  says: Record<Exclude<Failure, 'damaged' | 'unreachable'>, RegExp> & { damaged?: RegExp; unreachable?: RegExp };
  /** Sees every AppError the contract provokes (Dropbox's tests check that none holds a secret). */
  onError?: (err: AppError) => void;
}

/** The kind of error each failure is, whatever the implementation (the system it names varies: folder, disk, dropbox). */
const KINDS: Record<Failure, ErrorKind> = { blocked: 'refused', damaged: 'corrupt', interrupted: 'interrupted', unreadable: 'refused',
  refused: 'refused', unreachable: 'unreachable' };

const NAME = 'toko_20250101_020000.dump';
const sorted = (o: Record<string, Buffer>) => Object.keys(o).sort();

/**
 * What every BackupDestination must do (src/pipeline/backup/ports.ts), run against the in-memory
 * fake and every real destination: put() stores a complete copy under its name or nothing at all
 * (no temporary file left either), list() shows finished files only, remove() is idempotent,
 * removeLeftovers() deletes only the temporary files the caller claims, and failures are AppErrors
 * that say what happened.
 */
export function backupDestinationContract(name: string, open: () => Promise<DestinationUnderTest>, options: DestinationContractOptions): void {
  describe(`${name} backup destination`, () => {
    let dir = '';
    let locals = 0;
    let d: DestinationUnderTest;
    before(() => { dir = mkdtempSync(path.join(tmpdir(), `tokobot-destination-contract-${process.pid}-`)); });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const check = freshEach(open, (under) => { d = under; });

    const local = (bytes: Buffer) => {
      const file = path.join(dir, `${name.replace(/\W/g, '_')}-${++locals}.bin`);
      writeFileSync(file, bytes);
      return file;
    };
    const fail = (promise: Promise<unknown>, what: Failure, expect: { retryable: boolean; names?: string }) =>
      expectFailure(promise, { ...expect, kind: KINDS[what], says: options.says[what] ?? /./ }, options.onError);
    const nothingStored = async () => assert.deepEqual(sorted(await d.stored()), [], 'something was left');

    check('a destination that does not exist yet lists nothing and has no leftovers', async () => {
      assert.deepEqual(await d.destination.list(), []);
      assert.deepEqual(await d.destination.removeLeftovers(() => true), []);
      await nothingStored();
    });

    check('put() stores an exact copy under its name, with progress, leaves the local file and no temporary one, and list() shows it', async () => {
      const bytes = randomBytes(300_000);
      const file = local(bytes);
      const progress: Array<[number, number]> = [];
      const { location } = await d.destination.put(file, NAME, { onProgress: (done, total) => progress.push([done, total]) });
      assert.ok(location.includes(NAME), `the location does not name the file: ${location}`);
      const stored = await d.stored();
      assert.deepEqual(sorted(stored), [NAME]);
      assert.ok(stored[NAME]!.equals(bytes), 'other bytes arrived');
      assert.ok(readFileSync(file).equals(bytes), 'the local file changed');
      assert.ok(progress.length > 0, 'no progress was reported');
      assert.ok(progress.every(([done, total], i) => total === bytes.length && done >= (progress[i - 1]?.[0] ?? 0)), 'progress went back or changed its total');
      assert.deepEqual(progress.at(-1), [bytes.length, bytes.length]);
      const listed = await d.destination.list();
      assert.deepEqual(listed.map((f) => [f.name, f.size]), [[NAME, bytes.length]]);
      assert.ok(Math.abs(listed[0]!.modifiedAt.getTime() - Date.now()) < 60_000, `modified at ${listed[0]!.modifiedAt.toISOString()}`);
    });

    check('the same file put again under its name (a repeated run) succeeds and leaves one copy', async () => {
      const bytes = randomBytes(5000);
      await d.destination.put(local(bytes), NAME);
      await d.destination.put(local(bytes), NAME);
      const stored = await d.stored();
      assert.deepEqual(sorted(stored), [NAME]);
      assert.ok(stored[NAME]!.equals(bytes));
    });

    check('list() shows the finished files directly in the destination, never temporary ones or those in subfolders', async () => {
      await d.plant('a.dump', Buffer.from('finished a'));
      await d.plant(partialName('b.dump'), Buffer.from('half of b'));
      await d.plant('arsip/c.dump', Buffer.from('an older c'));
      await d.destination.put(local(Buffer.from('all of d')), 'd.dump');
      const listed = (await d.destination.list()).map((f) => [f.name, f.size]).sort();
      assert.deepEqual(listed, [['a.dump', 10], ['d.dump', 8]]);
    });

    check('remove() deletes one file by name, and a name that is not there is no error', async () => {
      await d.plant('a.dump', Buffer.from('a'));
      await d.plant('b.dump', Buffer.from('b'));
      await d.destination.remove('a.dump');
      await d.destination.remove('a.dump');
      await d.destination.remove('tidak-pernah-ada.dump');
      assert.deepEqual(sorted(await d.stored()), ['b.dump']);
      assert.deepEqual((await d.destination.list()).map((f) => f.name), ['b.dump']);
    });

    check('read() streams the exact bytes of a finished file; a name that is not there rejects with an AppError', async () => {
      const bytes = Buffer.from('isi backup yang utuh');
      await d.destination.put(local(bytes), 'a.dump');
      const chunks: Buffer[] = [];
      for await (const chunk of await d.destination.read('a.dump')) chunks.push(chunk as Buffer);
      assert.ok(Buffer.concat(chunks).equals(bytes));
      await assert.rejects(d.destination.read('tidak-ada.dump'), (err) => isAppError(err));
    });

    check('removeLeftovers() deletes only the temporary files whose final name isOurs accepts, and returns those names', async () => {
      const ours = 'toko_20250102_020000.dump';
      const theirs = 'lain_20250102_020000.dump';
      await d.plant(partialName(ours), Buffer.from('half'));
      await d.plant(partialName(theirs), Buffer.from('another job'));
      await d.plant('toko_20250101_020000.dump', Buffer.from('finished'));
      await d.plant('.toko_catatan', Buffer.from('not a temporary name'));
      const asked: string[] = [];
      const isOurs = (n: string) => { asked.push(n); return n.startsWith('toko_'); };
      assert.deepEqual(await d.destination.removeLeftovers(isOurs), [ours]);
      assert.deepEqual(asked.sort(), [theirs, ours], 'isOurs is asked about the final names of temporary files only');
      const left = await d.stored();
      assert.deepEqual(sorted(left), ['.lain_20250102_020000.dump.partial', '.toko_catatan', 'toko_20250101_020000.dump']);
      assert.ok(left[partialName(theirs)]!.equals(Buffer.from('another job')), 'another job\'s temporary file was changed');
      assert.deepEqual(await d.destination.removeLeftovers(isOurs), []);
    });

    check('a put that cannot finish leaves nothing under its name, nor its temporary file', async () => {
      await d.block(NAME);
      await fail(d.destination.put(local(randomBytes(5000)), NAME), 'blocked', { retryable: false, names: NAME });
      await nothingStored();
      assert.ok(!(await d.destination.list()).some((f) => f.name === NAME));
    });

    check('bytes that arrive damaged are kept under neither name, and the put may be tried again', async (t) => {
      if (!d.damageNextPut) return void t.skip('nothing travels to this kind of destination that could be damaged on the way');
      const bytes = randomBytes(5000);
      d.damageNextPut();
      await fail(d.destination.put(local(bytes), NAME), 'damaged', { retryable: true, names: NAME });
      await nothingStored();
      await d.destination.put(local(bytes), NAME);
      assert.ok((await d.stored())[NAME]?.equals(bytes), 'the second try did not store the file');
    });

    check('a put whose signal has already fired stores nothing and rejects as interrupted', async () => {
      const stop = new AbortController();
      stop.abort();
      await fail(d.destination.put(local(Buffer.from('x')), NAME, { signal: stop.signal }), 'interrupted', { retryable: false, names: NAME });
      await nothingStored();
    });

    check('a local file that cannot be read rejects, naming it, and stores nothing', async () => {
      const missing = path.join(dir, 'tidak-ada.dump');
      await fail(d.destination.put(missing, NAME), 'unreadable', { retryable: false, names: missing });
      await nothingStored();
    });

    check('a destination that refuses writes rejects put() with an AppError naming the file, and keeps nothing', async () => {
      await fail(d.readOnly().put(local(randomBytes(5000)), NAME), 'refused', { retryable: false, names: NAME });
      await nothingStored();
    });

    check('a destination that cannot be reached rejects every call as worth retrying', async (t) => {
      if (!d.unreachable) return void t.skip('this kind of destination has no network or server to lose');
      const gone = d.unreachable();
      await fail(gone.list(), 'unreachable', { retryable: true });
      await fail(gone.put(local(Buffer.from('x')), NAME), 'unreachable', { retryable: true });
      await fail(gone.remove(NAME), 'unreachable', { retryable: true });
      await fail(gone.removeLeftovers(() => true), 'unreachable', { retryable: true });
    });
  });
}
