import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startService, type Service } from '../../src/main/service.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { until } from '../helpers/until.ts';

// tokobot start with SYNC_WATCH on (the default) and a schedule that does not come during the
// test: a backup landing in the fake Dropbox is synced and answers without the cron.

const skip = await requireLocalPg();
const STORE = `sw${process.pid}`;
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let fixture: SharedFixture;
const finished: string[] = [];
let stopped = false;

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_OWNERS: '1', SYNC_CRON: '0 0 1 1 *' });
  await h.fake.addFile(`${h.folder}/readme.txt`, Buffer.from('the folder exists before the service starts'));
  // Real longpoll timeouts (480 s): only a change can answer one within the test.
  service = await startService(h.app, { syncWatch: { settleMs: 300, errorWaitMs: { first: 50, most: 500 } } });
  service.runner.onFinished((outcome) => void finished.push(outcome.status));
});
after(async () => {
  if (!stopped) await service?.stop();
  await h?.close();
  await tg?.close();
});

test('a new backup in Dropbox is synced and its prices answer without waiting for the cron', { skip }, async (t) => {
  await until('the watch waits on the folder', () => h.fake.pendingLongpolls() === 1, 10_000);
  const landed = Date.now();
  await h.fake.addFile(`${h.folder}/backup.zip`, fixture.zipPath, new Date(Date.UTC(2026, 10, 22)));
  await until('the list is published', async () => (await h.app.opsStores.priceLists.published(STORE)) !== null, 60_000);
  const published = Date.now() - landed;
  const row = fixture.expectedRows[0]!;
  const found = await new PriceSearch(h.app.opsStores.priceLists, { prices: 'per-question' }).search(STORE, row.kodeitem);
  assert.ok(found.total > 0, 'the new list answers');
  t.diagnostic(`file landing → list published: ${published} ms (settle wait 300 ms; the cron alone: up to 30 min)`);
  const runs = await h.app.opsStores.runs.recent(STORE, 5);
  assert.deepEqual(runs.map((r) => r.trigger), ['watch'], 'one sync, started by the watch');
  await until('the run is finished', () => finished.length === 1);
  assert.deepEqual(finished, ['success']);
});

test('two backups landing together make one more sync; a stop aborts the pending longpoll', { skip }, async () => {
  await until('the watch waits again', () => h.fake.pendingLongpolls() === 1, 10_000);
  await h.fake.addFile(`${h.folder}/backup-2.zip`, fixture.zipPath);
  await h.fake.addFile(`${h.folder}/backup-3.i5bu`, fixture.zipPath);
  await until('one more sync', () => finished.length === 2, 60_000);
  await until('the watch waits again', () => h.fake.pendingLongpolls() === 1, 10_000);
  assert.deepEqual(finished, ['success', 'no-change'], 'one sync for both files (same content as the list published)');
  const started = Date.now();
  stopped = true;
  await service.stop();
  await until('the fake sees the longpoll end', () => h.fake.pendingLongpolls() === 0, 2_000);
  assert.ok(Date.now() - started < 5_000, `stopped in ${Date.now() - started} ms`);
});
