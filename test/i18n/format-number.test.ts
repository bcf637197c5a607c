import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimal, megabytes, number, size } from '../../src/i18n/format-number.ts';
import { duration } from '../../src/web/durations.ts';
import { progressText } from '../../src/web/live-progress.ts';

test('counts, decimals and sizes as each language writes them', () => {
  assert.equal(number(3004, 'id'), '3.004');
  assert.equal(number(3004, 'en'), '3,004');
  assert.equal(decimal(0.25, 'id'), '0,3');
  assert.equal(decimal(2, 'en'), '2.0');
  assert.deepEqual([512, 35_533, 5_242_880, 1_288_490_189].map((n) => size(n, 'id')), ['512 B', '34,7 kB', '5,0 MB', '1.228,8 MB']);
  assert.deepEqual([512, 35_533, 5_242_880, 1_288_490_189].map((n) => size(n, 'en')), ['512 B', '34.7 kB', '5.0 MB', '1,228.8 MB']);
  assert.equal(megabytes(104_858, 'id'), '0,1 MB');
  assert.equal(megabytes(104_858, 'en'), '0.1 MB');
});

test('durations and live progress use the same formatter', () => {
  assert.equal(duration(400, 'id'), '0,4 s');
  assert.equal(duration(400, 'en'), '0.4 s');
  assert.equal(duration(65_000, 'en'), '1 m 05 s');
  const upload = { stage: 'upload', done: 104_858, total: 209_715, destination: 'the folder /srv/b', place: { kind: 'folder' as const, location: '/srv/b' } };
  assert.equal(progressText('id', upload), 'kirim → folder /srv/b 50% (0,1 MB / 0,2 MB)');
  assert.equal(progressText('en', upload), 'uploading → the folder /srv/b 50% (0.1 MB / 0.2 MB)');
  assert.equal(progressText('id', { stage: 'upload', destination: 'the memory backup destination' }), 'kirim → the memory backup destination', 'no place: its description');
  assert.equal(progressText('id', { stage: 'dump', done: 3_145_728, rows: 12_000 }), 'dump 3,0 MB, 12.000 baris');
});
