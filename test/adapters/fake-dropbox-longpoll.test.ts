import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DropboxClient } from '../../src/adapters/dropbox/dropbox-client.ts';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';
import { until } from '../helpers/until.ts';

/** The fake's get_latest_cursor and longpoll, driven through the real SDK (notify host rewritten like the api host). */
let fake: FakeDropbox;
let client: DropboxClient;
const FOLDER = '/iPOS/toko';
before(async () => {
  fake = await FakeDropbox.start();
  fake.longpollMsPerSecond = 5; // 30 s lasts 150 ms
  client = new DropboxClient({ ...fake.clientOptions(), retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  await fake.addFile(`${FOLDER}/old.i5bu`, Buffer.from('old'));
});
after(async () => { await fake.close(); });

const latest = async () => (await client.dbx.filesListFolderGetLatestCursor({ path: FOLDER })).result.cursor;
const longpoll = (cursor: string, timeout = 30) => client.dbx.filesListFolderLongpoll({ cursor, timeout }).then((r) => r.result);
const tagOf = (err: unknown) => (err as { status: number; error: { error: { '.tag': string } } });

test('no change: {changes: false} at the timeout, not before; the request went to the notify host without a token', async () => {
  const cursor = await latest();
  const started = Date.now();
  assert.deepEqual(await longpoll(cursor, 60), { changes: false });
  const took = Date.now() - started;
  assert.ok(took >= 290 && took < 2000, `60 s at 5 ms a second took ${took} ms`);
  const sent = fake.requests.filter((r) => r.endpoint === 'list_folder/longpoll').at(-1);
  assert.equal(sent?.authorization, undefined, 'longpoll is a noauth call');
});

test('a change in the folder answers a waiting longpoll at once; continue lists only what changed', async () => {
  fake.longpollMsPerSecond = 1000; // 480 s: only the change can end this in time
  try {
    const cursor = await latest();
    const pending = longpoll(cursor, 480);
    await until('the longpoll waits', () => fake.pendingLongpolls() === 1);
    const started = Date.now();
    await fake.addFile(`${FOLDER}/new.i5bu`, Buffer.from('new backup'));
    assert.deepEqual(await pending, { changes: true });
    assert.ok(Date.now() - started < 1000);
    const page = (await client.dbx.filesListFolderContinue({ cursor })).result;
    assert.deepEqual(page.entries.map((e) => e.name), ['new.i5bu']);
    assert.equal(page.has_more, false);
    // A change before the call is answered at once too; a change in a subfolder is no change of this folder.
    await fake.addFile(`${FOLDER}/sub/x.i5bu`, Buffer.from('x'));
    const afterSub = (await client.dbx.filesListFolderContinue({ cursor: page.cursor })).result;
    assert.deepEqual(afterSub.entries.map((e) => e.name), ['sub'], 'a new subfolder is a change; its files are not');
    fake.longpollMsPerSecond = 5;
    await fake.addFile(`${FOLDER}/sub/y.i5bu`, Buffer.from('y'));
    assert.deepEqual(await longpoll(afterSub.cursor), { changes: false });
    fake.removeFile(`${FOLDER}/new.i5bu`);
    assert.deepEqual(await longpoll(afterSub.cursor), { changes: true });
    const gone = (await client.dbx.filesListFolderContinue({ cursor: afterSub.cursor })).result;
    assert.deepEqual(gone.entries.map((e) => [e['.tag'], e.name]), [['deleted', 'new.i5bu']]);
  } finally {
    fake.longpollMsPerSecond = 5;
  }
});

test('the last cursor of a listing follows later changes too', async () => {
  let page = (await client.dbx.filesListFolder({ path: FOLDER })).result;
  while (page.has_more) page = (await client.dbx.filesListFolderContinue({ cursor: page.cursor })).result;
  await fake.addFile(`${FOLDER}/later.zip`, Buffer.from('z'));
  assert.deepEqual(await longpoll(page.cursor), { changes: true });
});

test('backoff: the answer says how long to wait before the next call', async () => {
  fake.longpollBackoff = 7;
  try {
    assert.deepEqual(await longpoll(await latest()), { changes: false, backoff: 7 });
  } finally {
    fake.longpollBackoff = undefined;
  }
});

test('reset: a cursor no longer accepted is refused (409, tag reset) by longpoll and continue, also while waiting', async () => {
  const cursor = await latest();
  fake.longpollMsPerSecond = 1000;
  const pending = longpoll(cursor, 480).then(() => assert.fail('answered'), (err: unknown) => err);
  await until('the longpoll waits', () => fake.pendingLongpolls() === 1);
  fake.resetCursors();
  fake.longpollMsPerSecond = 5;
  const err = tagOf(await pending);
  assert.equal(err.status, 409);
  assert.equal(err.error.error['.tag'], 'reset');
  const err2 = tagOf(await longpoll(cursor).catch((e: unknown) => e));
  assert.equal(err2.error.error['.tag'], 'reset');
  const err3 = tagOf(await client.dbx.filesListFolderContinue({ cursor }).catch((e: unknown) => e));
  assert.equal(err3.error.error['.tag'], 'reset');
  assert.deepEqual(await longpoll(await latest()), { changes: false }, 'a new cursor works');
});

test('a timeout outside 30..480 is refused (400), as Dropbox does', async () => {
  const cursor = await latest();
  for (const timeout of [29, 481]) {
    const err = await longpoll(cursor, timeout).catch((e: unknown) => e) as { status: number };
    assert.equal(err.status, 400, String(timeout));
  }
});
