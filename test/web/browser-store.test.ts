import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startService, type Service } from '../../src/main/service.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { sync } from '../helpers/sync-checks.ts';
import { freePort } from '../helpers/free-port.ts';
import { freshBackup } from '../helpers/fresh-backup.ts';
import { needProgramFile } from '../helpers/needs.ts';

/**
 * The store page in a real browser: `tokobot start` with WEB_PORT after a real sync, the owner
 * signs in through the link the fake Bot API got, opens the store from the overview, searches an
 * item, opens its card, downloads the CSV, and reads the page on a phone.
 */
const CHROMIUM = '/usr/bin/chromium';
const skip = needProgramFile(CHROMIUM, 'Debian: apt-get install chromium');
const STORE = `webstore${process.pid}`;
const OWNER = { id: 700100200, first_name: 'Ibu Sari' };
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let browser: Browser;
let shots = '';
const keepShots = process.env.TOKOBOT_SCREENSHOTS;

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
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  shots = keepShots ?? mkdtempSync(path.join(tmpdir(), `tokobot-store-shots-${process.pid}-`));
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await service?.stop();
  await h?.close();
  await tg?.close();
  if (shots && !keepShots) rmSync(shots, { recursive: true, force: true });
});

/** Sends /web as the owner and returns the link from the bot's answer. */
async function linkFromBot(): Promise<string> {
  const before = tg.messages(OWNER.id).length;
  tg.userSays(OWNER, '/web');
  const reply = await tg.until(() => tg.messages(OWNER.id).slice(before).find((m) => /\/masuk\//.test(m.text ?? '')));
  const link = /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(reply.text ?? '')?.[0];
  assert.ok(link, `a sign-in link in: ${reply.text}`);
  return link;
}

async function shot(page: Page, name: string, t: { diagnostic: (s: string) => void }): Promise<void> {
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  t.diagnostic(`screenshot: ${file}`);
}

/** Every chart image on the page has loaded and has a size (the SVG was served and drawn). */
async function chartsDrawn(page: Page): Promise<number> {
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('#grafik img')].every((i) => i.complete), null, { timeout: 20_000 });
  return page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('#grafik img')].filter((i) => i.naturalWidth > 0).length);
}

test('owner: store page from the overview, the run and its stages, charts, search, item card, CSV download', { skip, timeout: 120_000 }, async (t) => {
  const published = await h.app.opsStores.priceLists.published(STORE);
  assert.ok(published);
  const [item] = await h.app.opsStores.priceLists.prices(STORE);
  assert.ok(item);
  const pc = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await pc.newPage();
  await page.goto(await linkFromBot());
  await page.click(`[data-card="${STORE}"] h2 a`);
  assert.equal(new URL(page.url()).pathname, `/toko/${STORE}`);
  assert.equal(await page.locator('header h1').textContent(), `Toko ${STORE}`);
  const history = await page.locator('#riwayat').textContent() ?? '';
  assert.match(history, /berhasil/);
  assert.match(history, /check [\d,]+ s.*download.*restore.*publish/s);
  assert.equal(await chartsDrawn(page), 3, 'three charts drawn');
  await shot(page, 'store-pc.png', t);

  await page.fill('input[name=q]', item.namaitem);
  await Promise.all([page.waitForURL(/\?q=/), page.click('form.search button')]);
  const result = page.locator(`[data-item="${item.kodeitem}"]`);
  assert.equal(await result.locator('a').textContent(), item.namaitem);
  await shot(page, 'store-search.png', t);
  await Promise.all([page.waitForURL(/\/barang\?kode=/), result.locator('a').click()]);
  const card = await page.locator(`[data-card-item="${item.kodeitem}"]`).textContent() ?? '';
  assert.match(card, new RegExp(item.kodeitem));
  assert.match(card, /Harga pokok/, 'the owner sees the cost');
  assert.match(card, /Rp [\d.]+/);
  await shot(page, 'store-item.png', t);

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
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await phone.newPage();
  await page.goto(await linkFromBot());
  const [item] = await h.app.opsStores.priceLists.prices(STORE);
  await page.goto(new URL(`/toko/${STORE}?q=${encodeURIComponent(item!.namaitem.split(' ')[0]!)}`, page.url()).href);
  assert.ok(await page.locator('[data-item]').count() > 0, 'results on the phone');
  assert.equal(await chartsDrawn(page), 3);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth,
    chart: document.querySelector('#grafik img')!.getBoundingClientRect().width }));
  assert.ok(widths.page <= widths.screen, `no sideways scrolling on a phone: ${JSON.stringify(widths)}`);
  assert.ok(widths.chart >= 300, `charts use the phone's width: ${JSON.stringify(widths)}`);
  await shot(page, 'store-phone.png', t);
  await phone.close();
});
