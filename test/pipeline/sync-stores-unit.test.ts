import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChatState } from '../../src/pipeline/chat-state.ts';
import { finishPublication, publishRun } from '../../src/pipeline/publish.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { storeStatus } from '../../src/pipeline/status.ts';
import type { OpsStores } from '../../src/store/index.ts';
import type { Publication } from '../../src/store/price-lists.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';

// The sync side's orchestration over the in-memory stores: no database, milliseconds.

const STORE = { id: 'pusat', name: 'Toko Pusat', schedule: '*/30 * * * *', source: { type: 'folder' as const, dir: '/nowhere' } };
const CSV = 'store,kodeitem,namaitem,jenis,merek,satuan,konversi,barcode,sistemhargajual,level,jmlsampai,hargapokok,hargajual,stok\n' +
  'pusat,A1,SABUN MANDI,UMUM,LUX,PCS,1,"8991",L,,,2500,3000,10\npusat,B2,KOPI BUBUK,UMUM,,PCS,1,"",L,,,,1500,4\n';

async function withRun(fn: (stores: OpsStores, p: Publication) => Promise<void>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-unit-'));
  try {
    const stores = createMemoryStores();
    const csvPath = path.join(dir, 'pusat_20261120_010000.csv');
    writeFileSync(`${csvPath}.tmp`, CSV);
    const runId = await stores.runs.start(STORE.id, 'cli');
    await stores.runs.update(runId, { sourceFile: 'a.i5bu', sourceModified: new Date('2026-11-20T00:00:00Z') });
    await fn(stores, { store: STORE.id, runId, tmpCsvPath: `${csvPath}.tmp`, csvPath, contentHash: 'h1', sourceFile: 'a.i5bu',
      sourceModified: new Date('2026-11-20T00:00:00Z'), archive: {}, rowCount: 2, stages: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a publication commits, then its file takes its final name; status and search see it', () => withRun(async (stores, p) => {
  assert.deepEqual(await publishRun(stores.priceLists, p), { fileInPlace: true });
  assert.ok(existsSync(p.csvPath) && !existsSync(p.tmpCsvPath));
  const status = await storeStatus(stores, STORE, new Date('2026-11-20T05:00:00Z'));
  assert.deepEqual([status.freshness, status.lastRun?.status, status.published?.rows, status.newestBackup?.ageHours], ['OK', 'success', 2, 5]);
  const found = await new PriceSearch(stores.priceLists).search(STORE.id, '8991');
  assert.deepEqual([found.exact, found.items[0]?.kodeitem, found.items[0]?.entries[0]?.hargajual], [true, 'A1', '3000']);
  assert.equal(await finishPublication(stores, STORE.id), null, 'nothing left to finish');
}));

test('after a crash between the commit and the rename, the next run puts the file in place and notes it on the run', () => withRun(async (stores, p) => {
  await stores.priceLists.publish(p); // committed; the process died before the rename
  assert.match(await finishPublication(stores, STORE.id) ?? '', /next run put it there/);
  assert.ok(existsSync(p.csvPath) && !existsSync(p.tmpCsvPath));
  assert.match((await stores.runs.recent(STORE.id, 1))[0]?.note ?? '', /before its price list file was in place/);
}));

test('status says RUNNING while the store\'s sync lock is held, and FAILED after a failed run', async () => {
  const stores = createMemoryStores();
  const release = await stores.locks.tryLock(`sync:${STORE.id}`);
  assert.equal((await storeStatus(stores, STORE)).freshness, 'RUNNING');
  await release?.();
  await stores.runs.update(await stores.runs.start(STORE.id, 'cli'), { stage: 'restore', error: 'boom' }, 'failed');
  const status = await storeStatus(stores, STORE);
  assert.deepEqual([status.freshness, status.lastFailure?.stage, status.lastFailure?.error, status.published], ['FAILED', 'restore', 'boom', null]);
});

test('chat state: a new user speaks Indonesian; moved chats are followed, at most five moves', async () => {
  const chat = new ChatState(createMemoryStores().chats);
  assert.deepEqual(await chat.user(1), { lang: 'id', store: null });
  await chat.setLang(1, 'en');
  assert.equal((await chat.user(1)).lang, 'en', 'a change is seen at once, past the cache');
  for (let id = -1; id > -8; id--) await chat.recordMigration(id, id - 1);
  assert.equal(await chat.currentChatId(-1), -6);
  assert.equal(await chat.currentChatId(-100), -100);
});

test('the terminal chat speaks TOKOBOT_LANG\'s language to a user who chose none, also after they pick a store', async () => {
  const chat = new ChatState(createMemoryStores().chats, 'en');
  assert.deepEqual(await chat.user(1), { lang: 'en', store: null });
  await chat.setStore(1, 'pusat');
  assert.deepEqual(await chat.user(1), { lang: 'en', store: 'pusat' });
  await chat.setLang(1, 'id');
  await chat.setStore(1, 'cabang');
  assert.deepEqual(await chat.user(1), { lang: 'id', store: 'cabang' }, 'a language chosen is kept');
});
