import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshness, storeStatus } from '../../src/pipeline/status.ts';
import { wallTimeIn } from '../../src/pipeline/wall-time.ts';
import { MemoryLocks, MemorySyncRunLog } from '../fakes/memory-stores.ts';
import type { PublishedList } from '../../src/store/price-lists.ts';
import { pruneExports, requiredSpace } from '../../src/pipeline/sync/work-files.ts';
import { validatePriceCsv } from '../../src/pipeline/validate-prices.ts';
import { PRICE_COLUMNS, type PriceRuleFindings } from '../../src/pipeline/price-rules.ts';
import { outcomeLine, statusText } from '../../src/cli/format-sync.ts';
import type { SyncRun } from '../../src/store/sync-runs.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';

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

test('exports: only the newest EXPORT_KEEP CSV files of a store stay, with their Excel workbooks', async () => {
  const data = mkdtempSync(path.join(tmpdir(), 'tokobot-prune-'));
  const dir = path.join(data, 'exports', 'main');
  mkdirSync(dir, { recursive: true });
  for (const d of ['20261101_010000', '20261103_010000', '20261102_010000', '20261104_010000']) writeFileSync(path.join(dir, `main_${d}.csv`), 'x');
  writeFileSync(path.join(dir, 'catatan.txt'), 'kept: not an export');
  for (const book of ['main_20261101_010000.id.xlsx', 'main_20261104_010000.en.xlsx']) writeFileSync(path.join(dir, book), 'x');
  const gone = await pruneExports(data, 'main', 2);
  assert.deepEqual(gone.sort(), ['main_20261101_010000.csv', 'main_20261102_010000.csv']);
  assert.deepEqual(readdirSync(dir).sort(), ['catatan.txt', 'main_20261103_010000.csv', 'main_20261104_010000.csv', 'main_20261104_010000.en.xlsx']);
  rmSync(data, { recursive: true, force: true });
});

test('a zip needs room for itself and what comes out of it', () => {
  const MB = 1024 * 1024;
  assert.equal(requiredSpace('a.i5bu', 100 * MB), 264 * MB);
  assert.equal(requiredSpace('a.ZIP', 100 * MB), 364 * MB);
});

test('wall times of the dump are read in the shop\'s zone', () => {
  assert.equal(wallTimeIn('2026-11-23 17:00:00', 'Asia/Jakarta')?.toISOString(), '2026-11-23T10:00:00.000Z');
  assert.equal(wallTimeIn('2026-11-23 17:00:00', 'Asia/Jayapura')?.toISOString(), '2026-11-23T08:00:00.000Z');
  assert.equal(wallTimeIn('2026-07-01 12:00:00', 'Europe/Amsterdam')?.toISOString(), '2026-07-01T10:00:00.000Z');
  assert.equal(wallTimeIn('2026-02-30 12:00:00', 'Asia/Jakarta'), null);
  assert.equal(wallTimeIn('yesterday', 'Asia/Jakarta'), null);
});

