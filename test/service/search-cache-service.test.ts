import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startService, type Service } from '../../src/main/service.ts';
import { IndexCache } from '../../src/pipeline/search/index-cache.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';

// tokobot start loads a list as soon as a sync publishes it, and so leaves its search index in
// DATA_DIR for tokobot ask: the first question on the command line after a sync needs no build.

const skip = await requireLocalPg();
const STORE = `sc${process.pid}`;
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let fixture: SharedFixture;

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_OWNERS: '1', SYNC_CRON: '0 0 1 1 *' });
  service = await startService(h.app);
});
after(async () => {
  await service?.stop();
  await h?.close();
  await tg?.close();
});

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await sleep(50)) {
    if (Date.now() > end) throw new Error(`still not: ${what}`);
  }
}

test('a sync in the service leaves the new list\'s index for tokobot ask', { skip }, async () => {
  const file = path.join(h.dataDir, 'search', `${STORE}.index`);
  assert.equal(existsSync(file), false, 'nothing is cached while the store has no list');
  await h.fake.addFile(`${h.folder}/backup.zip`, fixture.zipPath, new Date(Date.UTC(2026, 10, 22)));
  assert.equal((await service.runner.run(h.store, 'cli')).status, 'success');
  await until('the index file is written', () => existsSync(file) && statSync(file).size > 0);

  let itemReads = 0;
  const lists = h.app.opsStores.priceLists;
  const reader = new PriceSearch({
    published: (s) => lists.published(s),
    items: (s) => { itemReads++; return lists.items(s); },
    prices: (s, codes) => lists.prices(s, codes),
  }, { prices: 'per-question', indexCache: new IndexCache(h.dataDir) });
  const row = fixture.expectedRows.find((r) => r.barcode) ?? fixture.expectedRows[0]!;
  const name = row.namaitem.toLowerCase().split(' ').slice(0, 2).join(' ');
  for (const question of [row.kodeitem, row.barcode, name].filter(Boolean)) {
    const cached = await reader.search(STORE, question);
    assert.deepEqual(cached, await new PriceSearch(lists, { prices: 'per-question' }).search(STORE, question), question);
    assert.ok(cached.total > 0, question);
  }
  assert.equal(itemReads, 0, 'the reader took the index the service wrote');
});
