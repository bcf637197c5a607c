import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api } from 'grammy';
import { downloadTelegramFile, type TelegramFileOptions } from '../../src/adapters/telegram/telegram-file.ts';
import { AppError } from '../../src/errors.ts';
import { FakeTelegram, type TgUser } from '../fakes/fake-telegram.ts';

/** Files people send the bot, fetched as the Bot API serves them (getFile, then the file address) from the fake. */
const user: TgUser = { id: 501, first_name: 'Dewi' };
let tg: FakeTelegram;
let api: Api;
let options: TelegramFileOptions;

class TooBig extends Error {
  constructor(readonly bytes: number) { super(`too big: ${bytes}`); }
}

before(async () => {
  tg = await FakeTelegram.start();
  api = new Api(tg.token, { apiRoot: tg.url });
  options = { token: tg.token, apiRoot: tg.url, maxBytes: 1000, tooBig: (bytes) => new TooBig(bytes) };
});
after(() => tg?.close());

test('a file comes back byte for byte through getFile and its file address', async () => {
  const bytes = Buffer.from(Array.from({ length: 900 }, (_, i) => i % 251));
  const id = tg.userSendsDocument(user, { bytes, mime_type: 'image/jpeg', file_name: 'foto.jpg' });
  assert.deepEqual(await downloadTelegramFile(api, id, options), bytes);
  assert.deepEqual(tg.downloads, [id]);
});

test('a file over the limit: refused from getFile\'s size without downloading; one whose size was not announced, from the download\'s', async () => {
  const announced = tg.userSendsDocument(user, { bytes: Buffer.alloc(1001), mime_type: 'image/jpeg', file_name: 'besar.jpg' });
  const downloads = tg.downloads.length;
  await assert.rejects(downloadTelegramFile(api, announced, options), (err) => err instanceof TooBig && err.bytes === 1001);
  assert.equal(tg.downloads.length, downloads, 'not downloaded');
  const unannounced = tg.userSendsDocument(user, { bytes: Buffer.alloc(5000), mime_type: 'image/jpeg', file_name: 'diam.jpg', announce: false });
  await assert.rejects(downloadTelegramFile(api, unannounced, options), (err) => err instanceof TooBig && err.bytes === 5000);
});

test('a failed download says so without the file address (it holds the bot token)', async () => {
  const id = tg.userSendsDocument(user, { bytes: Buffer.from('x'), mime_type: 'image/jpeg', file_name: 'x.jpg' });
  // getFile answers; the file address does not (another token, as from a path Telegram no longer serves).
  const err = await downloadTelegramFile(api, id, { ...options, token: '999:wrong-token' }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof AppError);
  assert.deepEqual([err.kind, err.system], ['unreachable', 'barcode']);
  assert.equal(err.message, 'The photo could not be downloaded from Telegram (HTTP 404); send it again.');
  const down = await FakeTelegram.start({ refusing: true });
  try {
    const refused = await downloadTelegramFile({ getFile: async () => ({ file_id: id, file_unique_id: 'u', file_path: 'documents/x.jpg' }) }, id,
      { ...options, apiRoot: down.url }).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof AppError);
    assert.equal(refused.message, 'The photo could not be downloaded from Telegram (ECONNREFUSED); send it again.');
    assert.ok(!refused.message.includes(tg.token));
  } finally {
    await down.close();
  }
});
