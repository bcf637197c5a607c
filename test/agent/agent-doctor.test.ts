import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeDropbox } from '../fakes/fake-dropbox.ts';
import { createScratchDb, dropScratchDb, LOCAL_PG_URL, requireLocalPg } from '../helpers/local-pg.ts';
import { StandInHeadOffice } from '../helpers/stand-in-head-office.ts';
import { tokobot, tokobotProcess } from '../helpers/tokobot-cli.ts';

/**
 * `tokobot doctor` on a shop PC enrolled with `tokobot agent enroll`: the iPOS database is a real
 * database of this machine's PostgreSQL, the head office a stand-in answering the protocol's hello,
 * Dropbox the local fake.
 */
const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-enroll-doctor-'));
const DB = 'tokobot_t_enroll_doctor';
const TOKEN = 'tka_cabang_1_doctordoctordoctordoctor';
let office: StandInHeadOffice;
let dropbox: FakeDropbox;
let env: Record<string, string>;
const agentFile = path.join(dir, 'data', 'agent.json');

before(async () => {
  if (skip) return;
  await createScratchDb(DB);
  office = await StandInHeadOffice.start({ [TOKEN]: { store: { id: 'cabang_1', name: 'Cabang Satu', timeZone: 'Asia/Jakarta', dropboxFolder: '/iPOS/cabang_1' } } });
  dropbox = await FakeDropbox.start();
  await dropbox.addFile('/iPOS/cabang_1/ipos_20261129_140000.i5bu', Buffer.from('x'));
  const db = new URL(LOCAL_PG_URL);
  db.pathname = `/${DB}`;
  env = {
    PATH: process.env.PATH ?? '', HOME: dir, DATA_DIR: path.join(dir, 'data'), TOKOBOT_LANG: 'en', LOG_LEVEL: 'silent', DISK_MIN_FREE_MB: '1',
    IPOS_DATABASE_URL: db.toString(), DROPBOX_APP_KEY: dropbox.appKey, DROPBOX_APP_SECRET: dropbox.appSecret, DROPBOX_REFRESH_TOKEN: dropbox.refreshToken,
    DROPBOX_API_URL: dropbox.url, DROPBOX_CONTENT_URL: dropbox.url,
  };
  const r = await tokobot(['agent', 'enroll', office.url, TOKEN, '--dir', path.join(dir, 'copies')], env);
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  if (skip) return;
  await office.close();
  await dropbox.close();
  await dropScratchDb(DB);
  rmSync(dir, { recursive: true, force: true });
});

async function doctor(extra: Record<string, string> = {}, { shell = false, args = [] as string[] } = {}): Promise<{ code: number; out: string }> {
  const r = await (shell ? tokobotProcess(['doctor', ...args], { ...env, ...extra }, { cwd: dir, timeoutMs: 90_000 }) : tokobot(['doctor', ...args], { ...env, ...extra }));
  return { code: r.code, out: r.stdout + r.stderr };
}

