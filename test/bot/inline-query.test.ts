import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Bot } from 'grammy';
import { createTelegramBot } from '../../src/bot/telegram/telegram-bot.ts';
import { INLINE_CACHE_SECONDS, INLINE_PER_MINUTE, INLINE_RESULTS } from '../../src/bot/inline-replies.ts';
import type { Role } from '../../src/config/load-config.ts';
import { ChatState } from '../../src/pipeline/chat-state.ts';
import { PriceSearch } from '../../src/pipeline/search/price-search.ts';
import { createMemoryStores } from '../fakes/memory-stores.ts';
import { FakeTelegram, readTelegramHtml, type InlineAnswer, type TgUser } from '../fakes/fake-telegram.ts';
import { ADMIN, OWNER, STAFF, STRANGER, testCore } from '../helpers/bot-core.ts';
import { publishList, type ListRow } from '../helpers/published-list.ts';

/**
 * Inline mode (`@bot gula` in any chat) through the fake Bot API and the real grammY bot, over
 * published lists of two stores: the configured people get items with prices and never cost;
 * strangers get an empty answer and cost no search, public mode or not.
 */
const stores = [
  { id: 'main', name: 'Toko Utama', schedule: '*/30 * * * *', source: { type: 'folder' as const, dir: '/x' } },
  { id: 'cabang', name: 'Toko Cabang', schedule: '*/30 * * * *', source: { type: 'folder' as const, dir: '/y' } },
];
// Costs are odd amounts no selling price has, so any of them in an answer is a leak.
const mainRows: ListRow[] = [
  { kodeitem: 'G1', namaitem: 'GULA PASIR 1KG', hargajual: '18000', hargapokok: '16370' },
  { kodeitem: 'G2', namaitem: 'GULA MERAH 500G', hargajual: '9000', hargapokok: '7130', satuan: 'BKS' },
  // More gula than one answer holds.
  ...Array.from({ length: 12 }, (_, i) => ({ kodeitem: `GA${i}`, namaitem: `GULA AREN ${i + 1}`, hargajual: String(20_000 + i * 500), hargapokok: String(17_010 + i) })),
  { kodeitem: 'K1', namaitem: 'KOPI KAPAL API 165G', hargajual: '15000', hargapokok: '13370' },
];
const costs = mainRows.map((r) => r.hargapokok!);
const cabangRows: ListRow[] = [{ kodeitem: 'G1', namaitem: 'GULA PASIR 1KG', hargajual: '18500', hargapokok: '16910' }];
const user = (id: number): TgUser => ({ id, first_name: `user ${id}` });

