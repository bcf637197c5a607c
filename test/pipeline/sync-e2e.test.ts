import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { storeStatus } from '../../src/pipeline/status.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import { syncStore } from '../../src/pipeline/sync/sync-store.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { rewriteArchive } from '../helpers/archive-rewrite.ts';
import { freshBackup } from '../helpers/fresh-backup.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { programMajor, testServerMajor } from '../helpers/needs.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { assertCsvMatches, assertNothingLeft, snapshot, sync } from '../helpers/sync-checks.ts';

const skip = await requireLocalPg();
const STORE = `e2e${process.pid}`;
let h: Harness;
let fixture: SharedFixture;
let scratch = '';
let clock = Date.UTC(2026, 10, 20, 1, 0, 0);
/** Each upload is newer than the last, as backups arrive. */
const upload = (name: string, file: string) => h.fake.addFile(`${h.folder}/${name}`, file, new Date((clock += 3_600_000)));

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  h = await startHarness('external', STORE);
  scratch = mkdtempSync(path.join(tmpdir(), 'tokobot-e2e-'));
});
after(async () => {
  await h?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('first sync: newest zip from Dropbox → restored, exported, validated, published', { skip }, async () => {
  await upload('backup_lama.i5bu', fixture.bad.truncated); // older: must be ignored
  // Dumped by the shop just before it arrived: its age (from the dump time) is an hour at the status below.
  const dumped = await freshBackup(fixture.i5buPath, path.join(scratch, 'backup_2026-11-20.zip'), 'Asia/Jakarta', new Date(clock + 3_600_000));
  await upload('backup_2026-11-20.zip', dumped);
  const o = await sync(h);
  assert.equal(o.status, 'success', o.error);
  assert.equal(o.file, 'backup_2026-11-20.zip');
  assert.equal(o.archive?.formatVersion, '1.14');
  assert.equal(o.archive?.zipEntry?.endsWith('.i5bu'), true);
  assertCsvMatches(o, fixture, STORE);
  const items = await h.query(storeDatabases(STORE).live, 'SELECT count(*)::int AS n FROM tbl_item');
  assert.equal(items.rows[0].n, fixture.data.tables.tbl_item.length);
  const [run] = await h.app.opsStores.runs.recent(STORE, 1);
  assert.equal(run?.status, 'success');
  assert.deepEqual(run?.stages.map((s) => s.name), ['check', 'download', 'extract', 'inspect', 'restore', 'analyze', 'export', 'validate', 'publish']);
  assert.equal(typeof o.durationsMs.analyze, 'number');
  assert.ok(run?.stages.every((s) => s.endedAt));
  const status = await storeStatus(h.app.opsStores, h.store, new Date(clock + 3_600_000));
  assert.equal(status.freshness, 'OK');
  assert.equal(status.lastSuccess?.rows, fixture.expectedRows.length);
  const item = fixture.expectedRows[0]!;
  const answer = await new PriceSearch(h.app.opsStores.priceLists).search(STORE, item.kodeitem);
  assert.equal(answer.items[0]?.kodeitem, item.kodeitem);
});

test('the same file again is "no new backup"; a new file replaces the live database and keeps the old one', { skip }, async () => {
  assert.equal((await sync(h)).status, 'no-change');
  const before = await snapshot(h);
  await upload('backup_2026-11-21.i5bu', fixture.i5buPath);
  const o = await sync(h);
  assert.equal(o.status, 'success', o.error);
  const after = await snapshot(h);
  assert.notEqual(after.liveOid, before.liveOid);
  const prev = await h.query('postgres', 'SELECT oid FROM pg_database WHERE datname = $1', [storeDatabases(STORE).previous]);
  assert.equal(prev.rows[0]?.oid, before.liveOid);
  assert.equal(after.priceRows, fixture.expectedRows.length);
});

const badCases: [string, () => string, string, RegExp][] = [
  ['empty.i5bu', () => fixture.bad.empty, 'inspect', /empty/],
  ['cut.i5bu', () => fixture.bad.truncated, 'inspect', /truncated/],
  ['magic.i5bu', () => fixture.bad.wrongMagic, 'inspect', /not a PostgreSQL custom-format archive/],
  ['slip.zip', () => fixture.bad.zipSlip, 'extract', /unsafe path/],
  ['bomb.zip', () => fixture.bad.zipBomb, 'extract', /ZIP_MAX_RATIO=100.*nothing was unpacked.*zip bomb/],
  ['nothing.zip', () => fixture.bad.zipWithoutI5bu, 'extract', /no \.i5bu/],
];

for (const [name, file, stage, reason] of badCases) {
  test(`a bad backup (${name}) fails in ${stage} and changes nothing`, { skip }, async () => {
    const before = await snapshot(h);
    await upload(name, file());
    const o = await sync(h);
    assert.equal(o.status, 'failed');
    assert.equal(o.failedStage, stage);
    assert.match(o.error ?? '', reason);
    assert.deepEqual(await snapshot(h), before);
    await assertNothingLeft(h);
    const [run] = await h.app.opsStores.runs.recent(STORE, 1);
    assert.equal(run?.status, 'failed');
    assert.match(run?.error ?? '', reason);
  });
}

// What the restore server reads: its pg_restore, or without one the server itself (tokobot's restorer).
const reads = (await programMajor('pg_restore')) ?? (skip ? 0 : await testServerMajor());
const newer = reads >= 17 ? `the restore server reads PostgreSQL ${reads} archives, newer than any format tokobot reads` : undefined;

test('an archive newer than the restore server can read names the version it needs', { skip: skip ?? newer }, async () => {
  const before = await snapshot(h);
  const v116 = path.join(h.dataDir, 'v116.i5bu');
  rewriteArchive(fixture.i5buPath, v116, 16);
  await upload('pg17.i5bu', v116);
  const o = await sync(h);
  assert.equal(o.failedStage, 'inspect');
  assert.match(o.error ?? '', /needs PostgreSQL 17 or newer/);
  assert.deepEqual(await snapshot(h), before);
});

test('Dropbox faults: a download cut off is retried; persistent 500s fail the run with a reason', { skip }, async () => {
  await upload('ok-again.i5bu', fixture.i5buPath); // same bytes as the published file
  h.fake.failNext('download', { cutAfterBytes: 5000 });
  assert.equal((await sync(h)).status, 'no-change');
  const before = await snapshot(h);
  await upload('later.zip', fixture.zipPath);
  h.fake.failNext('download', { status: 500 }, 3);
  const o = await sync(h);
  assert.equal(o.failedStage, 'download');
  assert.match(o.error ?? '', /Dropbox had a server error \(500\)/);
  assert.deepEqual(await snapshot(h), before);
  await assertNothingLeft(h);
});

test('a list that shrank by more than MAX_ROW_DROP is not published', { skip }, async () => {
  await h.app.ops.query('UPDATE published SET row_count = row_count * 2 WHERE store = $1', [STORE]);
  const before = await snapshot(h);
  await upload('shrunk.zip', fixture.zipPath);
  const o = await sync(h);
  assert.equal(o.failedStage, 'validate');
  assert.match(o.error ?? '', /row count fell by 50%/);
  assert.deepEqual(await snapshot(h), before);
  await h.app.ops.query('UPDATE published SET row_count = row_count / 2 WHERE store = $1', [STORE]);
});

test('not enough disk: refused before downloading', { skip }, async () => {
  const before = await snapshot(h);
  const o = await syncStore({ ...h.app.sync, freeSpace: async () => 10 * 1024 * 1024 }, h.store, 'test');
  assert.equal(o.failedStage, 'download');
  assert.match(o.error ?? '', /Not enough disk space .* free, about \d+ MB needed/);
  assert.deepEqual(await snapshot(h), before);
});

test('a second sync of the same store is refused while one runs (even from another process)', { skip }, async () => {
  const release = await h.app.opsStores.locks.tryLock(`sync:${STORE}`);
  try {
    await assert.rejects(sync(h), /already running/);
  } finally {
    await release?.();
  }
});

test('after a crash mid-run: the run is marked failed and its leftovers removed', { skip }, async () => {
  const id = await h.app.opsStores.runs.start(STORE, 'test');
  await h.app.opsStores.runs.update(id, { stage: 'restore' });
  await h.app.target.createDatabase(storeDatabases(STORE).staging);
  const work = path.join(h.dataDir, 'work', STORE);
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, 'half.i5bu.part'), 'x');
  writeFileSync(path.join(h.dataDir, 'exports', STORE, `${STORE}_x.csv.tmp`), 'x');
  const o = await sync(h);
  assert.notEqual(o.status, 'failed', o.error);
  const crashed = (await h.app.opsStores.runs.recent(STORE, 10)).find((r) => r.id === id);
  assert.equal(crashed?.status, 'failed');
  assert.match(crashed?.error ?? '', /interrupted: tokobot stopped during the restore stage/);
  await assertNothingLeft(h);
  assert.ok(readdirSync(path.join(h.dataDir, 'exports', STORE)).every((n) => n.endsWith('.csv')));
});
