import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreDeps } from '../../src/bot/context.ts';
import type { StoreStatus } from '../../src/pipeline/status.ts';
import type { PriceRuleFindings } from '../../src/pipeline/price-rules.ts';
import type { PriceEntry, PriceItem } from '../../src/pipeline/search/price-search.ts';
import { ADMIN, OWNER, press, say, STAFF, testCore, text } from '../helpers/bot-core.ts';

const kg = (jmlsampai: string, hargajual: string): PriceEntry =>
  ({ satuan: 'KG', konversi: '1', barcode: '', level: null, jmlsampai, hargapokok: '11000', hargajual });
const beras: PriceItem = { kodeitem: 'BR1', namaitem: 'BERAS PANDAN WANGI', jenis: null, merek: null, sistemhargajual: 'J', stok: '40.5',
  entries: [kg('0.75', '14000'), kg('2.5', '13500'), kg('9999', '12500')] };
const search: CoreDeps['search'] = {
  search: async (store, query) => ({ store, query, listed: true, exact: true, total: 1, items: [beras] }),
  suggest: async () => [],
  item: async () => beras,
};

test('an item card labels quantity tiers from their real bounds', async () => {
  const { core } = testCore({ search });
  const list = await say(core, OWNER, 'BR1');
  assert.match(text(list), /BERAS PANDAN WANGI — s\/d 0,75 KG Rp 14\.000 \/ s\/d 2,5 KG Rp 13\.500 \/ > 2,5 KG Rp 12\.500/);
  const card = text(await press(core, OWNER, list!.buttons![0]![0]!.data));
  assert.match(card, /\ns\/d 0,75 KG: Rp 14\.000 — pokok Rp 11\.000/);
  assert.match(card, /\ns\/d 2,5 KG: Rp 13\.500/);
  assert.match(card, /\n> 2,5 KG: Rp 12\.500/);
  assert.doesNotMatch(card, /9999|\+/);
});

const findings: PriceRuleFindings = {
  unknownSystem: { items: 7, examples: [{ kodeitem: 'A1', column: 'sistemhargajual', value: 'X' }, { kodeitem: 'B2', column: 'sistemhargajual', value: 'q' }] },
  oddFlags: { items: 1, examples: [{ kodeitem: 'C3', column: 'statushapus', value: 'T' }] },
};
const status = (priceRules: StoreStatus['priceRules']) => async (store: { id: string; name: string }): Promise<StoreStatus> => ({
  store: store.id, name: store.name, freshness: 'OK', newestBackup: null, lastSuccess: null, lastRun: null, lastFailure: null,
  published: null, priceRules,
});

test('/status warns, in Indonesian and English, of items the price rules left out or kept on an odd flag', async () => {
  const { core } = testCore({ status: status(findings) });
  const id = await say(core, STAFF, '/status');
  assert.equal(id?.severity, 'warning');
  assert.match(text(id), /Barang tidak masuk daftar harga karena sistemhargajual bukan O, S, L atau J: 7 \(mis\. A1 'X', B2 'q'\)\. Perbaiki di iPOS\./);
  assert.match(text(id), /Barang dengan statusjual\/statushapus selain Y\/N, tetap masuk daftar harga: 1 \(mis\. C3 statushapus 'T'\)/);
  await say(core, ADMIN, '/lang en');
  const en = await say(core, ADMIN, '/status');
  assert.match(text(en), /Items left out of the price list because their sistemhargajual is not O, S, L or J: 7 \(e\.g\. A1 'X', B2 'q'\)\. Correct them in iPOS\./);
  assert.match(text(en), /Items with a statusjual\/statushapus other than Y\/N, kept in the price list: 1 \(e\.g\. C3 statushapus 'T'\)/);
});

test('/status says nothing of the price rules when they found nothing, or for a list from before they were recorded', async () => {
  for (const priceRules of [{ unknownSystem: { items: 0, examples: [] }, oddFlags: { items: 0, examples: [] } }, null]) {
    const { core } = testCore({ status: status(priceRules) });
    const reply = await say(core, STAFF, '/status');
    assert.equal(reply?.severity, 'info');
    assert.doesNotMatch(text(reply), /sistemhargajual|statushapus/);
  }
});
