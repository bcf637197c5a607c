import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startService, type Service } from '../../src/main/service.ts';
import { createLogger } from '../../src/log.ts';
import { FakeTelegram, type TgUser } from '../fakes/fake-telegram.ts';
import { FakeWhatsApp } from '../fakes/fake-whatsapp-client.ts';
import { freePort } from '../helpers/free-port.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';

/**
 * `tokobot start` while the Bot API refuses every connection (nothing listens on its port): the
 * service starts at once, syncs run on schedule, /healthz answers 200 with Telegram down, the log
 * says why (once, not per retry), alerts for the Telegram group and "Telegram unreachable" go out
 * through WhatsApp, and when the Bot API comes up the bot connects, answers and the alert resolves.
 */
const skip = await requireLocalPg();
const STORE = `tgboot${process.pid}`;
const GROUP = -100321;
const WA_NUMBER = '6281234567890';
const owner: TgUser = { id: 6101, first_name: 'Bu Sri' };
/** The waits between tries while Telegram refuses: short, so that the test sees several retries. */
const retry = { firstDelayMs: 100, maxDelayMs: 400 };
const wa = new FakeWhatsApp();
const logLines: { level: number; msg: string }[] = [];
const logger = createLogger('debug', new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as { level: number; msg: string });
    done();
  },
}));
let tg: FakeTelegram;
let h: Harness;
let service: Service | undefined;
let healthz = '';

before(async () => {
  if (skip) return;
  tg = await FakeTelegram.start({ refusing: true });
  h = await startHarness('external', STORE, {
    TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_OWNERS: String(owner.id), TELEGRAM_ALERT_CHATS: String(GROUP),
    WHATSAPP_ENABLED: 'true', WHATSAPP_ALERT_NUMBERS: WA_NUMBER, STORE_NAME: 'Toko Boot', HTTP_PORT: String(await freePort()),
    // Every minute (the job queue's cron counts in minutes): the test sees a scheduled sync run while Telegram is away.
    SYNC_CRON: '* * * * *',
  });
  // Not an archive: each scheduled sync fails at once, and its alert must reach someone.
  await h.fake.addFile(`${h.folder}/rusak.i5bu`, Buffer.from('not an archive'), new Date());
});

after(async () => {
  await service?.stop();
  await h?.close();
  await tg?.close();
});

const app = () => ({ ...h.app, logger });
const waTexts = () => wa.clients.flatMap((c) => c.sent).filter((m) => m.chatId === `${WA_NUMBER}@c.us`).map((m) => m.text);
const logged = (re: RegExp) => logLines.filter((l) => re.test(l.msg));
const getHealthz = async () => {
  const res = await fetch(`http://127.0.0.1:${service?.httpPort}/healthz`);
  healthz = await res.text();
  return { status: res.status, body: JSON.parse(healthz) as { status: string; checks: Record<string, string> } };
};

test('start does not wait for Telegram, and stop() ends a connection still being tried', { skip, timeout: 60_000 }, async () => {
  const quiet = { ...app(), config: { ...h.app.config, sync: { ...h.app.config.sync, cron: '0 0 1 1 *' } } };
  const t0 = Date.now();
  const early = await startService(quiet, { telegramRetry: retry, whatsappClient: wa.createClient });
  const started = Date.now() - t0;
  await tg.until(() => /^unreachable since .* \(ECONNREFUSED\)$/.test(early.telegram.state().text), 10_000);
  const t1 = Date.now();
  await early.stop();
  const stopped = Date.now() - t1;
  assert.ok(started < 5_000, `startService took ${started} ms`);
  assert.ok(stopped < 5_000, `stop() took ${stopped} ms`);
  assert.equal(early.telegram.state().text, 'stopped');
});

