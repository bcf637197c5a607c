import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminQuery, LOCAL_PG_URL } from './helpers/local-pg.ts';
import { ensurePgSource, PG_SOURCE } from './helpers/pg-source.ts';
import { needPgDump } from './helpers/needs.ts';
import { tokobot, TOKOBOT_BIN, type CliResult } from './helpers/tokobot-cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-cli-backup-'));
const dest = path.join(dir, 'dest');
const tiny = path.join(dir, 'tiny-disk');
const OPS = `tokobot_t_ops_clibackup${process.pid}`;
const PASS = 'a long enough passphrase';
const url = LOCAL_PG_URL.replace(/\/[^/]*$/, `/${PG_SOURCE}`);
const config = {
  jobs: [
    { id: 'shop', type: 'postgres', url, verify: false, destinations: [{ type: 'local', dir: dest }], retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 } },
    { id: 'vault', type: 'postgres', url, verify: false, encryption: { passphraseEnv: 'VAULT_PASS' }, destinations: [{ type: 'local', dir: dest }] },
    { id: 'cramped', type: 'postgres', url, verify: false, destinations: [{ type: 'local', dir: dest }] },
  ],
};
const env = {
  PATH: process.env.PATH ?? '', HOME: dir, SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: LOCAL_PG_URL,
  DATA_DIR: path.join(dir, 'data'), OPS_DATABASE: OPS, TOKOBOT_CONFIG: path.join(dir, 'tokobot.json'), VAULT_PASS: PASS, LOG_LEVEL: 'silent',
  // English, for the words below; Indonesian where a test sets TOKOBOT_LANG=id.
  TOKOBOT_LANG: 'en',
};

/** In this process (see tokobot-cli.ts); the process that is killed mid-dump is the program itself. */
const run = (args: string[], extraEnv: Record<string, string> = {}, input?: string): Promise<CliResult> => tokobot(args, { ...env, ...extraEnv }, { input });

const ops = async (sql: string) => {
  const pg = await import('pg');
  const c = new pg.default.Client({ connectionString: LOCAL_PG_URL.replace(/\/[^/]*$/, `/${OPS}`) });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
};

const skip = await needPgDump();

before(async () => {
  if (skip) return;
  await ensurePgSource();
  writeFileSync(env.TOKOBOT_CONFIG, JSON.stringify(config));
});

after(async () => {
  if (skip) return;
  try { execFileSync('umount', [tiny], { stdio: 'ignore' }); } catch { /* not mounted */ }
  await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [OPS]);
  await adminQuery(`DROP DATABASE IF EXISTS "${OPS}"`);
  rmSync(dir, { recursive: true, force: true });
});

