import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';
import { publishList } from '../helpers/published-list.ts';
import { STAFF, say, testCore, text } from '../helpers/bot-core.ts';

// Before a store's first successful sync a price question is told that there is no list yet,
// not that the item does not exist; once a list is published, a miss is a miss.
test('a price question before the first sync hears "no price list yet", after it "no item matches"', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), `tokobot-no-list-${process.pid}-`));
  try {
    const stores = createMemoryStores();
    const { core } = testCore({ search: new PriceSearch(stores.priceLists), rateLimitPerMinute: 100 });
    const before = await say(core, STAFF, 'indomie goreng');
    assert.equal(text(before), 'Belum ada daftar harga (belum ada sync yang berhasil).');
    assert.equal(before?.severity, 'warning');
    assert.equal(before?.buttons, undefined);
    assert.equal(text(await say(core, STAFF, '/lang en')), 'Language: English.');
    assert.equal(text(await say(core, STAFF, 'indomie goreng')), 'No price list yet (no successful sync).');

    await publishList(stores, 'main', [{ kodeitem: 'G1', namaitem: 'GULA PASIR 1KG', hargajual: '18000' }], dir);
    // The search checks for a new publication at most once a second.
    await new Promise((r) => setTimeout(r, 1_100));
    assert.equal(text(await say(core, STAFF, 'indomie goreng')), 'No item matches "indomie goreng".');
    assert.match(text(await say(core, STAFF, 'gula')), /^GULA PASIR 1KG — PCS Rp 18\.000$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
