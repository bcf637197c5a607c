import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { OWNER_USER as OWNER, skipBrowser as skip, startWebRun, type WebRun } from '../helpers/web-browser.ts';

/**
 * The alerts page and the JSON API in a real browser against `tokobot start` (WEB_PORT, the owner
 * an alert recipient on Telegram): a test message pressed on /peringatan reaches the fake Bot API,
 * an alert is muted and unmuted, and the API answers the session with the synced store.
 */
const STORE = `alrt${process.pid}`;
let run: WebRun;

before(async () => {
  if (skip) return;
  run = await startWebRun(STORE, { TELEGRAM_ALERT_CHATS: String(OWNER.id) }, async (h) => {
    // An open alert to mute (nothing clears it: no sync runs during the test) and one already resolved, for the history.
    await h.app.alerts.raise({ key: `sync:${STORE}`, kind: 'sync-failed', severity: 'warning', subject: `Toko ${STORE}`, params: { stage: 'restore', error: 'disk <full> & "slow"' } });
    await h.app.alerts.raise({ key: 'backup:nightly', kind: 'backup-failed', severity: 'critical', subject: 'nightly', params: { error: 'timeout', lastGood: '-' } });
    await h.app.alerts.clear('backup:nightly');
  });
});

after(async () => {
  await run?.close();
});

async function shot(page: Page, name: string, t: { diagnostic(s: string): void }) {
  t.diagnostic(`screenshot: ${await run.shot(page, name)}`);
}

test('/peringatan: test Telegram reaches the fake Bot API, mute and unmute an alert, the history shows the resolved one', { skip, timeout: 120_000 }, async (t) => {
  const pc = await run.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await pc.newPage();
  await run.signIn(page);
  await page.click('a[href="/peringatan"]');
  assert.equal(new URL(page.url()).pathname, '/peringatan');
  const card = page.locator(`[data-alert="sync:${STORE}"]`);
  assert.equal(await card.locator('h2').textContent(), `Sync Toko ${STORE} gagal`);
  assert.equal(await card.locator('.muted-until').textContent(), '—');
  assert.match(await page.locator('[data-resolved="backup:nightly"]').textContent() ?? '', /Backup nightly GAGAL/);
  await shot(page, 'alerts-pc.png', t);

  const before = run.tg.messages(OWNER.id).length;
  await page.locator('[data-channel="telegram"] button').click();
  assert.match(await page.locator('#test-result').textContent() ?? '', new RegExp(`Hasil tes telegram.*\\(${OWNER.id}\\): terkirim`, 's'));
  const sent = await run.tg.until(() => run.tg.messages(OWNER.id).slice(before).find((m) => /Tes peringatan dari tokobot/.test(m.text ?? '')));
  assert.match(sent.text ?? '', /Saluran ini berfungsi/);
  await shot(page, 'alerts-test-result.png', t);

  await card.locator('input[name="hours"]').fill('6');
  await card.locator('form.mute button').click();
  assert.equal(new URL(page.url()).pathname, '/peringatan');
  assert.match(await page.locator(`[data-alert="sync:${STORE}"] .muted-until`).textContent() ?? '', /\d{4} \d{2}:\d{2} WIB/);
  const muted = (await run.h.app.alerts.open()).find((a) => a.key === `sync:${STORE}`)?.mutedUntil;
  assert.ok(muted && Math.abs(muted.getTime() - Date.now() - 6 * 3_600_000) < 120_000, `muted for 6 hours: ${muted?.toISOString()}`);
  await shot(page, 'alerts-muted.png', t);
  await page.locator(`[data-alert="sync:${STORE}"] form.unmute button`).click();
  assert.equal(await page.locator(`[data-alert="sync:${STORE}"] .muted-until`).textContent(), '—');
  assert.equal((await run.h.app.alerts.open()).find((a) => a.key === `sync:${STORE}`)?.mutedUntil, null);
  await pc.close();
});

test('on a phone /peringatan has no sideways scroll; the JSON API answers the session (the answers are kept for the README)', { skip, timeout: 120_000 }, async (t) => {
  const phone = await run.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await phone.newPage();
  await run.signIn(page);
  await page.goto(new URL('/peringatan', page.url()).href);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `no sideways scrolling on a phone: ${JSON.stringify(widths)}`);
  await shot(page, 'alerts-phone.png', t);

  for (const api of ['/api/stores', '/api/runs?limit=1', '/api/alerts']) {
    const res = await page.request.get(new URL(api, page.url()).href);
    assert.equal(res.status(), 200, api);
    const body = await res.json();
    writeFileSync(path.join(run.shots, `${api.slice(5).replace(/\W+/g, '-')}.json`), `${JSON.stringify(body, null, 2)}\n`);
    if (api === '/api/stores') assert.equal(body.stores[0].id, STORE);
    if (api.startsWith('/api/runs')) assert.deepEqual([body.runs.length, body.runs[0].kind, body.runs[0].status], [1, 'sync', 'success']);
  }
  const anon = await fetch(new URL('/api/stores', page.url()));
  assert.equal(anon.status, 401);
  await phone.close();
});
