import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { skipBrowser as skip, startWebRun, type WebRun } from '../helpers/web-browser.ts';

/**
 * The store page in a real browser: `tokobot start` with WEB_PORT after a real sync, the owner
 * signs in through the link the fake Bot API got, opens the store from the overview, searches an
 * item, opens its card, downloads the CSV, and reads the page on a phone.
 */
const STORE = `webstore${process.pid}`;
let rig: WebRun;

before(async () => {
  if (!skip) rig = await startWebRun(STORE);
});

after(async () => {
  await rig?.close();
});

/** Every chart image on the page has loaded and has a size (the SVG was served and drawn). */
async function chartsDrawn(page: Page): Promise<number> {
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('#grafik img')].every((i) => i.complete), null, { timeout: 20_000 });
  return page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('#grafik img')].filter((i) => i.naturalWidth > 0).length);
}

test('owner: store page from the overview, the run and its stages, charts, search, item card, CSV download', { skip, timeout: 120_000 }, async (t) => {
  const published = await rig.h.app.opsStores.priceLists.published(STORE);
  assert.ok(published);
  const [item] = await rig.h.app.opsStores.priceLists.prices(STORE);
  assert.ok(item);
  const pc = await rig.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await pc.newPage();
  await page.goto(await rig.linkFromBot());
  await page.click(`[data-card="${STORE}"] h2 a`);
  assert.equal(new URL(page.url()).pathname, `/toko/${STORE}`);
  assert.equal(await page.locator('header h1').textContent(), `Toko ${STORE}`);
  const history = await page.locator('#riwayat').textContent() ?? '';
  assert.match(history, /berhasil/);
  assert.match(history, /cek sumber \d+,\d s.*unduh.*restore.*terbitkan/s);
  assert.equal(await chartsDrawn(page), 3, 'three charts drawn');
  t.diagnostic(`screenshot: ${await rig.shot(page, 'store-pc.png')}`);

  await page.fill('input[name=q]', item.namaitem);
  await Promise.all([page.waitForURL(/\?q=/), page.click('form.search button')]);
  const result = page.locator(`[data-item="${item.kodeitem}"]`);
  assert.equal(await result.locator('a').textContent(), item.namaitem);
  t.diagnostic(`screenshot: ${await rig.shot(page, 'store-search.png')}`);
  await Promise.all([page.waitForURL(/\/barang\?kode=/), result.locator('a').click()]);
  const card = await page.locator(`[data-card-item="${item.kodeitem}"]`).textContent() ?? '';
  assert.match(card, new RegExp(item.kodeitem));
  assert.match(card, /Harga pokok/, 'the owner sees the cost');
  assert.match(card, /Rp [\d.]+/);
  t.diagnostic(`screenshot: ${await rig.shot(page, 'store-item.png')}`);

  await page.goBack();
  await page.goBack();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href$="daftar-harga.csv"]')]);
  assert.match(download.suggestedFilename(), new RegExp(`^daftar-harga-${STORE}-\\d{8}\\.csv$`));
  const rows = Papa.parse<Record<string, string>>(readFileSync(await download.path()!, 'utf8'), { header: true, skipEmptyLines: true }).data;
  assert.equal(rows.length, published.rowCount);
  assert.ok(rows.some((r) => r.kodeitem === item.kodeitem && r.hargajual !== undefined));
  await pc.close();
});

test('phone: the store page fits a 390 px screen (no sideways scroll), charts included', { skip, timeout: 60_000 }, async (t) => {
  const phone = await rig.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await phone.newPage();
  await page.goto(await rig.linkFromBot());
  const [item] = await rig.h.app.opsStores.priceLists.prices(STORE);
  await page.goto(new URL(`/toko/${STORE}?q=${encodeURIComponent(item!.namaitem.split(' ')[0]!)}`, page.url()).href);
  assert.ok(await page.locator('[data-item]').count() > 0, 'results on the phone');
  assert.equal(await chartsDrawn(page), 3);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth,
    chart: document.querySelector('#grafik img')!.getBoundingClientRect().width }));
  assert.ok(widths.page <= widths.screen, `no sideways scrolling on a phone: ${JSON.stringify(widths)}`);
  assert.ok(widths.chart >= 300, `charts use the phone's width: ${JSON.stringify(widths)}`);
  t.diagnostic(`screenshot: ${await rig.shot(page, 'store-phone.png')}`);
  await phone.close();
});