test('Telegram refusing at start: syncs, /healthz and WhatsApp alerts go on; the bot connects when the Bot API comes up', { skip, timeout: 180_000 }, async (t) => {
  logLines.length = 0;
  service = await startService(app(), { telegramRetry: retry, whatsappClient: wa.createClient, alertIntervalMs: 100, channelGraceMs: 500 });
  await tg.until(() => wa.clients.length > 0 && wa.latest.initialized);
  wa.latest.ready();

  // Syncs run on their schedule, and the failure's alert reaches WhatsApp (the Telegram group's copy is the same text: not sent twice).
  await tg.until(() => waTexts().some((x) => /Sync Toko Boot gagal/.test(x)), 80_000);
  const scheduled = await h.app.opsStores.runs.recent(STORE, 10);
  assert.ok(scheduled.some((r) => r.trigger === 'schedule' && r.status === 'failed'), JSON.stringify(scheduled.map((r) => [r.trigger, r.status])));

  // /healthz answers, 200: a chat outage is not tokobot down.
  const down = await getHealthz();
  assert.equal(down.status, 200);
  assert.deepEqual([down.body.status, down.body.checks.telegram, down.body.checks.whatsapp, down.body.checks.opsDatabase], ['degraded', 'down', 'ok', 'ok']);

  // "Telegram unreachable" through WhatsApp, once the grace has passed.
  await new Promise((r) => setTimeout(r, 600));
  await service.alerting.monitors.run();
  service.alerting.loop.kick(0);
  const alert = await tg.until(() => waTexts().find((x) => /Telegram tidak bisa dihubungi tokobot/.test(x)), 20_000);
  assert.match(alert, /^❗ \*Telegram tidak bisa dihubungi tokobot\*\nStatus: unreachable since \d+ \w{3} \d{4} \d\d:\d\d WIB \(ECONNREFUSED\)\. Peringatan untuk Telegram dikirim lewat WhatsApp\.\n/);
  assert.match(alert, /HTTPS_PROXY/);

  // The log says what it connects to and why it cannot, once however many tries.
  assert.equal(logged(/^telegram: connecting to 127\.0\.0\.1:\d+$/).length, 1);
  const refused = logged(/^telegram: unreachable \(ECONNREFUSED\)/);
  assert.equal(refused.length, 1, JSON.stringify(logLines.filter((l) => /^telegram/.test(l.msg))));
  assert.match(refused[0]?.msg ?? '', /trying again at least every 0\.4 s; check this server's internet connection; behind a proxy, set HTTP_PROXY; TELEGRAM_API_ROOT is http/);
  assert.ok(logged(/^telegram: still not connected$/).length >= 2, 'retried');
  assert.equal(tg.calls.length, 0, 'nothing reached the Bot API');

  // The Bot API comes up: menus, polling, answers; the alert resolves in Telegram and WhatsApp.
  tg.tooManyRequests('setMyCommands', 1); // the menus are many calls at once: a 429 is waited out, not taken for an outage
  const cameUp = Date.now();
  await tg.comeUp();
  await tg.until(() => service?.telegram.state().ready, 10_000);
  t.diagnostic(`connected ${Date.now() - cameUp} ms after the Bot API came up (waits capped at ${retry.maxDelayMs} ms)`);
  assert.equal(logged(/^telegram: connected as @tokobot_test_bot \(long polling\)$/).length, 1);
  assert.equal(tg.calls.filter((c) => c.method === 'setMyCommands').length, 3, 'the default menu (asked twice: once refused with 429) and the owner\'s');
  assert.equal(logged(/^telegram: (unreachable|refused) \(429/).length, 0);
  tg.userSays(owner, '/whoami');
  await tg.until(() => tg.messages(owner.id).some((m) => /6101/.test(m.text ?? '')), 10_000);
  const up = await getHealthz();
  assert.deepEqual([up.status, up.body.checks.telegram], [200, 'ok']);
  await service.alerting.monitors.run();
  service.alerting.loop.kick(0);
  await tg.until(() => waTexts().some((x) => /Pulih: Telegram tokobot tersambung lagi/.test(x)), 20_000);
  await tg.until(() => tg.messages(GROUP).some((m) => /Pulih: Telegram tokobot tersambung lagi/.test(m.text ?? '')), 20_000);
  assert.equal(waTexts().filter((x) => /^❗ \*Telegram tidak bisa dihubungi/.test(x)).length, 1, 'opened once on WhatsApp');
  assert.equal(tg.messages(GROUP).filter((m) => /^❗ <b>Telegram tidak bisa dihubungi/.test(m.text ?? '')).length, 0, 'the group heard of it through WhatsApp only');
  assert.doesNotMatch(healthz, /127\.0\.0\.1|ECONNREFUSED|polling/, '/healthz says up or down only');
});
