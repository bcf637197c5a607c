import { run } from '@grammyjs/runner';
import { CommandCore } from '../src/bot/core.ts';
import { createTelegramBot } from '../src/bot/telegram/telegram-bot.ts';
import type { Role } from '../src/config/load-config.ts';
import { ChatState } from '../src/pipeline/chat-state.ts';
import { PriceSearch } from '../src/pipeline/search/price-search.ts';
import { Worker } from 'node:worker_threads';
import type { BenchList } from './bench-price-list.ts';
import { percentiles, type LatencyFigures } from './search-bench.ts';

const USERS = 50;
const ROUNDS = 10;
const unused = () => { throw new Error('not used by price questions'); };

/**
 * Message in to reply out through the fake Bot API on the loopback (on its own thread, as
 * Telegram is not in the bot's process): 50 users ask at the same moment, ten rounds a second apart. The bot is the real grammY bot with the real core over the
 * bench list. With `throttle`, Telegram's own limits apply (30 messages a second in all), which
 * alone spreads 50 simultaneous replies over more than a second; without, the bot's own latency.
 */
export async function telegramBench(list: BenchList, throttle: boolean): Promise<LatencyFigures> {
  const worker = new Worker(new URL('./fake-telegram-worker.mjs', import.meta.url));
  const ready = await new Promise<{ url: string; token: string }>((resolve) => worker.once('message', resolve));
  const roles = new Map<number, Role>(Array.from({ length: USERS }, (_, i) => [5000 + i, 'staff']));
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const search = new PriceSearch(list.stores.priceLists);
  const core = new CommandCore({
    stores: [{ id: list.store, name: 'Toko Bench', schedule: '*/30 * * * *', source: { type: 'folder', dir: '/nonexistent' } }], roles, publicMode: false, ownerGroups: new Set(),
    rateLimitPerMinute: 1000, search, barcodes: { read: unused }, chat: new ChatState(list.stores.chats), buttonMemory: list.stores.buttons, logger: silent,
    status: unused, history: unused, runSync: unused, syncInProgress: () => null, cancelRuns: () => [], latestExport: unused, officeStock: unused, lowStock: unused, lowStockWorkbook: unused,
    notifyOwners: async () => undefined, nextSync: () => null, zone: 'Asia/Jakarta',
    backups: { jobs: [], run: unused, progress: () => null, states: async () => [] },
    alerts: { open: async () => [], mute: unused, test: unused, channels: () => [] },
  });
  const bot = createTelegramBot({ token: ready.token, apiRoot: ready.url, core, roles, publicMode: false, ownerGroups: new Set(), logger: silent, onMigrate: async () => undefined, throttle });
  await bot.init();
  await search.warm(list.store); // as tokobot start does before taking updates
  const handle = run(bot);
  const samples: number[] = [];
  const qs = list.questions(USERS * (ROUNDS + 1));
  const now = () => performance.timeOrigin + performance.now();
  try {
    // Round 0 warms up (JIT, word-match cache) and is not counted, as in the search bench.
    for (let round = 0; round <= ROUNDS; round++) {
      const sentAt = new Map<number, number>();
      let pending = USERS;
      const all = new Promise<void>((resolve) => {
        const onSent = (m: { type: string; chat: number; at: number }) => {
          const t0 = sentAt.get(m.chat);
          if (m.type !== 'sent' || t0 === undefined) return;
          if (round > 0) samples.push(m.at - t0);
          sentAt.delete(m.chat);
          if (--pending === 0) { worker.off('message', onSent); resolve(); }
        };
        worker.on('message', onSent);
      });
      for (let u = 0; u < USERS; u++) {
        const id = 5000 + u;
        sentAt.set(id, now());
        worker.postMessage({ type: 'say', user: { id, first_name: `User ${u}` }, text: qs[round * USERS + u] });
      }
      await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error('replies did not all arrive in 30 s')), 30_000).unref())]);
      // People do not ask twice within a second; the throttler would hold a second reply to a chat that long.
      await new Promise((r) => setTimeout(r, 1100));
    }
  } finally {
    await handle.stop();
    worker.postMessage({ type: 'close' });
    await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
  }
  return percentiles(samples);
}
