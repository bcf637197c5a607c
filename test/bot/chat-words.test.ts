import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreDeps } from '../../src/bot/context.ts';
import { chatWordOf } from '../../src/bot/chat-words.ts';
import { item, OWNER, press, say, STAFF, testCore, text } from '../helpers/bot-core.ts';

// Talk is answered as talk, not searched as an item name: "help", "lanjut", "makasih".

/** A store of 25 items and a search that records what it was asked. */
function shop() {
  const asked: { query: string; offset: number }[] = [];
  const items = Array.from({ length: 25 }, (_, i) => ({ ...item, kodeitem: `B${i + 1}`, namaitem: `SABUN NOMOR ${i + 1}` }));
  const search: CoreDeps['search'] = {
    search: async (store, query, o = {}) => {
      asked.push({ query, offset: o.offset ?? 0 });
      const found = /sabun/i.test(query) ? items : [];
      return { store, query, listed: true, exact: false, total: found.length, items: found.slice(o.offset ?? 0, (o.offset ?? 0) + (o.limit ?? 10)) };
    },
    suggest: async () => [], item: async () => item,
  };
  return { asked, ...testCore({ search, rateLimitPerMinute: 1000 }) };
}

test('chat words are told from searches, with or without the polite words around them', () => {
  for (const said of ['help', 'Help!', 'bantuan', 'tolong kak']) assert.equal(chatWordOf(said), 'help', said);
  for (const said of ['lanjut', 'Lanjut dong', 'next', 'berikutnya', 'ok lanjut']) assert.equal(chatWordOf(said), 'next', said);
  for (const said of ['makasih', 'makasih ya kak', 'Terima kasih banyak!', 'thanks', 'thank you', 'tq bos']) assert.equal(chatWordOf(said), 'thanks', said);
  for (const said of ['sabun lifebuoy', 'minyak goreng', 'lanjut sabun', 'help sabun', 'constructor', '', '8991234567890']) assert.equal(chatWordOf(said), null, said);
});

test('"help" and "bantuan" answer with help, not a search for an item called help', async () => {
  const { core, asked } = shop();
  const help = text(await say(core, STAFF, '/help'));
  for (const said of ['help', 'bantuan', 'Help?']) assert.equal(text(await say(core, STAFF, said)), help, said);
  assert.equal(asked.length, 0);
});

test('"makasih" gets a short friendly answer in the person\'s language, and no search', async () => {
  const { core, asked } = shop();
  assert.equal(text(await say(core, STAFF, 'makasih ya kak')), 'Sama-sama! Ketik nama barang, kode atau barcode kapan saja.');
  await say(core, STAFF, '/lang en');
  assert.equal(text(await say(core, STAFF, 'thanks')), 'You\'re welcome! Type an item name, code or barcode any time.');
  assert.equal(asked.length, 0);
});

test('"lanjut" shows the next page of the person\'s last search, until the last page; with none before, it says so', async () => {
  const { core, asked } = shop();
  assert.equal(text(await say(core, STAFF, 'lanjut')), 'Belum ada hasil pencarian untuk dilanjutkan. Ketik nama barang, kode atau barcode.');
  assert.equal(asked.length, 0, 'not searched for "lanjut"');
  assert.match(text(await say(core, STAFF, 'sabun')), /1–10 dari 25/);
  assert.match(text(await say(core, STAFF, 'lanjut')), /SABUN NOMOR 11 .*\n[^]*11–20 dari 25/);
  assert.match(text(await say(core, STAFF, 'next')), /21–25 dari 25/);
  assert.equal(text(await say(core, STAFF, 'lanjut')), 'Itu halaman terakhir: semua 25 barang sudah ditampilkan.');
  assert.deepEqual(asked.map((a) => a.offset), [0, 10, 20]);
  assert.ok(asked.every((a) => a.query === 'sabun'));
});

test('"lanjut" goes on from the page a button turned to; another person\'s search is not theirs; a search that found nothing is not continued', async () => {
  const { core, asked } = shop();
  const first = await say(core, STAFF, 'sabun');
  const forward = first!.buttons!.at(-1)!.find((b) => b.text === '▶')!;
  assert.match(text(await press(core, STAFF, forward.data)), /11–20 dari 25/);
  assert.match(text(await say(core, STAFF, 'lanjut')), /21–25 dari 25/);
  assert.match(text(await say(core, OWNER, 'lanjut')), /Belum ada hasil pencarian/);
  await say(core, STAFF, 'aqua');
  assert.match(text(await say(core, STAFF, 'lanjut')), /halaman terakhir/, 'still the sabun search, at its last page');
  assert.deepEqual(asked.map((a) => `${a.query}@${a.offset}`), ['sabun@0', 'sabun@10', 'sabun@20', 'aqua@0']);
});
