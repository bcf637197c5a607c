import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DropboxSource, type DropboxSourceOptions } from '../../src/adapters/dropbox/dropbox-source.ts';
import { isAppError, type AppError } from '../../src/errors.ts';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';

let fake: FakeDropbox;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-dropbox-'));
const backup = randomBytes(300_000);
const retry = { attempts: 3, baseDelayMs: 10, maxDelayMs: 1500 };

before(async () => {
  fake = await FakeDropbox.start();
  for (let i = 1; i <= 5; i++) await fake.addFile(`/iPOS/Toko Ümmü/backup_${i}.i5bu`, Buffer.from(`PGDMP${i}`), new Date(Date.UTC(2026, 0, i)));
  await fake.addFile('/iPOS/Toko Ümmü/besar.zip', backup, new Date(Date.UTC(2026, 0, 9)));
  await fake.addFile('/iPOS/Toko Ümmü/catatan.txt', Buffer.from('x'));
  await fake.addFile('/iPOS/Toko Ümmü/arsip/lama.i5bu', Buffer.from('old'));
});
after(async () => { await fake.close(); rmSync(dir, { recursive: true, force: true }); });

const source = (over: Partial<DropboxSourceOptions> = {}) => new DropboxSource({
  folder: '/iPOS/Toko Ümmü', appKey: fake.appKey, appSecret: fake.appSecret, refreshToken: fake.refreshToken,
  apiUrl: fake.url, contentUrl: fake.url, retry, ...over,
});
const secrets = () => [fake.appSecret, fake.refreshToken];
const noSecrets = (err: AppError) => secrets().every((s) => !err.message.includes(s));

test('lists every backup across pages, with Dropbox content hashes, after one token refresh', async () => {
  const before = fake.count('token');
  const files = await source().list();
  assert.deepEqual(files.map((f) => f.name).sort(), ['backup_1.i5bu', 'backup_2.i5bu', 'backup_3.i5bu', 'backup_4.i5bu', 'backup_5.i5bu', 'besar.zip']);
  assert.ok(fake.count('list_folder/continue') >= 3, 'pagination was not used');
  assert.equal(fake.count('token') - before, 1);
  const zip = files.find((f) => f.name === 'besar.zip')!;
  assert.equal(zip.size, backup.length);
  assert.equal(zip.modifiedAt.toISOString(), '2026-01-09T00:00:00.000Z');
  assert.match(zip.contentHash ?? '', /^[0-9a-f]{64}$/);
});

test('a plain access token works without refreshing', async () => {
  const before = fake.count('token');
  const files = await source({ appKey: undefined, appSecret: undefined, refreshToken: undefined, accessToken: fake.issueToken() }).list();
  assert.equal(files.length, 6);
  assert.equal(fake.count('token'), before);
});

test('an access token that expired early is renewed once on the 401', async () => {
  const s = source();
  await s.list();
  fake.expireAllTokens();
  const before = fake.count('token');
  assert.equal((await s.list()).length, 6);
  assert.equal(fake.count('token') - before, 1);
});

test('429 waits for Retry-After and 500 is retried', async () => {
  fake.failNext('list_folder', { status: 429, retryAfter: 1 });
  fake.failNext('list_folder', { status: 500 });
  const t0 = Date.now();
  assert.equal((await source().list()).length, 6);
  assert.ok(Date.now() - t0 >= 950, 'Retry-After was not honoured');
});

test('owner messages: folder not found, wrong app secret, Dropbox unreachable — and never a secret', async () => {
  await assert.rejects(source({ folder: '/iPOS/tidak-ada' }).list(), (err: AppError) =>
    err.code === 'source-not-found' && /DROPBOX_FOLDER/.test(err.message) && err.message.includes('/iPOS/tidak-ada'));
  await assert.rejects(source({ appSecret: 'wrong-secret-xyz' }).list(), (err: AppError) =>
    err.code === 'source-auth' && /DROPBOX_APP_SECRET/.test(err.message) && !err.message.includes('wrong-secret-xyz') && noSecrets(err));
  await assert.rejects(source({ apiUrl: 'http://127.0.0.1:1', contentUrl: 'http://127.0.0.1:1' }).list(), (err: AppError) =>
    isAppError(err) && err.code === 'source-unreachable' && err.retryable && noSecrets(err));
  fake.failNext('list_folder', { status: 400, body: { error_summary: 'bad', error: {} } });
  await assert.rejects(source().list(), (err: AppError) => err.code === 'source-rejected');
});

test('downloads stream to disk with the content hash checked; a cut-off download is retried', async () => {
  const s = source();
  const zip = (await s.list()).find((f) => f.name === 'besar.zip')!;
  const dest = path.join(dir, 'a.part');
  const progress: number[] = [];
  const got = await s.download(zip, dest, (done) => progress.push(done));
  assert.deepEqual(readFileSync(dest), backup);
  assert.equal(got.contentHash, zip.contentHash);
  assert.equal(progress.at(-1), backup.length);

  fake.failNext('download', { cutAfterBytes: 1000 });
  const before = fake.count('download');
  await s.download(zip, dest);
  assert.equal(fake.count('download') - before, 2);
  assert.deepEqual(readFileSync(dest), backup);
});

test('bytes that never match the content hash end as a damaged download', async () => {
  const s = source();
  const zip = (await s.list()).find((f) => f.name === 'besar.zip')!;
  fake.failNext('download', { corrupt: true }, retry.attempts);
  await assert.rejects(s.download(zip, path.join(dir, 'b.part')), (err: AppError) => err.code === 'download-corrupt' && err.retryable);
});
