import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import pg from 'pg';
import { runCli } from '../../../src/cli.ts';
import { createApp, type App } from '../../../src/main/app.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createLogger } from '../../../src/log.ts';
import { runBackup } from '../../../src/pipeline/backup/backup-job.ts';
import { encryptStream } from '../../../src/pipeline/backup/encryption.ts';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { dropScratchDb, LOCAL_PG_URL, localConnection, requireLocalPg, adminQuery } from '../../helpers/local-pg.ts';
import { programMajor, skipUnless } from '../../helpers/needs.ts';

// A job of type tokobot (README: Rebuilding a lost server) and `tokobot restore-self`, against this
// machine's PostgreSQL with the real pg_dump and pg_restore.

const PASS = 'self backup passphrase 2026';
const tag = `${process.pid}`;
const SRC_DB = `tokobot_t_d_self_src_${tag}`;
const NEW_DB = `tokobot_t_d_self_new_${tag}`;
const root = mkdtempSync(path.join(tmpdir(), `tokobot-D-self-${tag}-`));
const src = path.join(root, 'old-server');
const dest = path.join(root, 'backups');
const skip = (await requireLocalPg()) ?? skipUnless((await programMajor('pg_dump')) && (await programMajor('pg_restore')) ? undefined : 'no pg_dump/pg_restore');
let app: App;
let archive: string;
const originals: Record<string, Buffer> = {};

const srcEnv = (): Record<string, string> => ({
  RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, DATA_DIR: path.join(src, 'data'), OPS_DATABASE: SRC_DB, TOKOBOT_CONFIG: path.join(src, 'tokobot.json'),
  SELF_PASS: PASS, LOG_LEVEL: 'silent', SOURCE: 'folder', SOURCE_DIR: src,
});

/** Everything in the ops database but the run log (which the run goes on writing after its dump): count and md5 per table. */
async function opsDigest(database: string): Promise<Record<string, string>> {
  const c = new pg.Client(localConnection(database));
  await c.connect();
  try {
    const tables = (await c.query("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'backup%' ORDER BY 1")).rows;
    const out: Record<string, string> = {};
    for (const { t } of tables) {
      const r = await c.query(`SELECT count(*) AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS h FROM ${t} x`);
      out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
    }
    return out;
  } finally {
    await c.end();
  }
}

/** `tokobot ARGS` in this process, with `envFile` as the .env of its folder. */
async function tokobot(args: string[], env: Record<string, string>, envFile?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => new Writable({ write(chunk: Buffer, _e, done) { add(chunk.toString()); done(); } });
  const code = await runCli(args, {
    env: { PATH: process.env.PATH ?? '', TOKOBOT_LANG: 'en', LOG_LEVEL: 'silent', ...env }, ...(envFile ? { envFile } : {}), stdin: Readable.from([]),
    stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }),
  });
  return { code, stdout, stderr };
}

/** A new server's settings: its own folder and ops database. */
function newServer(name: string, db = NEW_DB): { dir: string; env: Record<string, string>; envFile: string } {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  return {
    dir, envFile: path.join(dir, '.env'),
    env: { RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL, DATA_DIR: path.join(dir, 'data'), OPS_DATABASE: db, TOKOBOT_CONFIG: path.join(dir, 'tokobot.json'), TOKOBOT_RESTORE_PASSPHRASE: PASS },
  };
}

before(async () => {
  if (skip) return;
  await dropScratchDb(SRC_DB);
  await dropScratchDb(NEW_DB);
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'tokobot.json'), JSON.stringify({ jobs: [
    { id: 'self', type: 'tokobot', encryption: { passphraseEnv: 'SELF_PASS' }, destinations: [{ type: 'local', dir: dest }] },
  ] }, null, 2));
  // A setting the restored server's ops database is reached with must not come from here: only a marker.
  writeFileSync(path.join(src, '.env'), `TELEGRAM_BOT_TOKEN=123456:${randomBytes(12).toString('hex')}\nSELF_PASS=${PASS}\n`, { mode: 0o600 });
  app = await createApp(loadConfig(srcEnv(), { envFile: path.join(src, '.env') }), createLogger('silent'));
  // Enough incompressible rows that the encrypted file has several chunks (1 MB each): damage past the first is told from a wrong passphrase.
  await adminQuery('SELECT 1');
  const c = new pg.Client(localConnection(SRC_DB));
  await c.connect();
  await c.query('CREATE TABLE shop_notes (id int PRIMARY KEY, note text)');
  await c.query("INSERT INTO shop_notes SELECT g, md5(random()::text) || md5(random()::text) FROM generate_series(1, 60000) g");
  await c.end();
  for (const [name, file] of [['config', 'tokobot.json'], ['env', '.env'], ['password', 'data/pg-restore-password']] as const) originals[name] = readFileSync(path.join(src, file));
});

