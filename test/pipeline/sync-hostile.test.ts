import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { makeHostileArchive, makeShadowingArchive } from '../fixtures/hostile-archive.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { needPgTools } from '../helpers/needs.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { assertCsvMatches, assertNothingLeft, snapshot, sync } from '../helpers/sync-checks.ts';
import { hostMarker, type MarkerPlace } from '../adapters/restore-target-hostile.ts';

/** Backups that carry code, synced end to end against the machine's PostgreSQL: refused, or stopped by the restore role. */
const skip = (await requireLocalPg()) ?? (await needPgTools());
const STORE = `hostile${process.pid}`;
let h: Harness;
let fixture: SharedFixture;
let dir = '';
let where: MarkerPlace;
let clock = Date.UTC(2026, 10, 20, 1, 0, 0);
const upload = (name: string, file: string) => h.fake.addFile(`${h.folder}/${name}`, file, new Date((clock += 3_600_000)));

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  h = await startHarness('external', STORE);
  dir = mkdtempSync(path.join(tmpdir(), 'tokobot-sync-hostile-'));
  where = hostMarker();
  await upload('good.i5bu', fixture.i5buPath);
  const o = await sync(h);
  assert.equal(o.status, 'success', o.error);
  assert.ok(o.durationsMs.analyze !== undefined, 'the analyze stage is recorded');
});
after(async () => {
  await h?.close();
  await where?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A failed run that changed nothing: same live database and published list, nothing left behind, no program run. */
async function assertRefused(file: string, stage: string, reason: RegExp): Promise<void> {
  const before = await snapshot(h);
  await upload(path.basename(file), file);
  const o = await sync(h);
  assert.equal(o.status, 'failed');
  assert.equal(o.failedStage, stage, o.error);
  assert.match(o.error ?? '', reason);
  assert.deepEqual(await snapshot(h), before);
  await assertNothingLeft(h);
  assert.equal(await where.exists(), false, `the backup's shell command ran: ${where.marker} exists`);
  const [run] = await h.app.opsStores.runs.recent(STORE, 1);
  assert.equal(run?.status, 'failed');
}

test('a backup whose function says COPY ... TO PROGRAM is refused at inspect, naming the entry; nothing is restored', { skip }, async () => {
  const file = await makeHostileArchive(dir, `plain${process.pid}`, { marker: where.marker, variant: 'plain' });
  await assertRefused(file, 'inspect', /hostile-plain\.i5bu is refused: .*FUNCTION public\.guard\(integer\): SQL that runs a program on the server .*previous price list stays in use/);
});

test('one that builds the statement at run time gets past inspect, and the restore role stops it: failed, nothing published', { skip }, async () => {
  const file = await makeHostileArchive(dir, `dyn${process.pid}`, { marker: where.marker, variant: 'dynamic' });
  await assertRefused(file, 'restore', /COPY to or from an external program/);
});

test('objects in public named like built-ins (an = on varchar) do not change the exported list', { skip }, async () => {
  const file = await makeShadowingArchive(fixture.i5buPath, dir, `${process.pid}`);
  await upload('shadowing.i5bu', file);
  const o = await sync(h);
  assert.equal(o.status, 'success', o.error);
  assertCsvMatches(o, fixture, STORE);
});
