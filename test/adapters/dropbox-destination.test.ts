import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DropboxDestination, type DropboxDestinationOptions } from '../../src/adapters/dropbox/dropbox-destination.ts';
import { AppError, isAppError, type ErrorKind, type ErrorSystem } from '../../src/errors.ts';
import { FakeDropbox, MAX_REQUEST_BYTES } from '../fakes/fake-dropbox.ts';
import { backupDestinationContract } from './backup-destination-contract.ts';

let fake: FakeDropbox;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-dropbox-dest-'));
const folder = '/Cadangan/Toko Ümmü';
const retry = { attempts: 3, baseDelayMs: 10, maxDelayMs: 1500 };
const KB = 1024;
/** Small sessions: anything over 512 KiB goes in 256 KiB parts. */
const small = { sessionThreshold: 512 * KB, chunkSize: 256 * KB };
const errors: AppError[] = [];
const logLines: string[] = [];
/** Called with each log message, so a test can act at a moment only the log shows (a retry). */
let onLog: ((msg?: string) => void) | undefined;
const log = (obj: object, msg?: string) => { logLines.push(JSON.stringify({ obj, msg })); onLog?.(msg); };
const logger = { info: log, warn: log, debug: log };

before(async () => {
  fake = await FakeDropbox.start();
});

