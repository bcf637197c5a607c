import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DropboxWatch } from '../../src/adapters/dropbox/dropbox-watch.ts';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';
import { MemoryWatchCursors } from '../fakes/memory-watch-cursors.ts';
import { until } from '../helpers/until.ts';

/** The Dropbox watcher against the fake Dropbox through the real SDK, with short longpolls and settle waits. */
let fake: FakeDropbox;
const FOLDER = '/iPOS/toko';
const SETTLE_MS = 150;
const warnings: string[] = [];
const logger = { info: () => undefined, debug: () => undefined, warn: (o: object, msg?: string) => void warnings.push(`${msg} ${JSON.stringify(o)}`) };
let stops: AbortController[] = [];

before(async () => {
  fake = await FakeDropbox.start();
  fake.longpollMsPerSecond = 5; // a 30 s longpoll lasts 150 ms
  await fake.addFile(`${FOLDER}/old.i5bu`, Buffer.from('old'));
});
afterEach(() => { for (const s of stops) s.abort(); stops = []; });
after(async () => { await fake.close(); });

/** A running watch and the times onChange was called. */
function watching(cursors = new MemoryWatchCursors(), timeoutS = 30) {
  const calls: number[] = [];
  const stop = new AbortController();
  stops.push(stop);
  const watch = new DropboxWatch({ ...fake.clientOptions(), folder: FOLDER, cursors, timeoutS, settleMs: SETTLE_MS, logger,
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, errorWaitMs: { first: 20, most: 100 } });
  const done = watch.watch(() => calls.push(Date.now()), stop.signal);
  return { calls, stop, done, cursors };
}

const longpollsSoFar = () => fake.count('list_folder/longpoll');
/** The cursor of the newest longpoll the fake received. */
const lastLongpollCursor = () => (JSON.parse(fake.requests.filter((r) => r.endpoint === 'list_folder/longpoll').at(-1)?.body || '{}') as { cursor?: string }).cursor;
/** A wait for what must come: long enough for a machine busy with the whole suite (the fake's longpoll answers in ms when quiet). */
const soon = (what: string, ok: () => boolean) => until(what, ok, 20_000);
/**
 * Waits for `w` to be in a longpoll begun after now, on the cursor it keeps, so that what follows
 * is news to it. A longpoll of an earlier test's watch, sent just before it was stopped and
 * received late by a loaded machine, does not count: taken for w's, the files added next landed
 * before w took its first cursor, and w never heard of them.
 */
const nextLongpoll = async (w: { cursors: MemoryWatchCursors }) => {
  const n = longpollsSoFar();
  await soon('a new longpoll', () => longpollsSoFar() > n && fake.pendingLongpolls() > 0 && lastLongpollCursor() === w.cursors.cursors.get(`dropbox:${FOLDER.toLowerCase()}`));
};

test('only .i5bu and .zip directly in the folder start a sync; other files and subfolders do not', async () => {
  const w = watching();
  await nextLongpoll(w);
  await fake.addFile(`${FOLDER}/catatan.txt`, Buffer.from('notes'));
  await fake.addFile(`${FOLDER}/arsip/lama.i5bu`, Buffer.from('in a subfolder'));
  await fake.addFile('/iPOS/other/x.zip', Buffer.from('another store'));
  await nextLongpoll(w); await nextLongpoll(w); // those changes were seen and passed over
  assert.equal(w.calls.length, 0);
  await fake.addFile(`${FOLDER}/BACKUP-2.ZIP`, Buffer.from('zip'));
  await soon('the sync is asked for', () => w.calls.length === 1);
  await nextLongpoll(w);
  assert.equal(w.calls.length, 1);
});

test('a growing file starts one sync, once its size stayed the same for the settle wait', async () => {
  const w = watching();
  await nextLongpoll(w);
  await fake.addFile(`${FOLDER}/growing.i5bu`, Buffer.alloc(10));
  let lastGrowth = Date.now();
  for (const size of [20, 40, 80]) {
    await new Promise((r) => setTimeout(r, SETTLE_MS * 0.3));
    await fake.addFile(`${FOLDER}/growing.i5bu`, Buffer.alloc(size));
    lastGrowth = Date.now();
  }
  await soon('the sync is asked for', () => w.calls.length > 0);
  assert.ok(w.calls[0]! - lastGrowth >= SETTLE_MS, `asked ${w.calls[0]! - lastGrowth} ms after the last growth`);
  // The growths were changes too, but of the file already reported as it settled: no second sync.
  await nextLongpoll(w); await nextLongpoll(w);
  assert.equal(w.calls.length, 1);
  await fake.addFile(`${FOLDER}/growing.i5bu`, Buffer.alloc(90));
  await soon('a later change of the same file is news', () => w.calls.length === 2);
});