let dir: string;
let world: ReturnType<typeof createMemoryStores>;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), `tokobot-i-inline-${process.pid}-`));
  world = createMemoryStores();
  await publishList(world, 'main', mainRows, dir);
  await publishList(world, 'cabang', cabangRows, dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The bot over the published lists, with every search and every read of a chat user counted. */
async function start(options: { publicMode?: boolean; failing?: boolean } = {}) {
  const tg = await FakeTelegram.start();
  const search = new PriceSearch(world.priceLists);
  const counted = { searches: [] as string[], userReads: 0 };
  const chat = new ChatState(world.chats);
  const { core, tick, logged } = testCore({
    stores, publicMode: options.publicMode ?? false, rateLimitPerMinute: 100,
    search: { search: async (store, query, o) => {
      counted.searches.push(`${store}:${query}`);
      if (options.failing) throw new Error('the price list could not be read');
      return search.search(store, query, o);
    },
      suggest: (s, q) => search.suggest(s, q), item: (s, k) => search.item(s, k) },
    chat: { user: (id) => { counted.userReads++; return chat.user(id); }, setLang: (id, l) => chat.setLang(id, l), setStore: (id, s) => chat.setStore(id, s),
      firstSightOfStranger: (id, name) => chat.firstSightOfStranger(id, name) },
  });
  const bot: Bot = createTelegramBot({ token: tg.token, apiRoot: tg.url, core, roles: new Map<number, Role>([[OWNER, 'owner'], [ADMIN, 'admin'], [STAFF, 'staff']]),
    publicMode: options.publicMode ?? false, ownerGroups: new Set(), onMigrate: async () => undefined, logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    botInfo: { id: 42, is_bot: true, first_name: 'Tokobot', username: 'tokobot_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true,
      can_connect_to_business: false, has_main_web_app: false } as never, throttle: false });
  const polling = bot.start({ timeout: 1 });
  /** `id` types "@tokobot_test_bot `query`" in a group; resolves with the bot's answer. */
  const inline = async (id: number, query: string): Promise<InlineAnswer> => {
    const qid = tg.userTypesInline(user(id), query, 'supergroup');
    return tg.until(() => tg.inlineAnswers.get(qid));
  };
  const stop = async () => { await bot.stop(); await polling; await tg.close(); };
  return { tg, inline, counted, tick, logged, stop };
}

/** What a person sees of a picked result once sent: the message text as Telegram shows it. */
function shown(answer: InlineAnswer, title: string): string {
  const message = answer.results.find((r) => r.title === title)?.input_message_content;
  assert.ok(message, `no result "${title}" in ${answer.results.map((r) => r.title).join(', ')}`);
  assert.equal(message.parse_mode, 'HTML');
  const read = readTelegramHtml(message.message_text);
  assert.ok(!('error' in read));
  assert.ok(read.bold.includes(title), 'the name is bold');
  return read.text;
}

test('staff, admins and owners get their store\'s items with prices, never cost; the picked message is the name and its unit prices', async () => {
  const bot = await start();
  try {
    for (const id of [STAFF, ADMIN, OWNER]) {
      const answer = await bot.inline(id, 'gula pasir');
      assert.equal(answer.is_personal, true, 'Telegram must keep each person\'s answer to them');
      assert.equal(answer.cache_time, INLINE_CACHE_SECONDS);
      assert.equal(answer.from, id);
      const gula = answer.results.find((r) => r.title === 'GULA PASIR 1KG');
      assert.equal(gula?.type, 'article');
      assert.equal(gula?.description, 'PCS Rp 18.000');
      assert.equal(shown(answer, 'GULA PASIR 1KG'), 'GULA PASIR 1KG\nPCS Rp 18.000');
      const everything = JSON.stringify(answer);
      for (const cost of costs) assert.ok(!everything.includes(cost) && !everything.includes(Number(cost).toLocaleString('id-ID')), `cost ${cost} in the answer to ${id}`);
      assert.doesNotMatch(everything, /pokok|%/);
    }
    const many = await bot.inline(STAFF, 'gula');
    assert.equal(many.results.length, INLINE_RESULTS, 'no more results than one answer holds');
    assert.equal(new Set(many.results.map((r) => r.id)).size, INLINE_RESULTS);
    assert.equal(shown(await bot.inline(STAFF, 'gula merah'), 'GULA MERAH 500G'), 'GULA MERAH 500G\nBKS Rp 9.000');
    assert.ok(!many.results.some((r) => r.title?.startsWith('KOPI')));
  } finally {
    await bot.stop();
  }
});

test('a stranger gets an empty personal answer and costs no search, in public mode too; a flood is answered only up to the limit', async () => {
  for (const publicMode of [false, true]) {
    const bot = await start({ publicMode });
    try {
      const answer = await bot.inline(STRANGER, 'gula');
      assert.deepEqual(answer.results, []);
      assert.equal(answer.is_personal, true, 'never a cached answer of someone else');
      assert.deepEqual([bot.counted.searches, bot.counted.userReads], [[], 0], 'a stranger\'s query reads nothing');
      // The same query of staff after it: Telegram's cache is per person, so staff get results.
      assert.ok((await bot.inline(STAFF, 'gula')).results.length > 0, `publicMode ${publicMode}`);
    } finally {
      await bot.stop();
    }
  }
  const bot = await start();
  try {
    const flood = Array.from({ length: INLINE_PER_MINUTE + 20 }, (_, i) => bot.tg.userTypesInline(user(STRANGER), `gula ${i}`));
    // Updates are handled in order: once a later query of staff is answered, the flood was handled.
    await bot.inline(STAFF, 'kopi');
    const answered = flood.filter((id) => bot.tg.inlineAnswers.has(id));
    assert.equal(answered.length, INLINE_PER_MINUTE, 'the rest of the flood gets no call to Telegram at all');
    assert.deepEqual(bot.counted.searches, ['main:kopi']);
  } finally {
    await bot.stop();
  }
});

test('the same query again within the cache time is not searched again; after it, or from someone else, it is', async () => {
  const bot = await start();
  try {
    const first = await bot.inline(STAFF, 'kopi');
    assert.deepEqual(bot.counted.searches, ['main:kopi']);
    const again = await bot.inline(STAFF, ' KOPI ');
    assert.deepEqual(again.results, first.results, 'the same items from the cache');
    assert.deepEqual(bot.counted.searches, ['main:kopi'], 'typed again (any case, spaces) within the cache time: no search');
    await bot.inline(ADMIN, 'kopi');
    assert.deepEqual(bot.counted.searches, ['main:kopi', 'main:kopi'], 'kept per person');
    bot.tick(INLINE_CACHE_SECONDS * 1000);
    await bot.inline(STAFF, 'kopi');
    assert.equal(bot.counted.searches.length, 3, 'searched again once the cache time passed');
    const empty = await bot.inline(STAFF, '   ');
    assert.deepEqual(empty.results, []);
    assert.equal(bot.counted.searches.length, 3, 'nothing typed: nothing searched');
  } finally {
    await bot.stop();
  }
});

test('results come from the store the person chose with /toko', async () => {
  const bot = await start();
  try {
    bot.tg.userSays(user(STAFF), '/toko cabang');
    await bot.tg.until(() => bot.tg.messages(STAFF).length > 0);
    const answer = await bot.inline(STAFF, 'gula');
    assert.deepEqual(answer.results.map((r) => r.title), ['GULA PASIR 1KG'], 'only the chosen store\'s list');
    assert.equal(shown(answer, 'GULA PASIR 1KG'), 'GULA PASIR 1KG\nPCS Rp 18.500');
    assert.deepEqual(bot.counted.searches, ['cabang:gula']);
    // Another person still asks the first store.
    assert.equal((await bot.inline(OWNER, 'gula')).results.length, INLINE_RESULTS);
  } finally {
    await bot.stop();
  }
});

test('a search that fails: an empty answer Telegram must not keep, the error logged, and the next query searches again', async () => {
  const bot = await start({ failing: true });
  try {
    const answer = await bot.inline(STAFF, 'gula');
    assert.deepEqual([answer.results, answer.cache_time, answer.is_personal], [[], 0, true]);
    assert.match(String((bot.logged[0] as { err: Error }).err), /could not be read/);
    await bot.inline(STAFF, 'gula');
    assert.equal(bot.counted.searches.length, 2, 'a failure is not kept');
  } finally {
    await bot.stop();
  }
});