after(async () => {
  await app?.close();
  await dropScratchDb(SRC_DB).catch(() => undefined);
  await dropScratchDb(NEW_DB).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

test('a tokobot job writes one encrypted archive, verified by reading it back', { skip }, async () => {
  const run = await runBackup(app.backups, app.job('self'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  assert.match(run.fileName ?? '', /^self_\d{8}_\d{6}\.tokobot\.tar\.enc$/);
  assert.match(run.verification?.detail ?? '', /^self-backup: 3 files \(config\/tokobot\.json, env\/\.env, data\/pg-restore-password\) and the ops database, each matching its SHA-256; ops database read the whole archive: \d+ tables, \d+ rows/);
  assert.ok((run.verification?.rows ?? 0) >= 60000, JSON.stringify(run.verification));
  archive = path.join(dest, run.fileName as string);
  assert.equal(statSync(archive).mode & 0o777, 0o600);
  assert.ok(statSync(archive).size > 2 * 1024 * 1024, 'several encryption chunks');
  // Nothing of it is readable without the passphrase: not the .env's token, not the tar's names.
  const bytes = readFileSync(archive);
  assert.equal(bytes.indexOf('TELEGRAM_BOT_TOKEN'), -1);
  assert.equal(bytes.indexOf('manifest.json'), -1);
  assert.deepEqual(readdirSync(path.join(src, 'data', 'backups', 'self')), [], 'the work folder is emptied');
  const restore = await tokobot(['backup', 'restore', archive, '--into', `${NEW_DB}_b`], srcEnv());
  assert.equal(restore.code, 2, restore.stdout + restore.stderr);
  assert.match(restore.stderr, /is a tokobot self-backup \(settings, keys and the ops database\), not one database: rebuild a server from it with tokobot restore-self/);
  assert.equal((await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [`${NEW_DB}_b`])).rowCount, 0);
});

test('restore-self on a new server: files byte-equal (secrets 0600), the ops database restored whole', { skip }, async () => {
  const before = await opsDigest(SRC_DB);
  const s = newServer('new-server');
  const r = await tokobot(['restore-self', archive], s.env, s.envFile);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(readFileSync(path.join(s.dir, 'tokobot.json')), originals.config);
  assert.deepEqual(readFileSync(s.envFile), originals.env);
  assert.deepEqual(readFileSync(path.join(s.dir, 'data', 'pg-restore-password')), originals.password);
  assert.equal(statSync(s.envFile).mode & 0o777, 0o600);
  assert.equal(statSync(path.join(s.dir, 'data', 'pg-restore-password')).mode & 0o777, 0o600);
  assert.deepEqual(await opsDigest(NEW_DB), before);
  const c = new pg.Client(localConnection(NEW_DB));
  await c.connect();
  const runs = await c.query("SELECT count(*)::int AS n FROM backup_runs WHERE job = 'self'").finally(() => c.end());
  assert.equal(runs.rows[0].n, 1, 'the run log came along, as it was at the dump');
  assert.match(r.stdout, /self-backup of tokobot \S+ on \S+, made \d{4}-/);
  assert.match(r.stdout, new RegExp(`written: ${s.envFile.replace(/[.]/g, '\\.')}`));
  assert.match(r.stdout, /ops database restored into .*: \d+ tables, \d+ rows/);
  assert.match(r.stdout, /Next: tokobot doctor/);

  // Again: the ops database now has tables, so it is refused (with --force too), saying what to do; the same files are left alone.
  const again = await tokobot(['restore-self', archive, '--force'], s.env, s.envFile);
  assert.equal(again.code, 1, again.stdout + again.stderr);
  assert.match(again.stdout, /already the same: .*tokobot\.json/);
  assert.match(again.stdout, /ops database NOT restored: The ops database \(.*\) already holds \d+ tables: restore-self never writes over them\. Stop tokobot, rename that database/);
  assert.deepEqual(await opsDigest(NEW_DB), before, 'nothing written into it');
});

test('a different config file there: refused without --force (nothing written), replaced with it, the old one kept', { skip }, async () => {
  const s = newServer('changed', `${NEW_DB}_x`);
  try {
    writeFileSync(path.join(s.dir, 'tokobot.json'), '{"stores": []}\n');
    const refused = await tokobot(['restore-self', archive], s.env, s.envFile);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /does not write over .*tokobot\.json \(different from the backup's\); nothing was restored\. .*--force/);
    assert.equal(existsSync(s.envFile), false, 'nothing written');
    assert.equal((await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [`${NEW_DB}_x`])).rowCount, 0);
    const forced = await tokobot(['restore-self', archive, '--force'], s.env, s.envFile);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.deepEqual(readFileSync(path.join(s.dir, 'tokobot.json')), originals.config);
    const kept = readdirSync(s.dir).filter((n) => n.startsWith('tokobot.json.before-restore-'));
    assert.equal(kept.length, 1);
    assert.equal(readFileSync(path.join(s.dir, kept[0] as string), 'utf8'), '{"stores": []}\n');
  } finally {
    await dropScratchDb(`${NEW_DB}_x`);
  }
});

/** A fresh server that restore-self must leave as it was. */
async function refusedOn(file: string, env: Record<string, string> = {}): Promise<string> {
  const s = newServer(`refused-${randomBytes(3).toString('hex')}`, `${NEW_DB}_r`);
  const r = await tokobot(['restore-self', file], { ...s.env, ...env }, s.envFile);
  assert.notEqual(r.code, 0, r.stdout);
  assert.deepEqual(readdirSync(s.dir), [], 'nothing written');
  assert.equal((await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [`${NEW_DB}_r`])).rowCount, 0, 'no database made');
  assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith(`tokobot-restore-self-${process.pid}-`)), [], 'the unpacked members are gone');
  return r.stderr;
}