test('backup run prints the file, size and checksum; list shows the job; prune --dry-run says what stays and why, leaving files the run log does not know', { skip }, async () => {
  const first = await run(['backup', 'run', 'shop']);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.match(first.stdout, /\[shop\] backup shop_\d{8}_\d{6}\.dump: [\d.]+ MB, sha256 [0-9a-f]{64}/);
  assert.match(first.stderr, /\[shop\] dump: [\d.]+ MB written/);
  const json = await run(['backup', 'run', 'shop', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const runInfo = JSON.parse(json.stdout);
  assert.equal(runInfo.status, 'success');
  assert.deepEqual(readdirSync(dest).filter((n) => n.startsWith('shop_')), [runInfo.fileName], 'keepLast 1 pruned the older one');

  const list = await run(['backup', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /shop \(postgres\) → /);
  assert.match(list.stdout, /last run: success \d+ \w{3} \d{4} \d\d:\d\d WIB\n/);
  const daftar = await run(['backup', 'list'], { TOKOBOT_LANG: 'id', STORE_TZ: 'Asia/Jayapura' });
  assert.match(daftar.stdout, /\n  jadwal: tidak ada \(hanya bila dijalankan\)\n  terakhir: berhasil \d+ \w{3} \d{4} \d\d:\d\d WIT\n/);
  assert.match(daftar.stdout, /\nRiwayat terbaru:\n  \d+ \w{3} \d{4} \d\d:\d\d WIT shop berhasil \(cli\) shop_/);
  assert.doesNotMatch((await run(['backup', 'list', '--json'])).stdout, /postgres@/, 'no URL in the listing');

  // Named like the job's backups but unknown to the run log: an old hand copy, one from a clock that ran ahead, an empty one.
  const strays = { 'shop_20200101_000000.dump': 'old', 'shop_20311231_000000.dump': 'from a clock that ran ahead', 'shop_20250101_000000.dump': '' };
  for (const [name, text] of Object.entries(strays)) writeFileSync(path.join(dest, name), text);
  writeFileSync(path.join(dest, 'notes.txt'), 'not a backup');
  const dry = await run(['backup', 'prune', 'shop', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`keep   ${runInfo.fileName} \\([\\d.]+ MB\\): one of the last 1 \\(#1\\); newest good backup`));
  assert.match(dry.stdout, /leave  shop_20311231_000000\.dump \(0\.0 MB\): dated in the future \(2031-12-31 00:00:00 UTC\): left alone/);
  assert.match(dry.stdout, /leave  shop_20250101_000000\.dump \(0\.0 MB\): empty file: left alone/);
  assert.match(dry.stdout, /leave  shop_20200101_000000\.dump \(0\.0 MB\): not in the run log: left alone/);
  assert.doesNotMatch(dry.stdout, /notes\.txt|delete/, 'files that are not this job\'s backups are not its business');
  assert.equal((await run(['backup', 'prune', 'shop'])).code, 0);
  assert.deepEqual(readdirSync(dest).filter((n) => n.startsWith('shop_')).sort(), [runInfo.fileName, ...Object.keys(strays)].sort(), 'prune deletes no file the run log does not know');
  for (const name of Object.keys(strays)) rmSync(path.join(dest, name));
});

test('backup decrypt: with the passphrase from the job, or from stdin; a wrong passphrase is refused and leaves no file', { skip }, async () => {
  const made = JSON.parse((await run(['backup', 'run', 'vault', '--json'])).stdout);
  assert.equal(made.status, 'success', made.error);
  const file = path.join(dest, made.fileName);
  const out = path.join(dir, 'plain.dump');
  const viaJob = await run(['backup', 'decrypt', file, '--out', out]);
  assert.equal(viaJob.code, 0, viaJob.stderr);
  assert.equal(readFileSync(out).subarray(0, 5).toString(), 'PGDMP');
  const copy = path.join(dir, 'copy.enc');
  writeFileSync(copy, readFileSync(file));
  const wrong = await run(['backup', 'decrypt', copy], {}, 'not the passphrase\n');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /passphrase|damaged|changed/i);
  assert.ok(!existsSync(path.join(dir, 'copy')) && !existsSync(path.join(dir, 'copy.partial')));
  const right = await run(['backup', 'decrypt', copy], {}, `${PASS}\n`);
  assert.equal(right.code, 0, right.stderr);
  assert.deepEqual(readFileSync(path.join(dir, 'copy')), readFileSync(out));
});

test('killed mid-dump: no file with a final name, and the run is failed at the next start', { skip }, async () => {
  const before = readdirSync(dest);
  const child = spawn(process.execPath, [TOKOBOT_BIN, 'backup', 'run', 'shop'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the dump never reported progress')), 60_000);
    child.stderr.on('data', (d: Buffer) => {
      if (/dump: [\d.]+ MB written/.test(d.toString())) { clearTimeout(timer); child.kill('SIGKILL'); resolve(); }
    });
  });
  await new Promise((resolve) => child.on('close', resolve));
  assert.deepEqual(readdirSync(dest), before, 'nothing new under a final name');
  const work = path.join(env.DATA_DIR, 'backups', 'shop');
  assert.ok(readdirSync(work).some((n) => n.endsWith('.partial')), 'the partial file is only in the work folder');
  assert.deepEqual((await ops("SELECT status FROM backup_runs WHERE job = 'shop' ORDER BY id DESC LIMIT 1")).map((r) => r.status), ['running']);
  const list = await run(['backup', 'run', 'shop']);
  assert.equal(list.code, 0, list.stderr);
  const runs = await ops("SELECT status, error FROM backup_runs WHERE job = 'shop' ORDER BY id DESC LIMIT 2");
  assert.equal(runs[0].status, 'success');
  assert.equal(runs[1].status, 'failed');
  assert.match(runs[1].error, /stopped during this backup/);
  assert.deepEqual(readdirSync(work), [], 'the next run cleared the leftovers');
});

test('disk full while dumping: a failed run that says so, no file kept', { skip }, async () => {
  mkdirSync(tiny, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', tiny]);
  const res = await run(['backup', 'run', 'cramped'], { DATA_DIR: tiny });
  assert.equal(res.code, 1);
  assert.match(res.stdout, /\[cramped\] backup FAILED: dump: The disk holding .* is full/);
  assert.deepEqual(readdirSync(dest).filter((n) => n.startsWith('cramped_')), []);
  assert.deepEqual(readdirSync(path.join(tiny, 'backups', 'cramped')), []);
});
