import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pruneLines } from '../../../src/cli/format-backup.ts';
import { runBackup, type BackupDeps } from '../../../src/pipeline/backup/backup-job.ts';
import { pruneDestination } from '../../../src/pipeline/backup/prune.ts';
import { startBackupHarness, type BackupHarness } from '../../helpers/backup-harness.ts';
import { adminQuery, LOCAL_PG_URL } from '../../helpers/local-pg.ts';
import { needPgTools } from '../../helpers/needs.ts';

/**
 * Retention decided from the run log, with real runs of a verified job into a folder that also
 * holds files named like the job's backups that no run made. keepLast 1: the old rule (newest by
 * file name) deleted both good backups when a future-dated stray was there.
 */
const dest = path.join(mkdtempSync(path.join(tmpdir(), 'tokobot-keep-')), 'backups');
const OPS = 'tokobot_t_ops_backupkeep';
const strays = {
  'keeper_20311231_235959.dump': 'a copy made while the clock ran ahead',
  'keeper_20260101_000000.dump': '',
  'keeper_20250601_120000.dump': 'a hand copy nobody recorded',
};
let h: BackupHarness;
const logged: { msg: string; obj: Record<string, unknown> }[] = [];
let deps: BackupDeps;

const skip = await needPgTools();

before(async () => {
  if (skip) return;
  const url = LOCAL_PG_URL.replace(/\/[^/]*$/, `/${OPS}`);
  h = await startBackupHarness('backupkeep', [
    { id: 'keeper', type: 'postgres', url, verify: true, destinations: [{ type: 'local', dir: dest }], retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 } },
  ]);
  const record = (obj: Record<string, unknown>, msg: string) => { logged.push({ obj, msg }); };
  deps = { ...h.app.backups, logger: { info: record, warn: record } as unknown as BackupDeps['logger'] };
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  for (const [name, text] of Object.entries(strays)) writeFileSync(path.join(dest, name), text);
  writeFileSync(path.join(dest, 'notes.txt'), 'not a backup');
});

after(async () => {
  if (skip) return;
  await h?.close();
  rmSync(path.dirname(dest), { recursive: true, force: true });
  await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [OPS]);
  await adminQuery(`DROP DATABASE IF EXISTS "${OPS}"`);
});

const jobFiles = () => readdirSync(dest).filter((n) => n.startsWith('keeper_')).sort();
const dryRun = async () => {
  const [destination] = h.app.backups.destinations(h.app.job('keeper'));
  const result = await pruneDestination(h.app.job('keeper'), destination!, await h.app.backups.log.runsWithFiles('keeper'), { dryRun: true });
  return pruneLines('keeper', result, true, 'en');
};

test('keepLast 1 after two real runs: the newer good backup stays, future-dated, empty and unknown files stay and say why', { skip }, async () => {
  const first = await runBackup(deps, h.app.job('keeper'), 'cli');
  assert.equal(first.status, 'success', first.error ?? '');
  assert.match(first.verification?.detail ?? '', /restored into a scratch database/);
  assert.deepEqual(jobFiles(), [first.fileName, ...Object.keys(strays)].sort(), 'the first run deletes nothing it did not make');
  // The clock was set back a day: the second file's name is older than the first's, but the run finished later.
  const second = await runBackup({ ...deps, now: () => new Date(first.startedAt.getTime() - 86_400_000) }, h.app.job('keeper'), 'cli');
  assert.equal(second.status, 'success', second.error ?? '');
  assert.ok((second.fileName as string) < (first.fileName as string));
  assert.deepEqual(jobFiles(), [second.fileName, ...Object.keys(strays)].sort());
  assert.ok(readdirSync(dest).includes('notes.txt'));

  const report = logged.filter((l) => l.msg === 'retention applied').at(-1)?.obj;
  assert.deepEqual(report?.removed, [first.fileName]);
  const why = report?.why as Record<string, string>;
  assert.equal(why[first.fileName as string], 'delete: outside every retention bucket');
  assert.equal(why[second.fileName as string], 'keep: one of the last 1 (#1); newest good backup');
  assert.equal(why['keeper_20311231_235959.dump'], 'leave: dated in the future (2031-12-31 23:59:59 UTC): left alone');

  const lines = await dryRun();
  assert.deepEqual(lines.slice(1).map((l) => l.replace(/\([\d.]+ MB\)/, '(… MB)')), [
    `  keep   ${second.fileName} (… MB): one of the last 1 (#1); newest good backup`,
    '  leave  keeper_20311231_235959.dump (… MB): dated in the future (2031-12-31 23:59:59 UTC): left alone',
    '  leave  keeper_20260101_000000.dump (… MB): empty file: left alone',
    '  leave  keeper_20250601_120000.dump (… MB): not in the run log: left alone',
  ]);
});

test('a good backup changed at the destination no longer counts and is left alone; the next run keeps its own', { skip }, async () => {
  const [before] = await h.app.backups.log.recent('keeper', 1);
  const damaged = before?.fileName as string;
  truncateSync(path.join(dest, damaged), 1000);
  const third = await runBackup(deps, h.app.job('keeper'), 'cli');
  assert.equal(third.status, 'success', third.error ?? '');
  assert.deepEqual(jobFiles(), [damaged, third.fileName, ...Object.keys(strays)].sort());
  const lines = await dryRun();
  assert.ok(lines.includes(`  leave  ${damaged} (0.0 MB): 1000 bytes here, ${before?.bytes} in the run log: left alone`), lines.join('\n'));
  assert.match(lines.find((l) => l.includes(third.fileName as string)) ?? '', /keep .*newest good backup/);
});
