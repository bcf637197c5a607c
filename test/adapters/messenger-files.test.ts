import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Api } from 'grammy';
import { EmailMessenger } from '../../src/adapters/email/email-messenger.ts';
import { TelegramMessenger } from '../../src/adapters/telegram/telegram-messenger.ts';
import { WhatsAppMessenger } from '../../src/adapters/whatsapp/whatsapp-messenger.ts';
import type { Message } from '../../src/message.ts';
import { AlertOutbox } from '../../src/pipeline/alerts/alert-outbox.ts';
import type { Recipient } from '../../src/pipeline/alerts/alert-types.ts';
import type { Messenger } from '../../src/pipeline/alerts/ports.ts';
import { memoryAlertStores } from '../fakes/memory-alert-stores.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { FakeWhatsApp } from '../fakes/fake-whatsapp-client.ts';
import { SMTP_PASSWORD, SMTP_USER, SmtpTestServer } from '../helpers/smtp-test-server.ts';
import { sampleFiles } from '../pipeline/reports/report-files.ts';

/** A report's files on each channel: what arrived, byte for byte, and a file that failed after the text went is sent alone later. */
const bytes = (base64: string) => Buffer.from(base64, 'base64');

async function report(): Promise<Message> {
  return { severity: 'info', title: 'Laporan mingguan', lines: ['Toko Pusat: 28 run, 4 gagal'], files: await sampleFiles() };
}

/** An outbox over memory stores with one row for `to` on `messenger`'s channel, on a clock the test moves. */
async function outboxWith(messenger: Messenger, recipient: Recipient, message: Message) {
  let now = new Date('2026-11-30T00:00:00Z');
  const stores = memoryAlertStores();
  await stores.alerts.queueOnce('digest:week:2026-11-23:x', now, [{ alertKey: null, event: 'digest', channel: messenger.channel, recipient: recipient[messenger.channel]!, message }]);
  const outbox = new AlertOutbox({ store: stores.outbox, recipients: [recipient], messengers: { [messenger.channel]: messenger }, clock: () => now, baseDelayMs: 60_000 });
  return { stores, outbox, later: () => { now = new Date(now.getTime() + 3_600_000); } };
}

test('Telegram: the text, then the chart as a photo and the PDF as a document, with their bytes and names', async () => {
  const tg = await FakeTelegram.start();
  try {
    const m = await report();
    await new TelegramMessenger(new Api(tg.token, { apiRoot: tg.url })).send('1001', m);
    const [text, photo, doc] = tg.messages(1001);
    assert.match(text?.text ?? '', /Laporan mingguan[\s\S]*Toko Pusat: 28 run, 4 gagal/);
    assert.deepEqual([photo?.photo?.file_name, photo?.photo?.bytes], ['grafik.png', bytes(m.files![0]!.base64)]);
    assert.deepEqual([doc?.document?.file_name, doc?.document?.bytes], ['laporan.pdf', bytes(m.files![1]!.base64)]);
    assert.deepEqual(tg.calls.map((c) => c.method), ['sendMessage', 'sendPhoto', 'sendDocument']);
  } finally {
    await tg.close();
  }
});

test('Telegram: the PDF refused for now after the text and chart went; the retry sends the PDF alone, the text never twice', async () => {
  const tg = await FakeTelegram.start();
  try {
    const m = await report();
    tg.tooManyRequests('sendDocument', 1);
    const o = await outboxWith(new TelegramMessenger(new Api(tg.token, { apiRoot: tg.url })), { name: 'Bu Sari', telegram: '1001', lang: 'id', severities: ['critical'] }, m);
    assert.deepEqual(await o.outbox.deliver(), { delivered: 0, waiting: 1 });
    assert.deepEqual(o.stores.outbox.rows[0]?.message, { severity: 'info', lines: [], files: [m.files![1]] });
    o.later();
    assert.deepEqual(await o.outbox.deliver(), { delivered: 1, waiting: 0 });
    assert.deepEqual(tg.messages(1001).map((x) => x.text ? 'text' : x.photo ? 'photo' : 'document'), ['text', 'photo', 'document']);
    assert.deepEqual(tg.messages(1001)[2]?.document?.bytes, bytes(m.files![1]!.base64));
  } finally {
    await tg.close();
  }
});

async function linkedWhatsApp() {
  const wa = new FakeWhatsApp();
  const quiet = () => undefined;
  const messenger = new WhatsAppMessenger({ createClient: wa.createClient, logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    backoff: { baseMs: 10, maxMs: 40 }, terminal: { write: quiet } });
  await messenger.start();
  wa.latest.ready();
  for (let i = 0; i < 100 && !messenger.state().ready; i++) await new Promise((r) => setTimeout(r, 5));
  return { wa, messenger };
}

test('WhatsApp: the text, then each file as media (the PDF as a document) with its bytes; a failed upload is sent alone on the retry', async () => {
  const { wa, messenger } = await linkedWhatsApp();
  try {
    const m = await report();
    await messenger.send('6281234567890', m);
    const client = wa.latest;
    assert.equal(client.sent.length, 1);
    assert.deepEqual(client.files.map((f) => [f.chatId, f.type, f.name, f.bytes, f.afterTexts]), [
      ['6281234567890@c.us', 'image/png', 'grafik.png', bytes(m.files![0]!.base64), 1],
      ['6281234567890@c.us', 'application/pdf', 'laporan.pdf', bytes(m.files![1]!.base64), 1]]);

    wa.fileFailures = 1;
    const o = await outboxWith(messenger, { name: 'Bu Sari', whatsapp: '6281234567890', lang: 'id', severities: ['critical'] }, m);
    assert.deepEqual(await o.outbox.deliver(), { delivered: 0, waiting: 1 });
    o.later();
    assert.deepEqual(await o.outbox.deliver(), { delivered: 1, waiting: 0 });
    assert.equal(client.sent.length, 2, 'the text went once more only for the second message, not again on the retry');
    assert.deepEqual(client.files.slice(2).map((f) => f.name), ['grafik.png', 'laporan.pdf']);
  } finally {
    await messenger.stop();
  }
});

test('e-mail: one mail, the chart inline in the HTML (cid) and the PDF attached, with their bytes; a text part too', async () => {
  const smtp = await SmtpTestServer.start();
  const email = new EmailMessenger({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTLS: false, user: SMTP_USER, password: SMTP_PASSWORD, from: 'tokobot@toko.test' },
    timeouts: { connectMs: 2_000, socketMs: 5_000 } });
  try {
    const m = await report();
    await email.send('sari@toko.test', m);
    const [mail] = smtp.received('sari@toko.test');
    assert.ok(mail);
    assert.match(mail.subject ?? '', /Laporan mingguan/);
    assert.match(mail.text ?? '', /Toko Pusat: 28 run, 4 gagal/);
    const png = mail.attachments.find((a) => a.contentType === 'image/png');
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    assert.deepEqual([png?.filename, png?.content], ['grafik.png', bytes(m.files![0]!.base64)]);
    assert.deepEqual([pdf?.filename, pdf?.content, pdf?.contentDisposition], ['laporan.pdf', bytes(m.files![1]!.base64), 'attachment']);
    assert.ok(png?.contentId && (mail.html || '').includes(`cid:${png.contentId.replace(/[<>]/g, '')}`) || (mail.html || '').includes('data:image/png'),
      'the chart is shown in the HTML');
  } finally {
    email.close();
    await smtp.close();
  }
});
