import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startService, type Service } from '../../src/main/service.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { sync } from '../helpers/sync-checks.ts';
import { freePort } from '../helpers/free-port.ts';
import { freshBackup } from '../helpers/fresh-backup.ts';
import { linkFromBot as linkOf, openBrowser, screenshot, skipWithoutChromium as skip, type Browsing } from '../helpers/web-browser.ts';

/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core, which downloads
 * no browser): `tokobot start` with WEB_PORT, the owner sends /web through the fake Bot API, and
 * the link the bot answered is opened on a PC-sized and a phone-sized screen.
 */
const STORE = `web${process.pid}`;
const OWNER = { id: 700100200, first_name: 'Ibu Sari' };
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let browsing: Browsing;

before(async () => {
  if (skip) return;
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, WEB_PORT: String(await freePort()),
    SYNC_CRON: '0 0 1 1 *', TELEGRAM_OWNERS: String(OWNER.id) });
  const dumpedAt = new Date(Date.now() - 3 * 3_600_000);
  await h.fake.addFile(`${h.folder}/backup.zip`, await freshBackup(fixture.i5buPath, path.join(h.dataDir, 'backup.zip'), 'Asia/Jakarta', dumpedAt), dumpedAt);
  assert.equal((await sync(h)).status, 'success');
  service = await startService(h.app);
  await tg.until(() => service.telegram.state().ready);
  browsing = await openBrowser('web');
});

after(async () => {
  await browsing?.close();
  await service?.stop();
  await h?.close();
  await tg?.close();
});

/** Sends /web as the owner and returns the link from the bot's answer. */
async function linkFromBot(): Promise<string> {
  const link = await linkOf(tg, OWNER);
  assert.equal(new URL(link).port, String(service.webPort));
  return link;
}

test('sign in through the link the bot sent, see the store card on a PC and on a phone; the link works once', { skip, timeout: 120_000 }, async (t) => {
  const pc = await browsing.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await pc.newPage();
  const link = await linkFromBot();
  await page.goto(link);
  assert.equal(new URL(page.url()).pathname, '/', 'redirected to the overview');
  const card = page.locator(`[data-card="${STORE}"]`);
  assert.equal(await card.locator('h2').textContent(), `Toko ${STORE}`);
  assert.equal(await card.locator('.state').textContent(), 'OK');
  assert.match(await card.textContent() ?? '', /Backup terbaru.*backup\.zip.*\(3 jam lalu\)/s);
  assert.match(await card.textContent() ?? '', /Sync terakhir yang berhasil.*WIB · [\d.]+ baris/s);
  const cookie = (await pc.cookies()).find((c) => c.name === 'tokobot_session');
  assert.equal(cookie?.httpOnly, true);
  assert.equal(cookie?.sameSite, 'Lax');
  await screenshot(page, browsing.shots, 'overview-pc.png', t);

  const again = await (await browsing.browser.newContext()).newPage();
  const refused = await again.goto(link);
  assert.equal(refused?.status(), 410);
  assert.match(await again.textContent('body') ?? '', /sudah dipakai.*already been used/s);
  assert.equal((await again.context().cookies()).length, 0);

  const phone = await browsing.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const small = await phone.newPage();
  await small.goto(await linkFromBot());
  assert.equal(await small.locator(`[data-card="${STORE}"] .state`).textContent(), 'OK');
  const widths = await small.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `no sideways scrolling on a phone: ${JSON.stringify(widths)}`);
  await screenshot(small, browsing.shots, 'overview-phone.png', t);
  await Promise.all([pc.close(), again.context().close(), phone.close()]);
});

test('stopping tokobot start closes the dashboard: its port refuses connections', { skip, timeout: 60_000 }, async () => {
  const url = `http://127.0.0.1:${service.webPort}/`;
  assert.equal((await fetch(url)).status, 401, 'answering before');
  const stopping = service;
  service = undefined as unknown as Service; // stopped here, not again after the tests
  await stopping.stop();
  await assert.rejects(fetch(url), /fetch failed/);
});
