import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Api } from 'grammy';
import { TelegramMessenger } from '../../src/adapters/telegram/telegram-messenger.ts';
import { renderHtml } from '../../src/bot/telegram/render-html.ts';
import { isAppError } from '../../src/errors.ts';
import { FakeTelegram, readTelegramHtml } from '../fakes/fake-telegram.ts';
import { messengerContract } from './messenger-contract.ts';

const BLOCKED = 1999;

/** TelegramMessenger through grammY against the fake Bot API: what Telegram stored, read as Telegram reads its HTML. */
messengerContract('Telegram', async () => {
  const tg = await FakeTelegram.start();
  tg.blocked.add(BLOCKED);
  const messenger = new TelegramMessenger(new Api(tg.token, { apiRoot: tg.url }));
  return {
    messenger, recipient: '1001', other: '1002', refused: String(BLOCKED),
    received: (to) => tg.messages(Number(to)).map((msg) => {
      const raw = msg.text ?? '';
      const html = readTelegramHtml(raw);
      if ('error' in html) throw new Error(`stored a text Telegram refuses: ${html.error}`);
      return { raw, ...html };
    }),
    down: () => { tg.outage(60_000); },
    up: () => tg.endOutage(),
    close: () => tg.close(),
  };
}, (m) => renderHtml(m).text);

test('while the bot is not connected: the connection\'s state, and a send refused at once (retryable) without a call to Telegram', async () => {
  const tg = await FakeTelegram.start();
  try {
    const link = { state: () => ({ ready: false, text: 'unreachable since 2026-11-23 02:00 UTC (ECONNREFUSED)' }) };
    const messenger = new TelegramMessenger(new Api(tg.token, { apiRoot: tg.url }), undefined, link);
    assert.deepEqual(messenger.state(), link.state());
    const t0 = Date.now();
    const err = await messenger.send('1001', { severity: 'info', lines: ['Tes'] }).then(() => assert.fail('sent'), (e: unknown) => e);
    assert.ok(isAppError(err) && err.kind === 'unreachable' && err.system === 'telegram' && err.retryable, String(err));
    assert.match(err.message, /not connected \(unreachable since .*\(ECONNREFUSED\)\)/);
    assert.ok(Date.now() - t0 < 1000);
    assert.deepEqual(tg.calls, []);
    link.state = () => ({ ready: true, text: 'long polling' });
    await messenger.send('1001', { severity: 'info', lines: ['Tes'] });
    assert.deepEqual([messenger.state(), tg.messages(1001).length], [{ ready: true, text: 'ready', code: 'ready' }, 1]);
  } finally {
    await tg.close();
  }
});
