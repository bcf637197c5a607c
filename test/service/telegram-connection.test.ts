import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Bot } from 'grammy';
import { TelegramConnection, type TelegramConnectionOptions } from '../../src/main/telegram-connection.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { freePort } from '../helpers/free-port.ts';

/**
 * The bot's background connection against the fake Bot API, without the rest of tokobot: a token
 * Telegram refuses (a setting to fix, not an outage), and webhook mode.
 */
let tg: FakeTelegram;
const lines: { level: string; msg: string }[] = [];
const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (_obj: object, msg: string) => void lines.push({ level, msg })])) as
  unknown as TelegramConnectionOptions['logger'];

before(async () => { tg = await FakeTelegram.start(); });
after(async () => { await tg.close(); });

const connection = (over: Partial<TelegramConnectionOptions> = {}) => new TelegramConnection({
  token: tg.token, apiRoot: tg.url, logger, retry: { firstDelayMs: 50, maxDelayMs: 100 }, setUp: async () => undefined, ...over,
});

test('a token Telegram refuses: "refused" with what to fix, logged once as an error, asked again only minutes later; stop() does not wait for that', async () => {
  lines.length = 0;
  const c = connection({ token: '123456:revoked' });
  c.start(new Bot('123456:revoked', { client: { apiRoot: tg.url } }));
  await tg.until(() => c.state().text !== 'connecting');
  assert.match(c.state().text, /^refused since \d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z: 401 Unauthorized: TELEGRAM_BOT_TOKEN is wrong or revoked \(copy it again from @BotFather\)$/);
  assert.equal(c.state().ready, false);
  assert.deepEqual([c.state().code, c.state().detail], ['refused', '401 Unauthorized: TELEGRAM_BOT_TOKEN is wrong or revoked (copy it again from @BotFather)'], 'the same as data, for the dashboard');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(lines.filter((l) => l.msg === 'telegram: still not connected').length, 0, 'asked again within the unreachable waits (50-100 ms)');
  assert.deepEqual(lines.filter((l) => l.level === 'error').map((l) => l.msg), ['telegram: refused (401 Unauthorized: TELEGRAM_BOT_TOKEN is wrong or revoked (copy it again from @BotFather)); trying again every 5 minutes']);
  const t0 = Date.now();
  await c.stop();
  assert.ok(Date.now() - t0 < 1000, `stop() took ${Date.now() - t0} ms`);
});

test('webhook mode: the local server listens, the webhook is set with a secret, and updates with that secret are taken', async () => {
  lines.length = 0;
  const port = await freePort();
  const bot = new Bot(tg.token, { client: { apiRoot: tg.url } });
  const heard: string[] = [];
  bot.on('message:text', (ctx) => { heard.push(ctx.msg.text); });
  const c = connection({ webhook: { url: 'https://bot.example.com/telegram', port } });
  c.start(bot);
  await tg.until(() => c.state().ready);
  assert.equal(c.state().text, 'webhook');
  assert.equal(c.state().code, 'webhook');
  const set = tg.calls.find((x) => x.method === 'setWebhook');
  assert.equal(set?.payload.url, 'https://bot.example.com/telegram');
  const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false, first_name: 'A' }, text: 'halo' } };
  const post = (secret: string) => fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(update) });
  assert.equal((await post('wrong')).status, 401);
  assert.equal((await post(String(set?.payload.secret_token))).status, 200);
  assert.deepEqual(heard, ['halo']);
  assert.deepEqual(lines.filter((l) => l.level === 'info').map((l) => l.msg), [`telegram: connecting to ${new URL(tg.url).host}`, 'telegram: connected as @tokobot_test_bot (webhook)']);
  await c.stop();
  await assert.rejects(post('x'), /fetch failed/, 'the server is closed');
});

test('long polling asks for inline queries too, and a bot whose inline mode is off is told how to turn it on', async () => {
  for (const inlineMode of [true, false]) {
    lines.length = 0;
    tg.inlineMode = inlineMode;
    const bot = new Bot(tg.token, { client: { apiRoot: tg.url } });
    const heard: string[] = [];
    bot.on('message:text', (ctx) => { heard.push(ctx.msg.text); });
    bot.on('inline_query', (ctx) => { heard.push(`@ ${ctx.inlineQuery.query}`); });
    const c = connection();
    c.start(bot);
    try {
      await tg.until(() => c.state().ready);
      const hint = lines.filter((l) => /inline mode is off/.test(l.msg)).map((l) => l.msg);
      assert.deepEqual(hint, inlineMode ? [] : ['telegram: inline mode is off; for "@tokobot_test_bot gula" in any chat, send /setinline to @BotFather']);
      if (!inlineMode) continue; // Telegram sends such a bot no inline query
      tg.userTypesInline({ id: 7, first_name: 'A' }, 'gula');
      tg.userSays({ id: 7, first_name: 'A' }, 'halo');
      // The runner handles updates concurrently: both arrive, in either order.
      await tg.until(() => heard.includes('halo') && heard.includes('@ gula'));
      assert.deepEqual(heard.sort(), ['@ gula', 'halo']);
    } finally {
      await c.stop();
      tg.inlineMode = true;
    }
  }
});
