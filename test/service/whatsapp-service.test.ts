import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../src/errors.ts';
import { startService, type Service } from '../../src/main/service.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram, type TgUser } from '../fakes/fake-telegram.ts';
import { FakeWhatsApp } from '../fakes/fake-whatsapp-client.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';

/**
 * `tokobot start` with WhatsApp on (an event-emitting fake client in place of whatsapp-web.js):
 * the QR reaches the owner in Telegram as a picture, alerts reach WhatsApp and Telegram once each
 * and fall back to Telegram while WhatsApp is down, and allowed numbers can ask prices.
 */
const STORE = `wa${process.pid}`;
const owner: TgUser = { id: 5101, first_name: 'Bu Sri' };
const GROUP = -100555;
const ALERT_NUMBER = '6281234567890';
const ASKER = '6281111111111';
const wa = new FakeWhatsApp();
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let fixture: SharedFixture;

before(async () => {
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, {
    TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_OWNERS: String(owner.id), TELEGRAM_ALERT_CHATS: String(GROUP),
    WHATSAPP_ENABLED: 'true', WHATSAPP_ALERT_NUMBERS: `+${ALERT_NUMBER}`, WHATSAPP_ALLOWED_NUMBERS: ASKER, SYNC_CRON: '0 0 1 1 *', STORE_NAME: 'Toko WA',
  });
  await h.fake.addFile(`${h.folder}/backup.zip`, fixture.zipPath, new Date());
  service = await startService(h.app, { alertIntervalMs: 100, whatsappClient: wa.createClient });
  await tg.until(() => service.telegram.state().ready); // Telegram connects in the background
});

after(async () => {
  await service?.stop();
  await h?.close();
  await tg?.close();
});

const waTo = (number: string) => wa.clients.flatMap((c) => c.sent).filter((m) => m.chatId === `${number}@c.us`).map((m) => m.text);
const toGroup = () => tg.messages(GROUP).map((m) => m.text ?? '');

test('the linking QR reaches the owner in Telegram as a picture; then WhatsApp is linked', async () => {
  await tg.until(() => wa.clients.length > 0 && wa.latest.initialized);
  wa.latest.qr();
  const photo = await tg.until(() => tg.messages(owner.id).find((m) => m.photo));
  assert.deepEqual(photo.photo?.bytes.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  assert.match(photo.photo?.caption ?? '', /Perangkat tertaut/);
  assert.equal(service.alerting.messengers.whatsapp?.state().text, 'waiting for QR');
  wa.latest.ready();
  assert.equal(service.alerting.messengers.whatsapp?.state().text, 'linked');
});

test('a failed sync reaches WhatsApp and Telegram once each; "resolved" follows on both', async () => {
  await h.fake.addFile(`${h.folder}/rusak.i5bu`, Buffer.from('not an archive'), new Date(Date.now() + 60_000));
  assert.equal((await syncNow()).status, 'failed');
  await tg.until(() => waTo(ALERT_NUMBER).length >= 1 && toGroup().some((t) => /Sync Toko WA gagal/.test(t)), 20_000);
  assert.match(waTo(ALERT_NUMBER)[0] ?? '', /^⚠️ \*Sync Toko WA gagal\*\nFile backup rusak atau tidak lengkap, jadi tidak dipakai\. .*\nTahap inspect: /);
  h.fake.removeFile(`${h.folder}/rusak.i5bu`);
  assert.equal((await syncNow()).status, 'success');
  await tg.until(() => waTo(ALERT_NUMBER).length >= 2 && toGroup().some((t) => /Pulih/.test(t)), 20_000);
  assert.match(waTo(ALERT_NUMBER)[1] ?? '', /^\*✅ Pulih: sync Toko WA berhasil lagi\*/);
  assert.equal(toGroup().filter((t) => /Sync Toko WA gagal/.test(t)).length, 1, 'one alert');
  assert.equal(toGroup().filter((t) => /Pulih: sync Toko WA berhasil lagi/.test(t)).length, 1, 'one resolved, saying what works again');
});

test('allowed numbers ask prices in WhatsApp and get WhatsApp text; anyone else gets no answer', async () => {
  const word = fixture.expectedRows[0]!.namaitem.split(' ')[0]!.toLowerCase();
  wa.latest.message({ from: `${ASKER}@c.us`, body: word });
  wa.latest.message({ from: '6289999999999@c.us', body: word });
  const answer = await tg.until(() => waTo(ASKER)[0]);
  assert.match(answer, /^\*Toko WA\*\n/);
  assert.match(answer, /Rp \d/);
  assert.doesNotMatch(answer, /<b>|&amp;/);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(waTo('6289999999999'), []);
});

test('WhatsApp is never answered in a group, and never with cost prices (its people are staff at most)', async () => {
  const row = fixture.expectedRows.find((r) => r.barcode && r.hargapokok)!;
  const group = '120363025246125486@g.us';
  // A group message names the group in `from` and the writer in `author` (whatsapp-web.js).
  wa.latest.message({ from: group, author: `${ASKER}@c.us`, body: row.barcode } as Parameters<typeof wa.latest.message>[0]);
  wa.latest.message({ from: `${ASKER}@c.us`, body: '/export' });
  wa.latest.message({ from: `${ASKER}@c.us`, body: row.barcode });
  const answers = await tg.until(() => waTo(ASKER).length >= 3 && waTo(ASKER));
  assert.match(answers.at(-2) ?? '', /hanya untuk owner/);
  assert.match(answers.at(-1) ?? '', /Rp \d/);
  assert.doesNotMatch(answers.join('\n'), /pokok/);
  assert.deepEqual(wa.clients.flatMap((c) => c.sent).filter((m) => m.chatId === group), []);
});

test('while WhatsApp is disconnected, its alerts go through Telegram instead', async () => {
  wa.latest.disconnect('NAVIGATION');
  assert.match(service.alerting.messengers.whatsapp?.state().text ?? '', /^disconnected since \d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z \(NAVIGATION\)$/);
  await h.fake.addFile(`${h.folder}/rusak-lagi.i5bu`, Buffer.from('still not an archive'), new Date(Date.now() + 120_000));
  assert.equal((await syncNow()).status, 'failed');
  const row = await waitFor(async () => (await h.app.ops.query(
    "SELECT via, last_error FROM alert_outbox WHERE channel = 'whatsapp' AND via LIKE 'telegram%'")).rows[0]);
  assert.equal(row.via, `telegram ${GROUP}`);
  assert.match(row.last_error, /^WhatsApp disconnected since .* \(NAVIGATION\)$/);
  assert.equal(waTo(ALERT_NUMBER).length, 2, 'nothing new went to WhatsApp');
});

/**
 * A sync run by the test, once the service's own (one it queued at start, taken late by a loaded
 * machine's job queue) is over: a store syncs once at a time, and a second is refused as busy.
 */
async function syncNow(): ReturnType<Service['runner']['run']> {
  for (let i = 0; ; i++) {
    try {
      return await service.runner.run(h.store, 'test');
    } catch (err) {
      if (!isAppError(err) || err.kind !== 'busy' || i >= 200) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function waitFor<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}
