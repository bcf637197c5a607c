import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
 * Sync now from the overview in a real browser (Debian's Chromium, playwright-core) against a real
 * `tokobot start`: an admin presses the button, the card turns RUNNING with its stage and then OK
 * without the page being loaded again. The run is held at its download by the fake Dropbox (half
 * the file sent, the rest once the test has seen the card running): slow by a gate, not by time.
 */
const CHROMIUM = '/usr/bin/chromium';
const skip = needProgramFile(CHROMIUM, 'Debian: apt-get install chromium');
const STORE = `live${process.pid}`;
const ADMIN = { id: 700100250, first_name: 'Pak Budi' };
const STAFF = { id: 700100300, first_name: 'Rina' };
const HOUR = 3_600_000;
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let browser: Browser;
let shots = '';
const keepShots = process.env.TOKOBOT_SCREENSHOTS;
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
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  shots = keepShots ?? mkdtempSync(path.join(tmpdir(), `tokobot-live-shots-${process.pid}-`));
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  letGo();
  await browser?.close();
  await service?.stop();
  await h?.close();
  await tg?.close();
  if (shots && !keepShots) rmSync(shots, { recursive: true, force: true });
});

/** Signs `who` in through the link the bot answers /web with. */
async function signIn(page: Page, who: { id: number; first_name: string }): Promise<void> {
  const before = tg.messages(who.id).length;
  tg.userSays(who, '/web');
  const reply = await tg.until(() => tg.messages(who.id).slice(before).find((m) => /\/masuk\//.test(m.text ?? '')));
  const link = /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(reply.text ?? '')?.[0];
  assert.ok(link, `a sign-in link in: ${reply.text}`);
  await page.goto(link);
}

async function shot(page: Page, name: string, t: { diagnostic: (m: string) => void }): Promise<void> {
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  t.diagnostic(`screenshot: ${file}`);
  assert.ok(statSync(file).size > 1000);
}

test('staff see the store but no Sync now button', { skip, timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await signIn(page, STAFF);
  await page.locator(`[data-card="${STORE}"]`).waitFor();
  assert.equal(await page.locator('form.actions').count(), 0);
  assert.doesNotMatch(await page.content(), /Sync sekarang/);
  await context.close();
});

test('an admin presses Sync now: the card shows RUNNING with its stage, then OK, without the page loading again', { skip, timeout: 120_000 }, async (t) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
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
