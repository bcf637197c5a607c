import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backupName } from '../../../src/pipeline/backup/backup-files.ts';
import { backupTime } from '../../../src/pipeline/backup/prune.ts';
import { compareRows, mismatchError } from '../../../src/pipeline/backup/restore-check.ts';

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

test('verification names every table whose restored count differs from the source, the first five and how many more', () => {
  assert.deepEqual(compareRows({ a: 1, b: 2 }, { a: 1, b: 2 }), { checked: 2, mismatches: 0, tables: [
    { table: 'a', source: 1, restored: 1 }, { table: 'b', source: 2, restored: 2 }] });
  const check = compareRows({ a: 1, b: 2, c: 0 }, { a: 1, b: 1, d: 4 });
  assert.deepEqual(check, { checked: 4, mismatches: 3, tables: [{ table: 'a', source: 1, restored: 1 }, { table: 'b', source: 2, restored: 1 },
    { table: 'c', source: 0, restored: null }, { table: 'd', source: null, restored: 4 }] });
  const err = mismatchError(check);
  assert.equal(err.kind, 'corrupt');
  assert.equal(err.system, 'backup-file');
  assert.equal(err.message, 'The backup does not restore to the same data: 3 of 4 tables differ: b (2 rows in the source, 1 restored); c (missing after the restore); d (not in the source).');
  assert.match(err.messageId ?? '', /^Backup ini tidak pulih ke data yang sama: 3 dari 4 tabel berbeda: b \(2 baris di sumber, 1 setelah dipulihkan\); c \(tidak ada setelah dipulihkan\)/);
  assert.deepEqual(compareRows({ a: 1 }, { a: 1, extra: 3 }, { sourceTablesOnly: true }).mismatches, 0, 'a PostgreSQL archive counts only the tables whose data it holds');
  const many = compareRows(Object.fromEntries([...Array(8)].map((_, i) => [`t${i}`, 1000 + i])), {});
  assert.match(mismatchError(many).message, /8 of 8 tables differ: t0 \(missing after the restore\);.* t4 \(missing after the restore\); and 3 more\.$/);
  assert.match(mismatchError(many).messageId ?? '', /; dan 3 lainnya\.$/);
});
