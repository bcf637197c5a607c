import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
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

test('sync, then no new backup, then status and ask — exit codes and readable output', { skip }, async () => {
  const first = await run(['sync']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`\\[${STORE}\\] published ${fixture.expectedRows.length} price rows from backup_harian.zip`));
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
  assert.equal((await run(['sync'])).code, 1);
  const failed = await run(['status', '--json']);
  assert.equal(failed.code, 1, failed.stderr);
  assert.equal(JSON.parse(failed.stdout)[0].freshness, 'FAILED');
});

test('inspect reads an .i5bu or a zip without any config; a bad file is a headline and one line of detail, exit 1', { skip }, async () => {
  const good = await run(['inspect', fixture.zipPath], { SOURCE: 'ftp' });
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /Format:\s+PostgreSQL custom archive 1\.14/);
  const json = await run(['inspect', fixture.i5buPath, '--json']);
  assert.ok(JSON.parse(json.stdout).entries.length > 50);
  const bad = await run(['inspect', fixture.bad.truncated]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 2);
  assert.match(bad.stderr, /^tokobot: The backup file is damaged or incomplete, so it was not used\. .*\n.*truncated/);
});

test('bad settings stop tokobot with one line per problem and exit 2 (the program itself, as a shell runs it)', async () => {
  const shell = (args: string[], extraEnv: Record<string, string> = {}) => tokobotProcess(args, { ...env, ...extraEnv }, { cwd: dir });
  // An English locale: the problems are told in English (Indonesian otherwise, see test/config/config-language.test.ts).
  const r = await shell(['status'], { RESTORE_TARGET: 'cloud', PG_DOCKER_PORT: 'abc', PG_URL: 'postgres://u:hunter2-secret@db/x', LANG: 'en_US.UTF-8' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^tokobot: tokobot's settings are not right\. /);
  assert.match(r.stderr, /RESTORE_TARGET: /);
  assert.match(r.stderr, /PG_DOCKER_PORT: expected a port number/);
  assert.ok(!r.stderr.includes('hunter2-secret'));
  const usage = await shell(['frobnicate']);
  assert.equal(usage.code, 2);
  assert.match(usage.stdout, /Usage:/);
});
