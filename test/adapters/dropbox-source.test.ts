import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DropboxSource, type DropboxSourceOptions } from '../../src/adapters/dropbox/dropbox-source.ts';
import { AppError, isAppError, type ErrorKind, type ErrorSystem } from '../../src/errors.ts';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';
import { backupSourceContract } from './backup-source-contract.ts';

let fake: FakeDropbox;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-dropbox-'));
const folder = '/iPOS/Toko Ümmü';
const backup = randomBytes(300_000);
const retry = { attempts: 3, baseDelayMs: 10, maxDelayMs: 1500 };
const errors: AppError[] = [];
const logLines: string[] = [];
const logger = {
  info: (obj: object, msg?: string) => void logLines.push(JSON.stringify({ obj, msg })),
  warn: (obj: object, msg?: string) => void logLines.push(JSON.stringify({ obj, msg })),
  debug: (obj: object, msg?: string) => void logLines.push(JSON.stringify({ obj, msg })),
};

before(async () => {
  fake = await FakeDropbox.start();
  for (let i = 1; i <= 5; i++) await fake.addFile(`${folder}/backup_${i}.i5bu`, Buffer.from(`PGDMP${i}`), { serverModified: new Date(Date.UTC(2026, 0, i)) });
  await fake.addFile(`${folder}/besar.zip`, backup, { serverModified: new Date(Date.UTC(2026, 0, 9)) });
  await fake.addFile(`${folder}/catatan.txt`, Buffer.from('x'));
  await fake.addFile(`${folder}/arsip/lama.i5bu`, Buffer.from('old'));
});

after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const source = (over: Partial<DropboxSourceOptions> = {}) => new DropboxSource({
  folder, ...fake.clientOptions(), retry, logger, ...over,
});

/** Rejects with an AppError of that kind and system whose message matches; kept for the no-secrets check at the end. */
async function rejects(promise: Promise<unknown>, kind: `${ErrorKind}/${ErrorSystem}`, message?: RegExp): Promise<AppError> {
  const err = await promise.then(() => assert.fail(`expected ${kind}`), (e: unknown) => e);
  assert.ok(isAppError(err), `not an AppError: ${String(err)}`);
  assert.equal(`${err.kind}/${err.system}`, kind, err.message);
  if (message) assert.match(err.message, message);
  errors.push(err);
  return err;
}

const zipOf = async (s: DropboxSource) => (await s.list()).find((f) => f.name === 'besar.zip')!;

let folders = 0;
/** Each contract test gets a folder of its own, with a name that needs escaping in Dropbox-API-Arg. */
backupSourceContract('Dropbox', async () => {
  const own = `/iPOS/Kontrak Ümmü ${++folders}`;
  const at = (name: string) => `${own}/${name}`;
  return {
    source: source({ folder: own }),
    add: (name, bytes, serverModified) => fake.addFile(at(name), bytes, { serverModified }),
    replace: (name, bytes) => fake.addFile(at(name), bytes),
    remove: async (name) => fake.removeFile(at(name)),
    misplaced: () => source({ folder: '/iPOS/tidak-ada' }),
    unreachable: () => source({ folder: own, apiUrl: 'http://127.0.0.1:1', contentUrl: 'http://127.0.0.1:1' }),
  };
}, {
  announcesHash: true,
  says: { missing: /is no longer in the Dropbox folder \/iPOS\/Kontrak Ümmü \d+ \(moved or deleted after the listing\)/,
    changed: /changed in Dropbox after it was listed/, misplaced: /Dropbox folder "\/iPOS\/tidak-ada" not found: check DROPBOX_FOLDER/,
    unreachable: /Cannot reach Dropbox \(ECONNREFUSED\)/ },
  onError: (err) => void errors.push(err),
});

test('lists every backup across pages, with Dropbox content hashes, after one token refresh', async () => {
  const tokensBefore = fake.count('token');
  const files = await source().list();
  assert.deepEqual(files.map((f) => f.name).sort(), ['backup_1.i5bu', 'backup_2.i5bu', 'backup_3.i5bu', 'backup_4.i5bu', 'backup_5.i5bu', 'besar.zip']);
  assert.ok(fake.count('list_folder/continue') >= 3, 'pagination was not used');
  assert.equal(fake.count('token') - tokensBefore, 1);
  const zip = files.find((f) => f.name === 'besar.zip')!;
  assert.equal(zip.size, backup.length);
  assert.equal(zip.modifiedAt.toISOString(), '2026-01-09T00:00:00.000Z');
  assert.match(zip.contentHash ?? '', /^[0-9a-f]{64}$/);
  assert.match(zip.id, /^id:/);
});