test('a wrong passphrase, a cut file, a damaged file, something else: refused, nothing written', { skip }, async () => {
  assert.match(await refusedOn(archive, { TOKOBOT_RESTORE_PASSPHRASE: 'not the passphrase at all' }), /The passphrase does not open this self-backup/);
  assert.match(await refusedOn(archive, { TOKOBOT_RESTORE_PASSPHRASE: 'not the passphrase at all', TOKOBOT_LANG: 'id' }), /Passphrase ini tidak bisa membuka backup pengaturan ini/);
  const bytes = readFileSync(archive);
  const cut = path.join(root, 'cut.tokobot.tar.enc');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  assert.match(await refusedOn(cut), /The self-backup is damaged: .*ends early/);
  const flipped = Buffer.from(bytes);
  const at = Math.floor(bytes.length * 0.8);
  flipped[at] = (flipped[at] as number) ^ 0x40;
  const damaged = path.join(root, 'damaged.tokobot.tar.enc');
  writeFileSync(damaged, flipped);
  assert.match(await refusedOn(damaged), /The self-backup is damaged: .*cannot be opened at chunk [2-9]/);
  const plainDump = path.join(root, 'shop.dump');
  writeFileSync(plainDump, 'PGDMP not really');
  assert.match(await refusedOn(plainDump), /shop\.dump is not a tokobot self-backup: restore-self takes the encrypted file of a job of type tokobot/);
  const otherSealed = path.join(root, 'other.enc');
  await pipeline(Readable.from([randomBytes(5000)]), encryptStream(PASS), createWriteStream(otherSealed));
  assert.match(await refusedOn(otherSealed), /This is not a tokobot self-backup/);
});

test('--to DIR only unpacks the members, the database untouched', { skip }, async () => {
  const s = newServer('unpack', `${NEW_DB}_u`);
  const to = path.join(s.dir, 'members');
  const r = await tokobot(['restore-self', archive, '--to', to], s.env, s.envFile);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(readFileSync(path.join(to, 'config', 'tokobot.json')), originals.config);
  assert.deepEqual(readFileSync(path.join(to, 'env', '.env')), originals.env);
  assert.ok(statSync(path.join(to, 'ops.dump')).size > 0);
  assert.equal(existsSync(s.envFile), false);
  assert.equal((await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [`${NEW_DB}_u`])).rowCount, 0);
});
