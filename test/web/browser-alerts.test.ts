import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
 * The alerts page and the JSON API in a real browser against `tokobot start` (WEB_PORT, the owner
 * an alert recipient on Telegram): a test message pressed on /peringatan reaches the fake Bot API,
 * an alert is muted and unmuted, and the API answers the session with the synced store.
 */
const CHROMIUM = '/usr/bin/chromium';
const skip = needProgramFile(CHROMIUM, 'Debian: apt-get install chromium');
const STORE = `alrt${process.pid}`;
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
    SYNC_CRON: '0 0 1 1 *', TELEGRAM_OWNERS: String(OWNER.id), TELEGRAM_ALERT_CHATS: String(OWNER.id) });
  const dumpedAt = new Date(Date.now() - 3 * 3_600_000);
  await h.fake.addFile(`${h.folder}/backup.zip`, await freshBackup(fixture.i5buPath, path.join(h.dataDir, 'backup.zip'), 'Asia/Jakarta', dumpedAt), dumpedAt);
  assert.equal((await sync(h)).status, 'success');
  // An open alert to mute (nothing clears it: no sync runs during the test) and one already resolved, for the history.
  await h.app.alerts.raise({ key: `sync:${STORE}`, kind: 'sync-failed', severity: 'warning', subject: `Toko ${STORE}`, params: { stage: 'restore', error: 'disk <full> & "slow"' } });
  await h.app.alerts.raise({ key: 'backup:nightly', kind: 'backup-failed', severity: 'critical', subject: 'nightly', params: { error: 'timeout', lastGood: '-' } });
  await h.app.alerts.clear('backup:nightly');
  service = await startService(h.app);
  await tg.until(() => service.telegram.state().ready);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  shots = keepShots ?? mkdtempSync(path.join(tmpdir(), `tokobot-alert-shots-${process.pid}-`));
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await service?.stop();
  await h?.close();
  await tg?.close();
  if (shots && !keepShots) rmSync(shots, { recursive: true, force: true });
});

/** Signs the owner in through the link the bot answers /web with. */
async function signIn(page: Page): Promise<void> {
  const before = tg.messages(OWNER.id).length;
  tg.userSays(OWNER, '/web');
  const reply = await tg.until(() => tg.messages(OWNER.id).slice(before).find((m) => /\/masuk\//.test(m.text ?? '')));
  const link = /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(reply.text ?? '')?.[0];
  assert.ok(link, `a sign-in link in: ${reply.text}`);
  await page.goto(link);
}

async function shot(page: Page, name: string, t: { diagnostic(s: string): void }) {
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  t.diagnostic(`screenshot: ${file}`);
}

test('/peringatan: test Telegram reaches the fake Bot API, mute and unmute an alert, the history shows the resolved one', { skip, timeout: 120_000 }, async (t) => {
  const pc = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await pc.newPage();
  await signIn(page);
  await page.click('a[href="/peringatan"]');
  assert.equal(new URL(page.url()).pathname, '/peringatan');
  const card = page.locator(`[data-alert="sync:${STORE}"]`);
  assert.equal(await card.locator('h2').textContent(), `Sync Toko ${STORE} gagal`);
  assert.equal(await card.locator('.muted-until').textContent(), '—');
  assert.match(await page.locator('[data-resolved="backup:nightly"]').textContent() ?? '', /Backup nightly GAGAL/);
  await shot(page, 'alerts-pc.png', t);

  const before = tg.messages(OWNER.id).length;
  await page.locator('[data-channel="telegram"] button').click();
  assert.match(await page.locator('#test-result').textContent() ?? '', new RegExp(`Hasil tes telegram.*\\(${OWNER.id}\\): terkirim`, 's'));
  const sent = await tg.until(() => tg.messages(OWNER.id).slice(before).find((m) => /Tes peringatan dari tokobot/.test(m.text ?? '')));
  assert.match(sent.text ?? '', /Saluran ini berfungsi/);
  await shot(page, 'alerts-test-result.png', t);

  await card.locator('input[name="hours"]').fill('6');
  await card.locator('form.mute button').click();
  assert.equal(new URL(page.url()).pathname, '/peringatan');
  assert.match(await page.locator(`[data-alert="sync:${STORE}"] .muted-until`).textContent() ?? '', /\d{4} \d{2}:\d{2} WIB/);
  const muted = (await h.app.alerts.open()).find((a) => a.key === `sync:${STORE}`)?.mutedUntil;
  assert.ok(muted && Math.abs(muted.getTime() - Date.now() - 6 * 3_600_000) < 120_000, `muted for 6 hours: ${muted?.toISOString()}`);
  await shot(page, 'alerts-muted.png', t);
  await page.locator(`[data-alert="sync:${STORE}"] form.unmute button`).click();
  assert.equal(await page.locator(`[data-alert="sync:${STORE}"] .muted-until`).textContent(), '—');
  assert.equal((await h.app.alerts.open()).find((a) => a.key === `sync:${STORE}`)?.mutedUntil, null);
  await pc.close();
});

test('on a phone /peringatan has no sideways scroll; the JSON API answers the session (the answers are kept for the README)', { skip, timeout: 120_000 }, async (t) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await phone.newPage();
  await signIn(page);
  await page.goto(new URL('/peringatan', page.url()).href);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `no sideways scrolling on a phone: ${JSON.stringify(widths)}`);
  await shot(page, 'alerts-phone.png', t);

  for (const api of ['/api/stores', '/api/runs?limit=1', '/api/alerts']) {
    const res = await page.request.get(new URL(api, page.url()).href);
    assert.equal(res.status(), 200, api);
    const body = await res.json();
    writeFileSync(path.join(shots, `${api.slice(5).replace(/\W+/g, '-')}.json`), `${JSON.stringify(body, null, 2)}\n`);
    if (api === '/api/stores') assert.equal(body.stores[0].id, STORE);
    if (api.startsWith('/api/runs')) assert.deepEqual([body.runs.length, body.runs[0].kind, body.runs[0].status], [1, 'sync', 'success']);
  }
  const anon = await fetch(new URL('/api/stores', page.url()));
  assert.equal(anon.status, 401);
  await phone.close();
});
