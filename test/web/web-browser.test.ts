import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Service } from '../../src/main/service.ts';
import { skipWithoutChromium as skip, startWebBrowserRig, type WebBrowserRig } from '../helpers/web-browser.ts';

/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core, which downloads
 * no browser): `tokobot start` with WEB_PORT, the owner sends /web through the fake Bot API, and
 * the link the bot answered is opened on a PC-sized and a phone-sized screen.
 */
const STORE = `web${process.pid}`;
let rig: WebBrowserRig;

before(async () => {
  if (!skip) rig = await startWebBrowserRig(STORE);
});

after(async () => {
  await rig?.close();
});

test('sign in through the link the bot sent, see the store card on a PC and on a phone; the link works once', { skip, timeout: 120_000 }, async (t) => {
  const pc = await rig.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await pc.newPage();
  const link = await rig.linkFromBot();
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
  const pcShot = path.join(rig.shots, 'overview-pc.png');
  await page.screenshot({ path: pcShot, fullPage: true });
  t.diagnostic(`screenshot: ${pcShot}`);
  assert.ok(statSync(pcShot).size > 1000);

  const again = await (await rig.browser.newContext()).newPage();
  const refused = await again.goto(link);
  assert.equal(refused?.status(), 410);
  assert.match(await again.textContent('body') ?? '', /sudah dipakai.*already been used/s);
  assert.equal((await again.context().cookies()).length, 0);

  const phone = await rig.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const small = await phone.newPage();
  await small.goto(await rig.linkFromBot());
  assert.equal(await small.locator(`[data-card="${STORE}"] .state`).textContent(), 'OK');
  const widths = await small.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `no sideways scrolling on a phone: ${JSON.stringify(widths)}`);
  const phoneShot = path.join(rig.shots, 'overview-phone.png');
  await small.screenshot({ path: phoneShot, fullPage: true });
  t.diagnostic(`screenshot: ${phoneShot}`);
  await Promise.all([pc.close(), again.context().close(), phone.close()]);
});

test('stopping tokobot start closes the dashboard: its port refuses connections', { skip, timeout: 60_000 }, async () => {
  const url = `http://127.0.0.1:${rig.service.webPort}/`;
  assert.equal((await fetch(url)).status, 401, 'answering before');
  const stopping = rig.service;
  rig.service = undefined as unknown as Service; // stopped here, not again after the tests
  await stopping.stop();
  await assert.rejects(fetch(url), /fetch failed/);
});