test('two files landing together start one sync', async () => {
  const w = watching();
  await nextLongpoll(w);
  await fake.addFile(`${FOLDER}/a.i5bu`, Buffer.from('a'));
  await fake.addFile(`${FOLDER}/b.zip`, Buffer.from('b'));
  await soon('the sync is asked for', () => w.calls.length > 0);
  await nextLongpoll(w);
  assert.equal(w.calls.length, 1);
});

test('reset: the folder is listed again from a new cursor and the store synced; later files are still seen', async () => {
  const w = watching();
  await nextLongpoll(w);
  const before = await w.cursors.get(`dropbox:${FOLDER.toLowerCase()}`);
  const lists = fake.count('list_folder');
  fake.resetCursors();
  await soon('the store is synced after the reset', () => w.calls.length === 1);
  assert.ok(fake.count('list_folder') > lists, 'listed again');
  assert.notEqual(await w.cursors.get(`dropbox:${FOLDER.toLowerCase()}`), before);
  await nextLongpoll(w);
  await fake.addFile(`${FOLDER}/after-reset.i5bu`, Buffer.from('r'));
  await soon('a later file is seen', () => w.calls.length === 2);
});

test('a restart continues from the kept cursor: a file that landed while stopped is seen', async () => {
  const cursors = new MemoryWatchCursors();
  const first = watching(cursors);
  await nextLongpoll(first);
  first.stop.abort();
  await first.done;
  await fake.addFile(`${FOLDER}/while-stopped.i5bu`, Buffer.from('s'));
  const second = watching(cursors);
  await soon('the sync is asked for', () => second.calls.length === 1);
});

test('network failures are tried again after a bounded wait and logged; the watch goes on', async () => {
  const w = watching();
  await nextLongpoll(w);
  warnings.length = 0;
  fake.failNext('list_folder/longpoll', { status: 503 }, 4);
  fake.failNext('list_folder/longpoll', { acceptThenCut: true }, 2);
  await until('the faults are used up', () => longpollsSoFar() > 0 && fake.pendingLongpolls() > 0 && warnings.length >= 3, 10_000);
  assert.match(warnings.join('\n'), /Dropbox watch failed; trying again/);
  await nextLongpoll(w);
  await fake.addFile(`${FOLDER}/after-faults.i5bu`, Buffer.from('f'));
  await soon('the sync is asked for', () => w.calls.length === 1);
});

test('shutdown aborts the pending longpoll at once (a 480 s one)', async () => {
  fake.longpollMsPerSecond = 1000;
  try {
    const w = watching(new MemoryWatchCursors(), 480);
    await soon('the longpoll waits', () => fake.pendingLongpolls() === 1);
    const started = Date.now();
    w.stop.abort();
    await w.done;
    assert.ok(Date.now() - started < 500, `stopped in ${Date.now() - started} ms`);
    await until('the server sees the call end', () => fake.pendingLongpolls() === 0);
  } finally {
    fake.longpollMsPerSecond = 5;
  }
});

test('backoff: the next longpoll waits as long as Dropbox asked', async () => {
  fake.longpollBackoff = 1;
  try {
    watching();
    await soon('a first longpoll', () => fake.pendingLongpolls() > 0);
    const n = longpollsSoFar();
    const started = Date.now();
    await until('the next longpoll', () => longpollsSoFar() > n, 3_000);
    // Seen pending before it was answered, so at least the backoff (1 s) lies between: the 150 ms the
    // fake holds the call may have passed before a loaded machine noticed it (it was 1078 ms once).
    assert.ok(Date.now() - started >= 1000 - 20, `next call after ${Date.now() - started} ms`);
  } finally {
    fake.longpollBackoff = undefined;
  }
});

test('a folder not made yet (a new store\'s agent makes it with its first upload): its first backup is synced once the folder can be read', async () => {
  const stop = new AbortController();
  stops.push(stop);
  const calls: number[] = [];
  const folder = '/iPOS/toko-baru';
  const watch = new DropboxWatch({ ...fake.clientOptions(), folder, cursors: new MemoryWatchCursors(), timeoutS: 30, settleMs: SETTLE_MS, logger,
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, errorWaitMs: { first: 20, most: 100 } });
  void watch.watch(() => calls.push(Date.now()), stop.signal);
  await soon('the missing folder is told', () => warnings.some((w) => w.includes('toko-baru') && w.includes('not found')));
  await fake.addFile(`${folder}/ipos_20261130_210000.i5bu`, Buffer.from('the first backup'));
  await soon('the backup already there is synced', () => calls.length === 1);
  await fake.addFile(`${folder}/ipos_20261201_210000.i5bu`, Buffer.from('the next night'));
  await soon('later backups are seen as news', () => calls.length === 2);
});
