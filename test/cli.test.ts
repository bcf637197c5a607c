import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getSharedFixture, type SharedFixture } from './fixtures/shared-fixture.ts';
import { adminQuery, LOCAL_PG_URL, requireLocalPg } from './helpers/local-pg.ts';
import { freshBackup } from './helpers/fresh-backup.ts';
import { tokobot, tokobotProcess, type CliResult } from './helpers/tokobot-cli.ts';

const skip = await requireLocalPg();
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-cli-'));
const STORE = `cli${process.pid}`;
const env = {
  PATH: process.env.PATH ?? '', HOME: dir, SOURCE: 'folder', SOURCE_DIR: path.join(dir, 'backups'), RESTORE_TARGET: 'external',
  PG_URL: LOCAL_PG_URL, DATA_DIR: path.join(dir, 'data'), OPS_DATABASE: `tokobot_t_ops_${STORE}`, STORE_ID: STORE, STORE_NAME: 'Toko CLI',
};
let fixture: SharedFixture;

/** In this process (see tokobot-cli.ts); the last test runs the program itself. */
const run = (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> => tokobot(args, { ...env, ...extraEnv });

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  mkdirSync(env.SOURCE_DIR);
  await freshBackup(fixture.i5buPath, path.join(env.SOURCE_DIR, 'backup_harian.zip'));
});
after(async () => {
  if (!skip) {
    for (const db of [env.OPS_DATABASE, `ipos_${STORE}`, `ipos_${STORE}__previous`]) {
      await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db]);
      await adminQuery(`DROP DATABASE IF EXISTS "${db}"`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

test('sync, then no new backup, then status and ask — exit codes and readable output, in Indonesian by default', { skip }, async () => {
  const first = await run(['sync']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`\\[${STORE}\\] ${fixture.expectedRows.length} baris harga dari backup_harian.zip terbit`));
  assert.match(first.stderr, /restore/);

  const again = await run(['sync', '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).status, 'no-change');

  const status = await run(['status', '--json']);
  assert.equal(status.code, 0, status.stderr);
  const [s] = JSON.parse(status.stdout);
  assert.equal(s.freshness, 'OK');
  assert.equal(s.newestBackup.ageFrom, 'dump');
  assert.equal(s.lastSuccess.rows, fixture.expectedRows.length);
  // Times in the store's zone, named (STORE_TZ here).
  const shown = await run(['status'], { STORE_TZ: 'Asia/Makassar', LANG: 'en_US.UTF-8' });
  assert.match(shown.stdout, new RegExp(`^Toko CLI \\(${STORE}\\): OK\\n  newest backup: backup_harian\\.zip, [\\d.]+ h old\\n  last successful sync: \\d+ \\w{3} \\d{4} \\d\\d:\\d\\d WITA \\(${fixture.expectedRows.length} rows from backup_harian\\.zip\\)\\n$`));
  assert.match((await run(['status'])).stdout, / OK\n  backup terbaru: backup_harian\.zip, umurnya [\d.]+ jam\n  sync berhasil terakhir: \d+ \w{3} \d{4} \d\d:\d\d WIB /);

  const row = fixture.expectedRows.find((r) => r.barcode)!;
  const ask = await run(['ask', row.barcode]);
  assert.equal(ask.code, 0, ask.stderr);
  assert.match(ask.stdout, /^\[Toko CLI\]\n/);
  assert.ok(ask.stdout.includes(`${row.namaitem} — `), ask.stdout);
  assert.match(ask.stdout, /Rp \d/);

  // A newer backup that is broken: the sync fails, and status exits 1 for monitoring scripts.
  const broken = path.join(env.SOURCE_DIR, 'backup_rusak.i5bu');
  copyFileSync(fixture.bad.truncated, broken);
  utimesSync(broken, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
  // One line says why, once: progress on stderr, but no log record repeating the failure, no stack.
  const cut = await run(['sync']);
  assert.equal(cut.code, 1);
  assert.match(cut.stdout, new RegExp(`^\\[${STORE}\\] sync gagal saat inspect: backup_rusak\\.i5bu: file backup terpotong: [^\\n]*\\n$`), 'the detail in Indonesian too');
  assert.equal(`${cut.stdout}${cut.stderr}`.match(/terpotong/g)?.length, 1, `the failure is told once:\n${cut.stderr}`);
  assert.doesNotMatch(cut.stderr, /^\s+at |"level"|sync failed/m);
  assert.deepEqual(cut.stderr.split('\n').filter((l, i, all) => l && all.indexOf(l) !== i), [], 'no line twice');
  // The log file keeps the record, with the stack.
  const logged = readFileSync(path.join(env.DATA_DIR, 'logs', 'cli.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.match(logged.find((r) => r.msg === 'sync failed')?.err.stack ?? '', /the backup is truncated[^]*\n\s+at /);
  const failed = await run(['status', '--json']);
  assert.equal(failed.code, 1, failed.stderr);
  assert.equal(JSON.parse(failed.stdout)[0].freshness, 'FAILED');
});

test('inspect reads an .i5bu or a zip without any config; a bad file is one line saying what and why, exit 1', { skip }, async () => {
  const good = await run(['inspect', fixture.zipPath], { SOURCE: 'ftp', LANG: 'en_US.UTF-8' });
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /Format:\s+PostgreSQL custom archive 1\.14/);
  assert.match((await run(['inspect', fixture.zipPath])).stdout, /\nFormat:\s+arsip custom PostgreSQL 1\.14\nKompresi:\s+gzip/);
  const json = await run(['inspect', fixture.i5buPath, '--json']);
  assert.ok(JSON.parse(json.stdout).entries.length > 50);
  const bad = await run(['inspect', fixture.bad.truncated], { TOKOBOT_LANG: 'en' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^tokobot: The backup file is damaged or incomplete, so it was not used: \S+: the backup is truncated[^\n]*\n$/);
  const missing = await run(['inspect', path.join(dir, 'none.i5bu')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, `tokobot: File ${path.join(dir, 'none.i5bu')} tidak ada.\n`);
});

test('bad settings stop tokobot with one line per problem and exit 2 (the program itself, as a shell runs it)', async () => {
  const shell = (args: string[], extraEnv: Record<string, string> = {}) => tokobotProcess(args, { ...env, ...extraEnv }, { cwd: dir });
  // An English locale: the problems are told in English (Indonesian otherwise, see test/config/config-language.test.ts).
  const r = await shell(['status'], { RESTORE_TARGET: 'cloud', PG_DOCKER_PORT: 'abc', PG_URL: 'postgres://u:hunter2-secret@db/x', LANG: 'en_US.UTF-8' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^tokobot: tokobot's settings are not right:\n/);
  assert.match(r.stderr, /\n  RESTORE_TARGET: /);
  assert.match(r.stderr, /\n  PG_DOCKER_PORT: expected a port number/);
  assert.ok(!r.stderr.includes('hunter2-secret'));
  const usage = await shell(['frobnicate']);
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr, 'tokobot: perintah "frobnicate" tidak dikenal; tokobot help menampilkan semua perintah\n');
  const help = await shell(['help']);
  assert.equal(help.code, 0, 'tokobot help is not an error');
  assert.match(help.stdout, /^Cara pakai: tokobot COMMAND/);
});