test('a backup\'s age runs from its dump time, not from a fresh file time; the file time only when no archive was read', async () => {
  const now = new Date('2026-11-29T12:00:00Z');
  const store = { id: 'main', name: 'Toko', schedule: '*/30 * * * *', timeZone: 'Asia/Jakarta', source: { type: 'folder' as const, dir: '/b' } };
  const runs = new MemorySyncRunLog();
  let published: PublishedList | null = null;
  const reads = { runs, priceLists: { published: async () => published }, locks: new MemoryLocks() };
  // A copy tool touched a six-day-old dump an hour ago.
  const id = await runs.start('main', 'cli');
  await runs.update(id, { sourceFile: 'a.i5bu', sourceModified: new Date('2026-11-29T11:00:00Z'), contentHash: 'h1',
    archive: { dumpTime: '2026-11-23 19:00:00' } }, 'success');
  let s = await storeStatus(reads, store, now);
  assert.equal(s.newestBackup?.ageFrom, 'dump');
  assert.equal(s.newestBackup?.ageHours, 6 * 24);
  assert.equal(s.freshness, 'CHECK');

  // A later run found the same content unchanged (no archive read): the published list's archive tells.
  published = { store: 'main', runId: id, contentHash: 'h1', sourceFile: 'a.i5bu', sourceModified: null, archive: { dumpTime: '2026-11-23 19:00:00' },
    rowCount: 1, csvPath: null, publishedAt: now };
  const again = await runs.start('main', 'cli');
  await runs.update(again, { sourceFile: 'b.i5bu', sourceModified: new Date('2026-11-29T11:30:00Z'), contentHash: 'h1' }, 'no-change');
  s = await storeStatus(reads, store, now);
  assert.equal(s.newestBackup?.file, 'b.i5bu');
  assert.equal(s.newestBackup?.ageFrom, 'dump');
  assert.equal(s.newestBackup?.dumpedAt?.toISOString(), '2026-11-23T12:00:00.000Z');

  // New content never read (the run failed before inspect): the file time is all there is.
  const third = await runs.start('main', 'cli');
  await runs.update(third, { sourceFile: 'c.i5bu', sourceModified: new Date('2026-11-29T11:45:00Z'), contentHash: 'h2' }, 'failed');
  s = await storeStatus(reads, store, now);
  assert.equal(s.newestBackup?.ageFrom, 'file');
  assert.equal(s.newestBackup?.ageHours, 0.25);
});

test('the status carries the price rules\' findings of the list in use, from its run\'s stored report; tokobot status and sync print them', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-status-'));
  try {
    const csv = path.join(dir, 'main.csv');
    writeFileSync(csv, `${PRICE_COLUMNS.join(',')}\nmain,A1,INDOMIE,MIE,INDOFOOD,PCS,1,899,O,,,3000,3500,12\n`);
    const findings: PriceRuleFindings = {
      unknownSystem: { items: 7, examples: [{ kodeitem: 'A9', column: 'sistemhargajual', value: 'X' }, { kodeitem: 'B2', column: 'sistemhargajual', value: 'q' }] },
      oddFlags: { items: 1, examples: [{ kodeitem: 'C3', column: 'statushapus', value: 'T' }] },
    };
    const ops = createMemoryStores();
    const store = { id: 'main', name: 'Toko Utama', schedule: '*/30 * * * *', source: { type: 'folder' as const, dir } };
    const older = await ops.runs.start('main', 'cli');
    await ops.runs.update(older, { validation: { rows: 1, summary: 'from before the price rules were reported' } }, 'success');
    assert.equal((await storeStatus(ops, store)).priceRules, null, 'a report without them');

    const validation = await validatePriceCsv(csv, { previousRows: null, maxDrop: 0.2, priceRules: findings });
    const good = await ops.runs.start('main', 'cli');
    await ops.runs.update(good, { validation, rowCount: 1 }, 'success');
    const failed = await ops.runs.start('main', 'cli');
    await ops.runs.update(failed, { error: 'download failed' }, 'failed');
    const status = await storeStatus(ops, store);
    assert.deepEqual(status.priceRules, findings, 'the list in use is the last successful run\'s');

    // In the chat's words (the same catalogue), in either language.
    const printed = statusText(status, { lang: 'en', zone: 'Asia/Jakarta' });
    assert.match(printed, /\n  warning: Items left out of the price list because their sistemhargajual is not O, S, L or J: 7 \(e\.g\. A9 'X', B2 'q'\)/);
    assert.match(printed, /\n  warning: Items with a statusjual\/statushapus other than Y\/N, kept in the price list: 1 \(e\.g\. C3 statushapus 'T'\)/);
    assert.match(statusText(status, { lang: 'id', zone: 'Asia/Jakarta' }), /\n  peringatan: Barang tidak masuk daftar harga karena sistemhargajual bukan O, S, L atau J: 7 /);
    const synced = outcomeLine({ runId: good, store: 'main', status: 'success', file: 'b.i5bu', rows: 1, validation, durationsMs: {} }, 'en');
    assert.match(synced, /^\[main\] published 1 price rows from b\.i5bu\n  warning: Items left out of the price list .*: 7/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