after(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const destination = (over: Partial<DropboxDestinationOptions> = {}) => new DropboxDestination({
  folder, ...fake.clientOptions(), retry, logger, ...over,
});

let files = 0;
function localFile(bytes: Buffer): string {
  const file = path.join(dir, `local-${++files}.bin`);
  writeFileSync(file, bytes);
  return file;
}

const stored = (name: string) => fake.fileBytes(`${folder}/${name}`);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Requests to an endpoint since `from` (an index into the fake's log), with their Dropbox-API-Arg parsed. */
const sent = (endpoint: string, from: number) => fake.requests.slice(from).filter((r) => r.endpoint === endpoint)
  .map((r) => ({ bytes: r.bytes, arg: JSON.parse(r.apiArg ?? '{}') as { path?: string; cursor?: { offset: number }; mode?: { '.tag': string }; commit?: { path: string; mode: { '.tag': string } } } }));

let folders = 0;
/** The contract, in a folder of its own per test, with files going up in one request or (over 4 KiB) in 2 KiB session parts. */
for (const [mode, over] of [['one request', {}], ['upload sessions', { sessionThreshold: 4 * KB, chunkSize: 2 * KB }]] as const) {
  backupDestinationContract(`Dropbox (${mode})`, async () => {
    const own = `/Cadangan/Kontrak Ümmü ${++folders}`;
    const commit = 'sessionThreshold' in over ? 'upload_session/finish' : 'upload';
    const dest = destination({ folder: own, ...over });
    return {
      destination: dest,
      plant: (name, bytes) => fake.addFile(`${own}/${name}`, bytes),
      stored: async () => Object.fromEntries(fake.paths().filter((p) => p.startsWith(`${own}/`) && !p.slice(own.length + 1).includes('/'))
        .map((p) => [p.slice(own.length + 1), fake.fileBytes(p)!])),
      block: (name) => fake.addFile(`${own}/${name}/isi.txt`, Buffer.from('a folder in the way')),
      damageNextPut: () => fake.failNext(commit, { corrupt: true }),
      readOnly: () => {
        fake.failNext(commit, { status: 409, body: { error_summary: 'path/no_write_permission/..', error: { '.tag': 'path', path: { '.tag': 'no_write_permission' } } } });
        return dest;
      },
      unreachable: () => destination({ folder: own, ...over, apiUrl: 'http://127.0.0.1:1', contentUrl: 'http://127.0.0.1:1' }),
    };
  }, {
    says: { blocked: /already in the Dropbox folder \/Cadangan\/Kontrak Ümmü \d+; tokobot does not overwrite it: move or rename it/,
      damaged: /arrived damaged in the Dropbox folder .* \(its content hash differs from the local file's\), so it was deleted there/,
      interrupted: /^The upload of .* was stopped before it finished; nothing was kept there/, unreadable: /^Cannot read .* to upload it \(ENOENT\)/,
      refused: /does not let tokobot write .* \(path\/no_write_permission\/\.\.\).*files\.content\.write/, unreachable: /Cannot reach Dropbox \(ECONNREFUSED\)/ },
    onError: (err) => void errors.push(err),
  });
}

async function rejects(promise: Promise<unknown>, kind: `${ErrorKind}/${ErrorSystem}`, message?: RegExp): Promise<AppError> {
  const err = await promise.then(() => assert.fail(`expected ${kind}`), (e: unknown) => e);
  assert.ok(isAppError(err), `not an AppError: ${String(err)}`);
  assert.equal(`${err.kind}/${err.system}`, kind, err.message);
  if (message) assert.match(err.message, message);
  errors.push(err);
  return err;
}

// What arrives, the progress, list(), remove() and leftovers are in the contract; here, the requests that do it.
test('a small file goes up in one request under a temporary name and is moved to its name; remove() deletes it by path', async () => {
  const bytes = randomBytes(300_000);
  const from = fake.requests.length;
  const dest = destination();
  const { location } = await dest.put(localFile(bytes), 'toko_2026-01-01.sql.gz');
  assert.equal(location, `Dropbox ${folder}/toko_2026-01-01.sql.gz`);
  assert.deepEqual(stored('toko_2026-01-01.sql.gz'), bytes);
  assert.deepEqual(sent('upload', from).map((r) => [r.bytes, r.arg.mode, r.arg.path]), [[bytes.length, { '.tag': 'overwrite' }, `${folder}/.toko_2026-01-01.sql.gz.partial`]]);
  assert.deepEqual(fake.requests.slice(from).filter((r) => r.endpoint === 'move_v2').map((r) => JSON.parse(r.body)),
    [{ from_path: `${folder}/.toko_2026-01-01.sql.gz.partial`, to_path: `${folder}/toko_2026-01-01.sql.gz`, autorename: false }]);
  assert.equal(sent('upload_session/start', from).length, 0);

  await dest.remove('toko_2026-01-01.sql.gz');
  await dest.remove('toko_2026-01-01.sql.gz');
  assert.deepEqual(fake.requests.slice(from).filter((r) => r.endpoint === 'delete_v2').map((r) => JSON.parse(r.body)),
    [{ path: `${folder}/toko_2026-01-01.sql.gz` }, { path: `${folder}/toko_2026-01-01.sql.gz` }]);
});

test('a file over the threshold goes in a session: start, one append per middle chunk, finish', async () => {
  const bytes = randomBytes(1_000_000);
  const from = fake.requests.length;
  const progress: number[] = [];
  await destination(small).put(localFile(bytes), 'sesi.sql.gz', { onProgress: (done) => progress.push(done) });
  assert.deepEqual(stored('sesi.sql.gz'), bytes);
  assert.equal(sent('upload_session/start', from).length, 1);
  assert.deepEqual(sent('upload_session/append_v2', from).map((r) => [r.arg.cursor?.offset, r.bytes]), [[262_144, 262_144], [524_288, 262_144]]);
  assert.deepEqual(sent('upload_session/finish', from).map((r) => [r.arg.cursor?.offset, r.bytes, r.arg.commit?.mode, r.arg.commit?.path]),
    [[786_432, 1_000_000 - 786_432, { '.tag': 'overwrite' }, `${folder}/.sesi.sql.gz.partial`]]);
  assert.equal(sent('upload', from).length, 0);
  assert.deepEqual(progress, [262_144, 524_288, 786_432, 1_000_000]);
});

test('with the real defaults, a file just over 150 MB goes in 8 MiB session parts and arrives byte-identical', async () => {
  const MiB = 1024 * 1024;
  const size = 150 * MiB + MiB + 123;
  const file = path.join(dir, 'besar.sql.gz');
  const pattern = randomBytes(MiB);
  const h = await open(file, 'w');
  const local = createHash('sha256');
  try {
    for (let i = 0; i * MiB < size; i++) {
      const block = Buffer.from(pattern.subarray(0, Math.min(MiB, size - i * MiB)));
      block.writeUInt32BE(i, 0);
      local.update(block);
      await h.write(block, 0, block.length, i * MiB);
    }
  } finally {
    await h.close();
  }
  try {
    // files/upload refuses more than 150 MiB in one request, as Dropbox does.
    await rejects(destination({ sessionThreshold: Infinity }).put(file, 'besar.sql.gz'), 'refused/dropbox', /at most 150 MB/);
    assert.equal(stored('besar.sql.gz'), undefined);

    const from = fake.requests.length;
    await destination().put(file, 'besar.sql.gz');
    const arrived = stored('besar.sql.gz')!;
    assert.equal(arrived.length, size);
    assert.equal(sha256(arrived), local.digest('hex'));
    const chunks = Math.ceil(size / (8 * MiB));
    assert.equal(sent('upload_session/append_v2', from).length, chunks - 2);
    assert.ok(sent('upload_session/append_v2', from).every((r) => r.bytes === 8 * MiB));
    assert.equal(sent('upload', from).length, 0);
    assert.ok(size > MAX_REQUEST_BYTES);
  } finally {
    fake.removeFile(`${folder}/besar.sql.gz`);
    rmSync(file, { force: true });
  }
});

test('an append that arrived but whose answer was lost is not sent again: the upload resumes at correct_offset', async () => {
  const bytes = randomBytes(1_000_000);
  const from = fake.requests.length;
  fake.failNext('upload_session/append_v2', { acceptThenCut: true });
  await destination(small).put(localFile(bytes), 'putus.sql.gz');
  assert.deepEqual(stored('putus.sql.gz'), bytes);
  // The cut append (262144) is repeated once, refused with incorrect_offset, and the next part starts where Dropbox stands.
  assert.deepEqual(sent('upload_session/append_v2', from).map((r) => r.arg.cursor?.offset), [262_144, 262_144, 524_288]);
  assert.equal(sent('upload_session/start', from).length, 1, 'the upload started over');
  assert.ok(logLines.some((l) => /resuming/.test(l) && /"resumeAt":524288/.test(l)));
});

test('a lost answer to the commit is recovered: a repeated finish finds the stored file, a repeated upload overwrites', async () => {
  const bytes = randomBytes(1_000_000);
  let from = fake.requests.length;
  fake.failNext('upload_session/finish', { acceptThenCut: true });
  await destination(small).put(localFile(bytes), 'selesai.sql.gz');
  assert.deepEqual(stored('selesai.sql.gz'), bytes);
  assert.equal(sent('upload_session/finish', from).length, 2);
  assert.equal(fake.requests.slice(from).filter((r) => r.endpoint === 'get_metadata').length, 1);

  from = fake.requests.length;
  const plain = randomBytes(2000);
  fake.failNext('upload', { acceptThenCut: true });
  await destination().put(localFile(plain), 'biasa.sql.gz');
  assert.deepEqual(stored('biasa.sql.gz'), plain);
  assert.deepEqual(sent('upload', from).map((r) => r.arg.mode?.['.tag']), ['overwrite', 'overwrite']);
});

test('a lost answer to the move is recovered: the repeat finds the file under its name', async () => {
  const bytes = randomBytes(3000);
  fake.failNext('move_v2', { acceptThenCut: true });
  await destination().put(localFile(bytes), 'pindah.sql.gz');
  assert.deepEqual(stored('pindah.sql.gz'), bytes);
  assert.equal(stored('.pindah.sql.gz.partial'), undefined);
});

test('a different file already under the name is not overwritten; the same bytes again are fine', async () => {
  await fake.addFile(`${folder}/ada.sql.gz`, Buffer.from('someone else\'s file'));
  await rejects(destination().put(localFile(randomBytes(100)), 'ada.sql.gz'), 'refused/dropbox', /already in .*does not overwrite.*move or rename/);
  assert.deepEqual(stored('ada.sql.gz'), Buffer.from('someone else\'s file'));
  assert.equal(stored('.ada.sql.gz.partial'), undefined, 'the temporary copy is deleted');
  await destination().put(localFile(Buffer.from('someone else\'s file')), 'ada.sql.gz');
});

test('500 on an append is retried and 429 waits for Retry-After', async () => {
  const bytes = randomBytes(1_000_000);
  const from = fake.requests.length;
  fake.failNext('upload_session/append_v2', { status: 500 });
  fake.failNext('upload_session/append_v2', { status: 429, retryAfter: 1 });
  const t0 = Date.now();
  await destination(small).put(localFile(bytes), 'coba.sql.gz');
  assert.ok(Date.now() - t0 >= 950, 'Retry-After was not honoured');
  assert.deepEqual(stored('coba.sql.gz'), bytes);
  assert.deepEqual(sent('upload_session/append_v2', from).map((r) => r.arg.cursor?.offset), [262_144, 262_144, 262_144, 524_288]);
  assert.ok(logLines.some((l) => /retrying/.test(l) && /429/.test(l)));
});

test('a server error that persists fails readably after the bounded attempts and leaves no file', async () => {
  const from = fake.requests.length;
  fake.failNext('upload_session/append_v2', { status: 500 }, retry.attempts);
  const err = await rejects(destination(small).put(localFile(randomBytes(1_000_000)), 'gagal.sql.gz'), 'unreachable/dropbox',
    /server error \(500\) while storing gagal\.sql\.gz; the next backup will try again/);
  assert.ok(err.retryable);
  assert.equal(sent('upload_session/append_v2', from).length, retry.attempts);
  assert.equal(sent('upload_session/finish', from).length, 0);
  assert.equal(stored('gagal.sql.gz'), undefined);
  assert.ok(!(await destination().list()).some((f) => f.name === 'gagal.sql.gz'));
});

test('a full Dropbox says so, for plain uploads and sessions alike', async () => {
  fake.quotaBytes = 1000; // less than what the account already holds
  try {
    const full = /^Dropbox is full: .* could not be stored in the Dropbox folder \/Cadangan\/Toko Ümmü\. Free some space/;
    await rejects(destination().put(localFile(randomBytes(5000)), 'penuh.sql.gz'), 'refused/dropbox', full);
    await rejects(destination(small).put(localFile(randomBytes(1_000_000)), 'penuh.sql.gz'), 'refused/dropbox', full);
    assert.equal(stored('penuh.sql.gz'), undefined);
  } finally {
    fake.quotaBytes = Infinity;
  }
});

test('an access token that expired early is renewed once, in the middle of a session', async () => {
  const bytes = randomBytes(1_000_000);
  const dest = destination(small);
  await dest.list();
  const tokensBefore = fake.count('token');
  let expired = false;
  await dest.put(localFile(bytes), 'token.sql.gz', {
    onProgress: (done) => { if (!expired && done >= 262_144) { expired = true; fake.expireAllTokens(); } },
  });
  assert.deepEqual(stored('token.sql.gz'), bytes);
  assert.equal(fake.count('token') - tokensBefore, 1);
});

// An abort before the put starts is in the contract.
test('an abort between parts stops the upload as interrupted, with nothing stored', async () => {
  const stop = new AbortController();
  const from = fake.requests.length;
  await rejects(destination(small).put(localFile(randomBytes(1_000_000)), 'batal.sql.gz', {
    signal: stop.signal, onProgress: (done) => { if (done >= 524_288) stop.abort(); },
  }), 'interrupted/dropbox', /stopped before it finished/);
  assert.equal(sent('upload_session/append_v2', from).length, 1);
  assert.equal(sent('upload_session/finish', from).length, 0);
  assert.equal(stored('batal.sql.gz'), undefined);
  const before = fake.count('upload');
  const midway = new AbortController();
  await rejects(destination().put(localFile(randomBytes(5_000_000)), 'batal.sql.gz', {
    signal: midway.signal, onProgress: (done) => { if (done >= 2_000_000) midway.abort(); },
  }), 'interrupted/dropbox');
  assert.equal(fake.count('upload'), before, 'a whole upload reached Dropbox');
  assert.equal(stored('batal.sql.gz'), undefined);
});

test('a file committed while its upload was being stopped is deleted again', async () => {
  const stop = new AbortController();
  const from = fake.requests.length;
  fake.failNext('upload_session/finish', { acceptThenCut: true });
  onLog = (msg) => { if (msg?.includes('retrying')) stop.abort(); };
  try {
    await rejects(destination(small).put(localFile(randomBytes(1_000_000)), 'batal-akhir.sql.gz', { signal: stop.signal }), 'interrupted/dropbox');
  } finally {
    onLog = undefined;
  }
  assert.equal(sent('upload_session/finish', from).length, 1);
  assert.equal(fake.requests.slice(from).filter((r) => r.endpoint === 'delete_v2').length, 1);
  assert.equal(stored('batal-akhir.sql.gz'), undefined);
});

test('a local file that shrinks during a one-request upload fails at once instead of leaving the request waiting', async () => {
  const file = localFile(randomBytes(5_000_000));
  const t0 = Date.now();
  await rejects(destination().put(file, 'susut.sql.gz', { onProgress: (done) => { if (done >= 1_048_576) truncateSync(file, 1_500_000); } }),
    'corrupt/backup-file', /became shorter while it was being uploaded/);
  assert.ok(Date.now() - t0 < 5000);
  assert.equal(stored('susut.sql.gz'), undefined);
});

test('a chunk size that is not a positive number of bytes is a config error', () => {
  assert.throws(() => destination({ chunkSize: 0 }), (err: unknown) => isAppError(err) && err.kind === 'config' && err.system === 'dropbox');
});

test('no secret or access token appears in any error message or log line', () => {
  assert.ok(errors.length >= 8, `only ${errors.length} errors were collected`);
  const tokens = fake.requests.map((r) => /^Bearer (.+)$/.exec(r.authorization ?? '')?.[1]).filter((t): t is string => Boolean(t));
  const secrets = [fake.appSecret, fake.refreshToken, ...new Set(tokens)];
  for (const text of [...errors.map((e) => `${e.message} ${String(e.cause ?? '')}`), ...logLines]) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
  }
});
