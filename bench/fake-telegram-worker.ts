// The fake Bot API on its own thread for the benchmark, as Telegram's servers are not in the
// bot's process. Times are wall-clock (timeOrigin + now) so both threads can compare them.
import { parentPort } from 'node:worker_threads';
import { FakeTelegram, type TgUser } from '../test/fakes/fake-telegram.ts';

const port = parentPort!;
const tg = await FakeTelegram.start();
const now = () => performance.timeOrigin + performance.now();
tg.onMessage = (m) => port.postMessage({ type: 'sent', chat: m.chat.id, at: now() });
port.on('message', (m: { type: 'say'; user: TgUser; text: string } | { type: 'close' }) => {
  if (m.type === 'say') tg.userSays(m.user, m.text);
  else void tg.close().then(() => port.postMessage({ type: 'closed' }));
});
port.postMessage({ type: 'ready', url: tg.url, token: tg.token });
