import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderDestination } from '../../../src/adapters/folder/folder-destination.ts';
import type { JobConfig } from '../../../src/config/load-config.ts';
import { pruneDestination } from '../../../src/pipeline/backup/prune.ts';
import type { BackupRunDetails, BackupStatus } from '../../../src/store/backup-log.ts';
import { MemoryBackupLog } from '../../fakes/memory-backup-log.ts';
import { reasonsText } from '../../../src/i18n/retention-words.ts';

/**
 * Retention over an in-memory run log (the unit tier: no database, no dump): every reason a file
 * named like the job's backups is left alone, and good backups counted by when their run
 * finished, not by their names.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-prune-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const job: JobConfig = { id: 'shop', type: 'postgres', url: 'postgres://x/y', destinations: [{ type: 'local', dir }],
  retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 }, verify: true, timeoutMs: 60 * 60_000, extension: '.dump' };
const destination = new FolderDestination(dir);
const now = new Date(Date.UTC(2026, 10, 23, 12, 0));
let clock = new Date(now.getTime() - 10 * DAY);
const log = new MemoryBackupLog(() => clock);

/** A run that made `name` (`bytes` long), finished `daysAgo`, with what the test changes; the file is put in the folder with `size` bytes. */
async function made(name: string, daysAgo: number, o: { status?: BackupStatus; here?: boolean; verified?: boolean; size?: number } = {}): Promise<void> {
  clock = new Date(now.getTime() - daysAgo * DAY);
  const id = await log.start('shop', 'schedule');
  const details: BackupRunDetails = { fileName: name, bytes: 100, verification: o.verified === false ? { ok: true, detail: 'not verified' } : { ok: true, detail: 'restored', tables: 3, rows: 9 },
    destinations: o.here === false ? [{ destination: 'Dropbox', location: '/b' }] : [{ destination: destination.description, location: path.join(dir, name) }] };
  await log.update(id, details, o.status ?? 'success');
  writeFileSync(path.join(dir, name), Buffer.alloc(o.size ?? 100));
}

test('keepLast 1: the good backup that finished last stays, whatever its name says; every other kind of file is left alone and says why', async () => {
  await made('shop_20261120_020000.dump', 3);
  await made('shop_20261101_020000.dump', 1); // made while the machine's clock ran weeks behind: finished last all the same
  await made('shop_20261121_020000.dump', 2, { status: 'failed' });
  await made('shop_20261121_030000.dump', 2, { here: false });
  await made('shop_20261121_040000.dump', 2, { size: 99 });
  await made('shop_20261121_050000.dump', 2, { verified: false });
  await made('shop_20261121_060000.dump', -1);
  writeFileSync(path.join(dir, 'shop_20311231_235959.dump'), 'ahead');
  writeFileSync(path.join(dir, 'shop_20260101_000000.dump'), '');
  writeFileSync(path.join(dir, 'shop_20250601_120000.dump'), 'by hand');
  writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');
  const runs = await log.runsWithFiles('shop');

  const dry = await pruneDestination(job, destination, runs, { dryRun: true, now });
  const said = Object.fromEntries(dry.decisions.map((d) => [d.name, `${d.action}: ${reasonsText('en', d.reasons)}`]));
  assert.deepEqual(said, {
    'shop_20261101_020000.dump': 'keep: one of the last 1 (#1); newest good backup',
    'shop_20261120_020000.dump': 'delete: outside every retention bucket',
    'shop_20261121_020000.dump': 'leave: from a failed run (#3): left alone',
    'shop_20261121_030000.dump': 'leave: not recorded as delivered here (run #4): left alone',
    'shop_20261121_040000.dump': 'leave: 99 bytes here, 100 in the run log: left alone',
    'shop_20261121_050000.dump': 'leave: not verified, and the job verifies: left alone',
    'shop_20261121_060000.dump': 'leave: dated in the future (2026-11-24 12:00:00 UTC): left alone',
    'shop_20311231_235959.dump': 'leave: dated in the future (2031-12-31 23:59:59 UTC): left alone',
    'shop_20260101_000000.dump': 'leave: empty file: left alone',
    'shop_20250601_120000.dump': 'leave: not in the run log: left alone',
  });
  assert.deepEqual(dry.removed, []);
  assert.equal(readdirSync(dir).length, 11, 'a dry run deletes nothing');

  const real = await pruneDestination(job, destination, runs, { dryRun: false, now });
  assert.deepEqual(real.removed, ['shop_20261120_020000.dump']);
  assert.deepEqual(readdirSync(dir).sort(), Object.keys(said).filter((n) => n !== 'shop_20261120_020000.dump').concat('notes.txt').sort());
});