test('an enrolled shop PC: every check of the agent, one line each; the agent not run yet is a note (exit code 0)', { skip }, async () => {
  const r = await doctor({}, { shell: true });
  assert.equal(r.code, 0, r.out);
  const lines = r.out.trim().split('\n');
  assert.match(lines[0]!, /^✓ agent file: \S+agent\.json: store cabang_1, head office 127\.0\.0\.1:\d+, 1 backup job\(s\)$/);
  assert.match(r.out, /^✓ head office: tokobot 0\.9\.0 at 127\.0\.0\.1:\d+ answers; the token is good for the store cabang_1 \(Cabang Satu\)$/m);
  assert.match(r.out, new RegExp(`^✓ backup job ipos: PostgreSQL database ${DB} answers \\(PostgreSQL \\d+`, 'm'));
  assert.match(r.out, /^✓ pg_dump for ipos: pg_dump \d+\.\d+ at \/\S+\/pg_dump \(from the PATH; PG_BIN_DIR is not set\); PostgreSQL server \d+\.\d+$/m);
  assert.match(r.out, /^✓ ipos destination: Dropbox \/iPOS\/cabang_1: Dropbox answers; 1 file\(s\) there$/m);
  assert.match(r.out, /^✓ ipos destination: \S+copies: made at the first run \(in \S+, which is writable\)$/m);
  assert.match(r.out, /^! reports to the head office: the agent has not run yet \(there is no \S+agent-state\.json\): start tokobot agent, best as a service$/m);
  assert.equal(r.out.match(/^✓ disk: \d+ MB free under /gm)?.length, 2, 'DATA_DIR and the local destination');
  assert.ok(!r.out.includes(TOKEN), 'the token is never printed');

  // --json: the same findings as data; and in Indonesian.
  const json = JSON.parse((await tokobot(['doctor', '--json'], env)).stdout) as { what: string; level: string }[];
  assert.deepEqual(json.map((f) => f.level).filter((l) => l !== 'ok'), ['warn']);
  const id = await doctor({ TOKOBOT_LANG: 'id' });
  assert.match(id.out, /^✓ kantor pusat: tokobot 0\.9\.0 di 127\.0\.0\.1:\d+ menjawab; token berlaku untuk toko cabang_1 \(Cabang Satu\)$/m);
  assert.match(id.out, /^! laporan ke kantor pusat: agen belum pernah berjalan/m);
  assert.match(id.out, /^✓ job backup ipos: database PostgreSQL \S+ menjawab \(PostgreSQL \d+/m);
});

test('the token revoked at the head office: named with what to do (exit code 1)', { skip }, async () => {
  office.tokens.set(TOKEN, { refusal: 'token-revoked' });
  try {
    const r = await doctor();
    assert.equal(r.code, 1);
    assert.match(r.out, /^✗ head office: The head office \(127\.0\.0\.1:\d+\) refused: the token is revoked\. The agent cannot report until it has a new token: ask the head office \(tokobot store add cabang_1, or \/store in the chat\), then tokobot agent enroll URL NEW_TOKEN\.$/m);
    const id = await doctor({ TOKOBOT_LANG: 'id' });
    assert.match(id.out, /^✗ kantor pusat: Kantor pusat \(127\.0\.0\.1:\d+\) menolak: tokennya revoked\. Agen tidak bisa melapor sampai ada token baru/m);
  } finally {
    office.tokens.set(TOKEN, { store: { id: 'cabang_1', name: 'Cabang Satu', timeZone: 'Asia/Jakarta', dropboxFolder: '/iPOS/cabang_1' } });
  }
});

test('a head office that does not answer: named, and the agent keeps backing up meanwhile (exit code 1)', { skip }, async () => {
  const saved = readFileSync(agentFile, 'utf8');
  const file = JSON.parse(saved);
  file.headOffice.url = 'http://127.0.0.1:9';
  writeFileSync(agentFile, JSON.stringify(file), { mode: 0o600 });
  try {
    const r = await doctor();
    assert.equal(r.code, 1);
    assert.match(r.out, /^✗ head office: Cannot reach the head office \(127\.0\.0\.1:9\): ECONNREFUSED\. .* The agent keeps backing up and holds its reports until the head office answers\.$/m);
  } finally {
    writeFileSync(agentFile, saved, { mode: 0o600 });
  }
});

test('pg_dump older than the server, or none at PG_BIN_DIR: the dump would fail, and where to get one', { skip }, async () => {
  const bin = path.join(dir, 'old-bin');
  mkdirSync(bin, { recursive: true });
  const none = await doctor({ PG_BIN_DIR: bin });
  assert.equal(none.code, 1);
  assert.match(none.out, /^✗ pg_dump for ipos: there is no pg_dump at \S+old-bin\/pg_dump \(from PG_BIN_DIR\): install the PostgreSQL client tools/m);
  writeFileSync(path.join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n');
  chmodSync(path.join(bin, 'pg_dump'), 0o755);
  const old = await doctor({ PG_BIN_DIR: bin });
  assert.equal(old.code, 1);
  assert.match(old.out, /^✗ pg_dump for ipos: pg_dump 9\.6\.24 at \S+old-bin\/pg_dump \(from PG_BIN_DIR\); PostgreSQL server (\d+)\.\d+: pg_dump is older than the server, so the dump would fail\. Install pg_dump \1 or newer, or set PG_BIN_DIR/m);
});

test('a local destination tokobot cannot write to fails; the outbox\'s state is read tolerantly', { skip }, async () => {
  const saved = readFileSync(agentFile, 'utf8');
  const blocker = path.join(dir, 'a-file');
  writeFileSync(blocker, 'not a folder');
  const file = JSON.parse(saved);
  file.jobs[0].destinations = [{ type: 'local', dir: path.join(blocker, 'ipos') }];
  writeFileSync(agentFile, JSON.stringify(file), { mode: 0o600 });
  const state = path.join(dir, 'data', 'agent-state.json');
  try {
    writeFileSync(state, JSON.stringify({ pending: 3, rejected: 'many', lastSuccessAt: '2026-11-29T21:05:00Z', lastError: { kind: 'unreachable', message: 'no route' }, future: true }));
    const r = await doctor();
    assert.equal(r.code, 1);
    assert.match(r.out, /^✗ ipos destination: \S+a-file\/ipos: tokobot cannot write to \S+a-file\/ipos \(ENOTDIR\): fix the folder's owner or permissions/m);
    assert.match(r.out, /^! reports to the head office: 3 report\(s\) waiting, 0 refused; last sent 30 Nov 2026 04:05 WIB\n {4}last error \(unreachable\): no route$/m);
    writeFileSync(state, JSON.stringify({ pending: 0, rejected: 2, lastSuccessAt: '2026-11-29T21:05:00Z' }));
    assert.match((await doctor()).out, /^! reports to the head office: 0 report\(s\) waiting, 2 refused; .*\n {4}the head office refused 2 report\(s\)/m);
    writeFileSync(state, '[1, 2');
    assert.match((await doctor()).out, /^! reports to the head office: \S+agent-state\.json cannot be read \(.+\); the agent writes it again$/m);
    writeFileSync(state, JSON.stringify({ pending: 0, lastSuccessAt: '2026-11-29T21:05:00Z' }));
    assert.match((await doctor()).out, /^✓ reports to the head office: 0 report\(s\) waiting, 0 refused; last sent 30 Nov 2026 04:05 WIB$/m);
  } finally {
    writeFileSync(agentFile, saved, { mode: 0o600 });
    rmSync(state, { force: true });
  }
});

test('IPOS_DATABASE_URL not set: the agent file fails with the variable named, the head office still asked; its database down: one failure, pg_dump still named', { skip }, async () => {
  const r = await doctor({ IPOS_DATABASE_URL: '' });
  assert.equal(r.code, 1);
  assert.match(r.out, /^✗ agent file: .*IPOS_DATABASE_URL is not set/m);
  assert.match(r.out, /^✓ head office: tokobot 0\.9\.0 at /m);
  // A database that does not answer: its own failure; pg_dump is still found, the comparison waits.
  const down = await doctor({ IPOS_DATABASE_URL: 'postgres://postgres@127.0.0.1:9/i5' });
  assert.equal(down.code, 1);
  assert.match(down.out, /^✗ backup job ipos: nothing listens at the host and port in the job's URL$/m);
  assert.match(down.out, /^! pg_dump for ipos: pg_dump \d+\.\d+ at \S+ \(from the PATH; PG_BIN_DIR is not set\); the server's version is unknown until its database answers$/m);
});

test('which doctor: a head office\'s settings (TELEGRAM_BOT_TOKEN) run the head office\'s checks, unless --agent', { skip }, async () => {
  const office = await doctor({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
  assert.match(office.out, /^. config: /m);
  assert.doesNotMatch(office.out, /agent file/);
  const agent = await doctor({ TELEGRAM_BOT_TOKEN: '123:abc' }, { args: ['--agent'] });
  assert.match(agent.out, /^✓ agent file: /m);
  // --agent on a PC that was never enrolled says how to enrol.
  const never = await doctor({ DATA_DIR: path.join(dir, 'elsewhere') }, { args: ['--agent'] });
  assert.equal(never.code, 1);
  assert.match(never.out, /^✗ agent file: .*this computer is not enrolled yet \(there is no file \S+agent\.json\): run `tokobot agent enroll URL TOKEN`/m);
});
