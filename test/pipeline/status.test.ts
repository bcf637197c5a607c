import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshness } from '../../src/pipeline/status.ts';
import { pruneExports, requiredSpace } from '../../src/pipeline/sync/work-files.ts';
import type { SyncRun } from '../../src/store/sync-runs.ts';

const run = (status: SyncRun['status']) => ({ status }) as SyncRun;

test('freshness classes: OK under 24 h, ATTENTION to 48 h, CHECK beyond or never; FAILED and RUNNING win', () => {
  assert.equal(freshness(false, run('success'), 1), 'OK');
  assert.equal(freshness(false, run('no-change'), 23.9), 'OK');
  assert.equal(freshness(false, run('success'), 24), 'ATTENTION');
  assert.equal(freshness(false, run('success'), 48), 'ATTENTION');
  assert.equal(freshness(false, run('success'), 48.1), 'CHECK');
  assert.equal(freshness(false, null, null), 'CHECK');
  assert.equal(freshness(false, run('failed'), 1), 'FAILED');
  assert.equal(freshness(true, run('failed'), 1), 'RUNNING');
});

test('exports: only the newest EXPORT_KEEP CSV files of a store stay', async () => {
  const data = mkdtempSync(path.join(tmpdir(), 'tokobot-prune-'));
  const dir = path.join(data, 'exports', 'main');
  mkdirSync(dir, { recursive: true });
  for (const d of ['20261101_010000', '20261103_010000', '20261102_010000', '20261104_010000']) writeFileSync(path.join(dir, `main_${d}.csv`), 'x');
  writeFileSync(path.join(dir, 'catatan.txt'), 'kept: not an export');
  const gone = await pruneExports(data, 'main', 2);
  assert.deepEqual(gone.sort(), ['main_20261101_010000.csv', 'main_20261102_010000.csv']);
  assert.deepEqual(readdirSync(dir).sort(), ['catatan.txt', 'main_20261103_010000.csv', 'main_20261104_010000.csv']);
  rmSync(data, { recursive: true, force: true });
});

test('a zip needs room for itself and what comes out of it', () => {
  const MB = 1024 * 1024;
  assert.equal(requiredSpace('a.i5bu', 100 * MB), 264 * MB);
  assert.equal(requiredSpace('a.ZIP', 100 * MB), 364 * MB);
});
