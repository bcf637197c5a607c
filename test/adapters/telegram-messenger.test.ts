import { Api } from 'grammy';
import { TelegramMessenger } from '../../src/adapters/telegram/telegram-messenger.ts';
import { renderHtml } from '../../src/bot/telegram/render-html.ts';
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
