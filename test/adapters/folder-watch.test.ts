import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderWatch } from '../../src/adapters/folder/folder-watch.ts';
import { until } from '../helpers/until.ts';

/** The local folder's watch (SOURCE=folder): same filters and "stopped growing" wait as the Dropbox one. */
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-folder-watch-'));
const SETTLE_MS = 150;
let stops: AbortController[] = [];
afterEach(() => { for (const s of stops) s.abort(); stops = []; });
after(() => rmSync(dir, { recursive: true, force: true }));
const settle = (ms = SETTLE_MS * 3) => new Promise((r) => setTimeout(r, ms));

function watching(folder = dir) {
  const calls: number[] = [];
  const stop = new AbortController();
  stops.push(stop);
  const done = new FolderWatch({ dir: folder, settleMs: SETTLE_MS, errorWaitMs: 50 }).watch(() => calls.push(Date.now()), stop.signal);
  return { calls, stop, done };
}

test('only .i5bu and .zip directly in the folder start a sync; a growing file once, after it stops growing', async () => {
  const w = watching();
  await settle(50);
  writeFileSync(path.join(dir, 'catatan.txt'), 'notes');
  mkdirSync(path.join(dir, 'arsip'));
  writeFileSync(path.join(dir, 'arsip', 'lama.i5bu'), 'in a subfolder');
  await settle();
  assert.equal(w.calls.length, 0);
  const file = path.join(dir, 'growing.i5bu');
  writeFileSync(file, 'a');
  let lastGrowth = Date.now();
  for (let i = 0; i < 3; i++) {
    await settle(SETTLE_MS * 0.3);
    appendFileSync(file, 'more bytes');
    lastGrowth = Date.now();
  }
  await until('the sync is asked for', () => w.calls.length > 0);
  assert.ok(w.calls[0]! - lastGrowth >= SETTLE_MS, `asked ${w.calls[0]! - lastGrowth} ms after the last growth`);
  await settle();
  assert.equal(w.calls.length, 1);
});

test('two files landing together start one sync; stop ends the watch', async () => {
  const w = watching();
  await settle(50);
  writeFileSync(path.join(dir, 'a.zip'), 'a');
  writeFileSync(path.join(dir, 'b.I5BU'), 'b');
  await until('the sync is asked for', () => w.calls.length > 0);
  await settle();
  assert.equal(w.calls.length, 1);
  w.stop.abort();
  await w.done;
});

test('a folder that does not exist yet is watched once it does', async () => {
  const later = path.join(dir, 'later');
  const w = watching(later);
  await settle(100);
  mkdirSync(later);
  await settle(150); // the next try after errorWaitMs
  writeFileSync(path.join(later, 'x.zip'), 'x');
  await until('the sync is asked for', () => w.calls.length === 1);
});