test('a plain access token works without refreshing', async () => {
  const tokensBefore = fake.count('token');
  const files = await source({ appKey: undefined, appSecret: undefined, refreshToken: undefined, accessToken: fake.issueToken() }).list();
  assert.equal(files.length, 6);
  assert.equal(fake.count('token'), tokensBefore);
});

test('a token close to its expiry is renewed by the SDK before the call, with no 401 on the way', async () => {
  fake.tokenLifetimeSeconds = 120;
  try {
    const s = source();
    const tokensBefore = fake.count('token');
    const requestsBefore = fake.requests.length;
    await s.list();
    await s.list();
    assert.ok(fake.count('token') - tokensBefore >= 2, 'the SDK did not renew a token about to expire');
    const seen = fake.requests.slice(requestsBefore).map((r) => r.authorization);
    assert.ok(new Set(seen.filter(Boolean)).size >= 2, 'every call used the same token');
  } finally {
    fake.tokenLifetimeSeconds = 14_400;
  }
});

test('an access token that expired early is renewed once on the 401', async () => {
  const s = source();
  await s.list();
  fake.expireAllTokens();
  const tokensBefore = fake.count('token');
  assert.equal((await s.list()).length, 6);
  assert.equal(fake.count('token') - tokensBefore, 1);
});

test('a token still refused after renewing it is renewed only once, then reported', async () => {
  const s = source();
  await s.list();
  const refused = { status: 401, body: { error_summary: 'invalid_access_token/..', error: { '.tag': 'invalid_access_token' } } };
  fake.failNext('list_folder', refused, 2);
  const tokensBefore = fake.count('token');
  await rejects(s.list(), 'refused/dropbox', /wrong or has expired/);
  assert.equal(fake.count('token') - tokensBefore, 1);
});

test('a wrong plain access token says so and how to avoid it', async () => {
  const token = 'sl.wrong-token-value-123';
  const err = await rejects(source({ appKey: undefined, appSecret: undefined, refreshToken: undefined, accessToken: token }).list(),
    'refused/dropbox', /access token is wrong or has expired.*DROPBOX_REFRESH_TOKEN/);
  assert.ok(!err.message.includes(token));
});

test('429 waits for Retry-After and 500 is retried', async () => {
  fake.failNext('list_folder', { status: 429, retryAfter: 1 });
  fake.failNext('list_folder', { status: 500 });
  const t0 = Date.now();
  assert.equal((await source().list()).length, 6);
  assert.ok(Date.now() - t0 >= 950, 'Retry-After was not honoured');
  assert.ok(logLines.some((l) => /retrying/.test(l) && /429/.test(l)), 'the retry was not logged');
});

test('failures that keep coming end with a retryable error after the bounded attempts', async () => {
  fake.failNext('list_folder', { status: 503 }, retry.attempts);
  const before = fake.count('list_folder');
  const err = await rejects(source().list(), 'unreachable/dropbox', /server error \(503\)/);
  assert.ok(err.retryable);
  assert.equal(fake.count('list_folder') - before, retry.attempts);
});

// A folder that does not exist and Dropbox out of reach are in the contract.
test('owner messages: a file given as the folder, wrong app secret or refresh token, a refused request', async () => {
  await rejects(source({ folder: `${folder}/besar.zip` }).list(), 'refused/dropbox', /check DROPBOX_FOLDER/);
  const badSecret = await rejects(source({ appSecret: 'wrong-secret-xyz' }).list(), 'refused/dropbox', /rejected the app key\/secret.*DROPBOX_APP_SECRET/);
  assert.ok(!badSecret.message.includes('wrong-secret-xyz'));
  const badRefresh = await rejects(source({ refreshToken: 'wrong-refresh-abc' }).list(), 'refused/dropbox', /invalid_grant.*DROPBOX_REFRESH_TOKEN/);
  assert.ok(!badRefresh.message.includes('wrong-refresh-abc'));
  fake.failNext('list_folder', { status: 400, body: { error_summary: 'bad', error: {} } });
  await rejects(source().list(), 'refused/dropbox');
});

