import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { assertCsvMatches, assertNothingLeft, snapshot, sync } from '../helpers/sync-checks.ts';

const skip = await dockerSkipReason(new Docker());
const STORE = `dock${process.pid}`;
let h: Harness;
let fixture: SharedFixture;

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  h = await startHarness('docker', STORE);
});
after(async () => { await h?.close(); });

test('sync through the fake Dropbox into a PostgreSQL container that tokobot created', { skip }, async () => {
  const container = await new Docker().getContainer(h.env.PG_DOCKER_CONTAINER as string).inspect();
  assert.equal(container.State.Running, true);
  await h.fake.addFile(`${h.folder}/backup.zip`, fixture.zipPath, new Date(Date.UTC(2026, 10, 22)));
  const o = await sync(h);
  assert.equal(o.status, 'success', o.error);
  assertCsvMatches(o, fixture, STORE);
  const items = await h.query(storeDatabases(STORE).live, 'SELECT count(*)::int AS n FROM tbl_item');
  assert.equal(items.rows[0].n, fixture.data.tables.tbl_item.length);
  assert.equal((await sync(h)).status, 'no-change');
});

test('a truncated backup fails in the container target too and changes nothing', { skip }, async () => {
  const before = await snapshot(h);
  await h.fake.addFile(`${h.folder}/cut.i5bu`, fixture.bad.truncated, new Date(Date.UTC(2026, 10, 23)));
  const o = await sync(h);
  assert.equal(o.failedStage, 'inspect');
  assert.deepEqual(await snapshot(h), before);
  await assertNothingLeft(h);
});
