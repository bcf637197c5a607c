import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTelegramBot } from '../../src/bot/telegram/telegram-bot.ts';
import { WhatsAppMessenger } from '../../src/adapters/whatsapp/whatsapp-messenger.ts';
import type { Role } from '../../src/config/load-config.ts';
import { gatherDigest } from '../../src/pipeline/reports/gather-digest.ts';
import { digestPeriod } from '../../src/pipeline/reports/digest-period.ts';
import type { DigestPeriod } from '../../src/pipeline/reports/digest.ts';
import type { Lang } from '../../src/i18n/lang.ts';
import { MemoryBackupLog } from '../fakes/memory-backup-log.ts';
import { memoryAlertStores } from '../fakes/memory-alert-stores.ts';
import { MemorySyncRunLog } from '../fakes/memory-stores.ts';
import { FakeTelegram, readTelegramHtml, type TgUser } from '../fakes/fake-telegram.ts';
import { FakeWhatsApp } from '../fakes/fake-whatsapp-client.ts';
import { ADMIN, OWNER, STAFF, testCore } from '../helpers/bot-core.ts';
import { testRenderer } from '../pipeline/reports/report-files.ts';

/** /report through the fake Bot API: the text, then the chart as a photo and the PDF as a document; admins and owners only. */
const HOUR = 3_600_000;

/** A report over memory stores: store main synced every 6 hours for the last 10 days, every fourth sync failed. */
async function reportDeps() {
  const now = Date.now();
  let at = new Date(now - 10 * 24 * HOUR);
  const runs = new MemorySyncRunLog(() => at);
  const made: { at: number; failed: boolean }[] = [];
  for (let i = 0; at.getTime() < now - HOUR; i++) {
    made.push({ at: at.getTime(), failed: i % 4 === 3 });
    const id = await runs.start('main', 'schedule');
    await runs.update(id, {}, i % 4 === 3 ? 'failed' : 'success');
    at = new Date(at.getTime() + 6 * HOUR);
  }
  const renderer = testRenderer();
  const stores = [{ id: 'main', name: 'Toko Utama', schedule: '0 */6 * * *', source: { type: 'folder' as const, dir: '/x' } }];
  const report = async (period: DigestPeriod, lang: Lang) => {
    const window = digestPeriod(period, new Date(), 'Asia/Jakarta', true);
    return renderer.render(await gatherDigest({ backupLog: new MemoryBackupLog(), syncRuns: runs, alerts: memoryAlertStores().alerts, stores, jobs: [],
      dataDir: '/x', diskMinFreeMb: 1, freeSpace: async () => 5e9, timeZone: 'Asia/Jakarta', clock: () => new Date() }, { period, ...window, stores: null }), lang);
  };
  /** What a report of the last `hours` should count, from the runs made. */
  const expected = (hours: number) => {
    const within = made.filter((r) => r.at >= Date.now() - hours * HOUR);
    return `main: ${within.length}/${within.filter((r) => r.failed).length}`;
  };
  return { report, renderer, expected };
}

test('/report week in Telegram: the report, its chart and its PDF to an owner; /laporan hari the last day; staff are refused', async () => {
  const tg = await FakeTelegram.start();
  const { report, renderer, expected } = await reportDeps();
  const { core } = testCore({ report, rateLimitPerMinute: 100 });
  const bot = createTelegramBot({ token: tg.token, apiRoot: tg.url, core, roles: new Map<number, Role>([[OWNER, 'owner'], [ADMIN, 'admin'], [STAFF, 'staff']]),
    publicMode: false, ownerGroups: new Set(), onMigrate: async () => undefined, logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    botInfo: { id: 42, is_bot: true, first_name: 'Tokobot', username: 'tokobot_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
      can_connect_to_business: false, has_main_web_app: false } as never, throttle: false });
  const polling = bot.start({ timeout: 1 });
  const user = (id: number): TgUser => ({ id, first_name: `user ${id}` });
  try {
    tg.userSays(user(OWNER), '/report week');
    const sent = await tg.until(() => tg.messages(OWNER).length >= 3 && tg.messages(OWNER));
    const shown = readTelegramHtml(sent[0]!.text ?? '');
    assert.ok(!('error' in shown));
    assert.match(shown.text, new RegExp(`Laporan week\n${expected(7 * 24)}$`));
    assert.ok(/main: 2[78]\/7/.test(expected(7 * 24)), 'a week of syncs every 6 hours, every fourth failed');
    const files = (await renderer.render(renderer.calls[0]!.digest, 'id')).files!;
    assert.deepEqual([sent[1]!.photo?.file_name, sent[1]!.photo?.bytes], ['grafik.png', Buffer.from(files[0]!.base64, 'base64')]);
    assert.deepEqual([sent[2]!.document?.file_name, sent[2]!.document?.bytes], ['laporan.pdf', Buffer.from(files[1]!.base64, 'base64')]);

    tg.userSays(user(ADMIN), '/laporan hari');
    const day = await tg.until(() => tg.messages(ADMIN).length >= 3 && tg.messages(ADMIN));
    assert.match(day[0]!.text ?? '', new RegExp(`${expected(24)}$`));
    assert.equal(renderer.calls.at(-1)?.digest.period, 'day');

    tg.userSays(user(ADMIN), '/report bulan');
    const usage = await tg.until(() => tg.messages(ADMIN).length >= 4 && tg.messages(ADMIN)[3]);
    assert.match(usage.text ?? '', /\/laporan hari.*\/laporan minggu/);

    tg.userSays(user(STAFF), '/report');
    const refused = await tg.until(() => tg.messages(STAFF).at(-1));
    assert.equal(tg.messages(STAFF).length, 1);
    assert.ok(!refused.photo && !refused.document);
    assert.doesNotMatch(refused.text ?? '', /main:/);
  } finally {
    await bot.stop();
    await polling;
    await tg.close();
  }
});

test('a WhatsApp answer with files: the text, then each file', async () => {
  const wa = new FakeWhatsApp();
  const quiet = () => undefined;
  const messenger = new WhatsAppMessenger({ createClient: wa.createClient, logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    backoff: { baseMs: 10, maxMs: 40 }, terminal: { write: quiet } });
  const { report, expected } = await reportDeps();
  messenger.onMessage(async () => {
    const r = await report('week', 'en');
    return { text: r.lines.join('\n'), files: r.files! };
  });
  await messenger.start();
  wa.latest.ready();
  try {
    wa.latest.message({ from: '6281234567890@c.us', body: '/report' });
    await new Promise<void>((resolve, reject) => {
      const end = Date.now() + 5_000;
      const look = () => (wa.latest.files.length >= 2 ? resolve() : Date.now() > end ? reject(new Error('no files')) : setTimeout(look, 10));
      look();
    });
    assert.equal(wa.latest.sent[0]!.text, expected(7 * 24));
    assert.deepEqual(wa.latest.files.map((f) => [f.chatId, f.name, f.afterTexts]), [['6281234567890@c.us', 'grafik.png', 1], ['6281234567890@c.us', 'laporan.pdf', 1]]);
  } finally {
    await messenger.stop();
  }
});
