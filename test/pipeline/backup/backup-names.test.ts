import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backupName } from '../../../src/pipeline/backup/backup-files.ts';
import { backupTime } from '../../../src/pipeline/backup/prune.ts';
import { countDifferences } from '../../../src/pipeline/backup/verify-backup.ts';

test('file names carry the job and the UTC time, and retention reads the time back; other files are not the job\'s', () => {
  const at = new Date(Date.UTC(2026, 1, 28, 23, 5, 9));
  const name = backupName('web-shop', '.sql.gz.enc', at);
  assert.equal(name, 'web-shop_20260228_230509.sql.gz.enc');
  const job = { id: 'web-shop', extension: '.sql.gz.enc' };
  assert.deepEqual(backupTime(job, name), at);
  for (const other of ['web-shop_20260228_230509.sql.gz', 'web_20260228_230509.sql.gz.enc', 'web-shop_2026022_230509.sql.gz.enc',
    'web-shop_20260230_230509.sql.gz.enc', '.web-shop_20260228_230509.sql.gz.enc.partial', 'web-shop_latest.sql.gz.enc']) {
    assert.equal(backupTime(job, other), null, other);
  }
});

test('verification names every table whose restored count differs from the snapshot', () => {
  assert.deepEqual(countDifferences({ a: 1, b: 2 }, { a: 1, b: 2 }), []);
  assert.deepEqual(countDifferences({ a: 1, b: 2, c: 0 }, { a: 1, b: 1, d: 4 }), [
    'b: 2 rows in the snapshot, 1 restored', 'c: missing after restore', 'd: not in the dump\'s snapshot']);
});
