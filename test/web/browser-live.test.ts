import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startService, type Service } from '../../src/main/service.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { sync } from '../helpers/sync-checks.ts';
import { freePort } from '../helpers/free-port.ts';
import { freshBackup } from '../helpers/fresh-backup.ts';
import { linkFromBot, openBrowser, screenshot, skipBrowser as skip, type Browsing } from '../helpers/web-browser.ts';

/**
 * Sync now from the overview in a real browser (Debian's Chromium, playwright-core) against a real
 * `tokobot start`: an admin presses the button, the card turns RUNNING with its stage and then OK
 * without the page being loaded again. The run is held at its download by the fake Dropbox (half
 * the file sent, the rest once the test has seen the card running): slow by a gate, not by time.
 */
const STORE = `live${process.pid}`;
const ADMIN = { id: 700100250, first_name: 'Pak Budi' };
const STAFF = { id: 700100300, first_name: 'Rina' };
const HOUR = 3_600_000;
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let browsing: Browsing;
let letGo: () => void = () => undefined;
const released = new Promise<void>((resolve) => { letGo = resolve; });

before(async () => {
  if (skip) return;
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, WEB_PORT: String(await freePort()),
    SYNC_CRON: '0 0 1 1 *', TELEGRAM_ADMINS: String(ADMIN.id), TELEGRAM_STAFF: String(STAFF.id) });
  const first = new Date(Date.now() - 5 * HOUR);
  await h.fake.addFile(`${h.folder}/backup.zip`, await freshBackup(fixture.i5buPath, path.join(h.dataDir, 'backup.zip'), 'Asia/Jakarta', first), first);
  assert.equal((await sync(h)).status, 'success');
  // A newer backup for the sync the admin starts: its download stops halfway until the test lets it go.
  const newer = new Date(Date.now() - HOUR);
  const file = await freshBackup(fixture.i5buPath, path.join(h.dataDir, 'backup-baru.zip'), 'Asia/Jakarta', newer);
  await h.fake.addFile(`${h.folder}/backup-baru.zip`, file, newer);
  h.fake.failNext('download', { holdAfterBytes: Math.floor(statSync(file).size / 2), until: released });
  service = await startService(h.app);
  await tg.until(() => service.telegram.state().ready);
  browsing = await openBrowser('live');
});

after(async () => {
  letGo();
  await browsing?.close();
  await service?.stop();
  await h?.close();
  await tg?.close();
});

const signIn = async (page: Page, who: { id: number; first_name: string }) => { await page.goto(await linkFromBot(tg, who)); };
const shot = (page: Page, name: string, t: { diagnostic: (m: string) => void }) => screenshot(page, browsing.shots, name, t);

test('staff see the store but no Sync now button', { skip, timeout: 60_000 }, async () => {
  const context = await browsing.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await signIn(page, STAFF);
  await page.locator(`[data-card="${STORE}"]`).waitFor();
  assert.equal(await page.locator('form.actions').count(), 0);
  assert.doesNotMatch(await page.content(), /Sync sekarang/);
  await context.close();
});

test('an admin presses Sync now: the card shows RUNNING with its stage, then OK, without the page loading again', { skip, timeout: 120_000 }, async (t) => {
  const context = await browsing.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const scriptErrors: string[] = [];
  page.on('pageerror', (err) => scriptErrors.push(err.message));
  page.on('console', (m) => { if (m.type() === 'error') scriptErrors.push(m.text()); });
  await signIn(page, ADMIN);
  const card = page.locator(`[data-card="${STORE}"]`);
  assert.equal(await card.locator('.state').textContent(), 'OK');
  await shot(page, 'live-before.png', t);

  await card.getByRole('button', { name: 'Sync sekarang' }).click();
  await page.waitForURL(/aksi=started/, { timeout: 30_000 });
  assert.match(await page.locator('.banner').textContent() ?? '', new RegExp(`Sync Toko ${STORE} dimulai`));
  const running = page.locator(`[data-card="${STORE}"].RUNNING`);
  await running.waitFor({ timeout: 30_000 });
  assert.equal(await running.locator('.state').textContent(), 'BERJALAN');
  // The download is held halfway: the card says so, and live.js keeps saying it.
  await page.waitForFunction((id) => /unduh/.test(document.querySelector(`[data-card="${id}"] .live-text`)?.textContent ?? ''), STORE, { timeout: 30_000 });
  assert.match(await running.locator('.live-text').textContent() ?? '', /^unduh/);
  assert.equal(await running.getByRole('button', { name: 'Batalkan' }).count(), 1);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `no sideways scrolling on a phone: ${JSON.stringify(widths)}`);
  await shot(page, 'live-running.png', t);

  let loads = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) loads++; });
  const url = page.url();
  letGo();
  const done = page.locator(`[data-card="${STORE}"].OK`);
  await done.waitFor({ timeout: 90_000 });
  assert.equal(loads, 0, 'the card changed in place');
  assert.equal(page.url(), url);
  assert.match(await done.textContent() ?? '', /backup-baru\.zip/, 'the newest backup is the one just synced');
  assert.equal(await done.getByRole('button', { name: 'Sync sekarang' }).count(), 1, 'the final card has its button back');
  assert.deepEqual(scriptErrors, []);
  await shot(page, 'live-done.png', t);
  await context.close();
});