// What a download writes and returns, and its progress, are in the contract.
test('a download names the file by id in Dropbox-API-Arg and puts nothing in its URL', async () => {
  const s = source();
  const zip = await zipOf(s);
  await s.download(zip, path.join(dir, 'a.part'));
  const call = fake.requests.filter((r) => r.endpoint === 'download').at(-1)!;
  assert.equal(call.apiArg, JSON.stringify({ path: zip.id }));
  assert.ok(!call.url.includes('?'), 'the download carried parameters in its URL');
});

test('a download cut off midway is retried from the start; one cut every time ends as damaged', async () => {
  const s = source();
  const zip = await zipOf(s);
  const dest = path.join(dir, 'b.part');
  fake.failNext('download', { cutAfterBytes: 1000 });
  fake.failNext('download', { status: 503 });
  const before = fake.count('download');
  await s.download(zip, dest);
  assert.equal(fake.count('download') - before, 3);
  assert.deepEqual(readFileSync(dest), backup);

  fake.failNext('download', { cutAfterBytes: 150_001 }, retry.attempts);
  const err = await rejects(s.download(zip, dest), 'corrupt/backup-file', /damaged.*the sync will try again/);
  assert.ok(err.retryable);
});

test('a short answer and corrupted bytes are both reported as a damaged download', async () => {
  const s = source();
  const zip = await zipOf(s);
  fake.failNext('download', { truncateTo: 1234 }, retry.attempts);
  await rejects(s.download(zip, path.join(dir, 'c.part')), 'corrupt/backup-file', /1234 of 300000 bytes/);
  fake.failNext('download', { corrupt: true }, retry.attempts);
  await rejects(s.download(zip, path.join(dir, 'c.part')), 'corrupt/backup-file', /content hash/);
  fake.failNext('download', { corrupt: true });
  assert.equal((await s.download(zip, path.join(dir, 'c.part'))).contentHash, zip.contentHash, 'the retry did not recover');
});

test('a download that stalls is abandoned after the idle timeout and retried', async () => {
  const s = source({ idleTimeoutMs: 200 });
  const zip = await zipOf(s);
  fake.failNext('download', { stallAfterBytes: 100 });
  const t0 = Date.now();
  await s.download(zip, path.join(dir, 'd.part'));
  assert.ok(Date.now() - t0 < 5000);
  assert.deepEqual(readFileSync(path.join(dir, 'd.part')), backup);
});

// That a replaced or deleted backup is reported is in the contract; here, that a retry would not help.
test('a backup replaced after the listing is reported after one request, not retried in vain', async () => {
  const s = source();
  await fake.addFile(`${folder}/ganti.zip`, Buffer.from('first version'));
  const listed = (await s.list()).find((f) => f.name === 'ganti.zip')!;
  await fake.addFile(`${folder}/ganti.zip`, Buffer.from('second, longer version'));
  const before = fake.count('download');
  await rejects(s.download(listed, path.join(dir, 'e.part')), 'corrupt/backup-file', /changed in Dropbox after it was listed/);
  assert.equal(fake.count('download') - before, 1);
  fake.removeFile(`${folder}/ganti.zip`);
});

test('no secret or access token appears in any error message or log line', () => {
  assert.ok(errors.length >= 10, `only ${errors.length} errors were collected`);
  const tokens = fake.requests.map((r) => /^Bearer (.+)$/.exec(r.authorization ?? '')?.[1]).filter((t): t is string => Boolean(t));
  const secrets = [fake.appSecret, fake.refreshToken, 'wrong-secret-xyz', 'wrong-refresh-abc', 'sl.wrong-token-value-123', ...new Set(tokens)];
  const texts = [...errors.map((e) => `${e.message} ${String(e.cause ?? '')}`), ...logLines];
  for (const secret of secrets) {
    for (const text of texts) assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
  }
  const downloads = fake.requests.filter((r) => r.endpoint !== 'token');
  for (const r of downloads) assert.ok(!r.url.includes(fake.appSecret) && !r.url.includes(fake.refreshToken));
});
