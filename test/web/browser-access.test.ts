import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startService, type Service } from '../../src/main/service.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { FakeWhatsApp } from '../fakes/fake-whatsapp-client.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { sync } from '../helpers/sync-checks.ts';
import { freePort } from '../helpers/free-port.ts';
import { freshBackup } from '../helpers/fresh-backup.ts';
import { needProgramFile } from '../helpers/needs.ts';

/**
 * The owner's access pages in a real browser against `tokobot start` (PostgreSQL stores): a kiosk
 * link made on /akses opens read-only in another browser; a WhatsApp user signs in through the link
 * that arrived in their WhatsApp chat, and the owner revokes that session; an API token made on the
 * page answers /api/status. Screenshots of /akses, /audit and the kiosk on a 1920x1080 screen and a phone.
 */
const CHROMIUM = '/usr/bin/chromium';
const skip = needProgramFile(CHROMIUM, 'Debian: apt-get install chromium');
const STORE = `acc${process.pid}`;
const OWNER = { id: 700100200, first_name: 'Ibu Sari' };
const WA_STAFF = '6281234567890';
const PC = { width: 1920, height: 1080 };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const wa = new FakeWhatsApp();
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let browser: Browser;
let shots = '';
const keepShots = process.env.TOKOBOT_SCREENSHOTS;
const contexts: BrowserContext[] = [];

before(async () => {
  if (skip) return;
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, WEB_PORT: String(await freePort()),
    SYNC_CRON: '0 0 1 1 *', TELEGRAM_OWNERS: String(OWNER.id), WHATSAPP_ENABLED: 'true', WHATSAPP_ALLOWED_NUMBERS: WA_STAFF });
  const dumpedAt = new Date(Date.now() - 3 * 3_600_000);
  await h.fake.addFile(`${h.folder}/backup.zip`, await freshBackup(fixture.i5buPath, path.join(h.dataDir, 'backup.zip'), 'Asia/Jakarta', dumpedAt), dumpedAt);
  assert.equal((await sync(h)).status, 'success');
  service = await startService(h.app, { whatsappClient: wa.createClient });
  await tg.until(() => service.telegram.state().ready && wa.clients.length > 0 && wa.latest.initialized);
  wa.latest.ready();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  shots = keepShots ?? mkdtempSync(path.join(tmpdir(), `tokobot-access-shots-${process.pid}-`));
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await service?.stop();
  await h?.close();
  await tg?.close();
  if (shots && !keepShots) rmSync(shots, { recursive: true, force: true });
});

async function context(options: Parameters<Browser['newContext']>[0] = { viewport: PC }): Promise<Page> {
  const c = await browser.newContext(options);
  contexts.push(c);
  return c.newPage();
}

/** The owner sends /web in Telegram; the link the bot answered. */
async function ownerLink(): Promise<string> {
  const seen = tg.messages(OWNER.id).length;
  tg.userSays(OWNER, '/web');
  const reply = await tg.until(() => tg.messages(OWNER.id).slice(seen).find((m) => /\/masuk\//.test(m.text ?? '')));
  return /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(reply.text ?? '')![0];
}

/** Saves a full-page screenshot and checks a phone has no sideways scrolling. */
async function shot(page: Page, name: string, t: { diagnostic: (s: string) => void }) {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  t.diagnostic(`screenshot: ${file}`);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `${name}: no sideways scrolling ${JSON.stringify(widths)}`);
}

test('/web in WhatsApp: the link arrives in the WhatsApp chat and signs the number in as staff; the owner revokes that session and it is signed out', { skip, timeout: 120_000 }, async (t) => {
  wa.latest.message({ from: `${WA_STAFF}@c.us`, body: '/web' });
  const sent = await tg.until(() => wa.latest.sent.find((m) => m.chatId === `${WA_STAFF}@c.us` && /\/masuk\//.test(m.text)));
  const waLink = /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(sent.text)?.[0];
  assert.ok(waLink, sent.text);
  const staff = await context({ ...PHONE, userAgent: 'Mozilla/5.0 (Linux; Android 14) <b>HP kasir</b>' });
  await staff.goto(waLink);
  assert.equal(new URL(staff.url()).pathname, '/');
  assert.match(await staff.locator('header small').textContent() ?? '', /-6281234567890.*staf/);
  assert.equal(await staff.locator(`[data-card="${STORE}"] .state`).textContent(), 'OK');
  assert.equal(await staff.locator('a[href="/akses"]').count(), 0, 'staff get no access menu');
  assert.equal((await staff.goto(new URL('/akses', waLink).href))?.status(), 403);

  const owner = await context();
  await owner.goto(await ownerLink());
  await owner.goto(new URL('/akses', owner.url()).href);
  const row = owner.locator('tr[data-session]', { hasText: `WhatsApp +${WA_STAFF}` });
  assert.match(await row.textContent() ?? '', /staf.*<b>HP kasir<\/b>/s, 'the user agent shown as text');
  assert.equal(await owner.locator('tr[data-session] .mine').count(), 1, 'this session marked once');
  await shot(owner, 'akses-pc', t);
  await row.getByRole('button').click();
  await owner.waitForURL(/\/akses$/);
  assert.equal(await owner.locator('tr[data-session]', { hasText: `WhatsApp +${WA_STAFF}` }).count(), 0);
  const after = await staff.reload();
  assert.equal(after?.status(), 401, 'the revoked browser is signed out');
  assert.match(await staff.textContent('body') ?? '', /Kirim \/web/);
});

test('the owner makes a kiosk link and an API token on /akses; the kiosk opens read-only in another browser, the token answers /api/status; /audit lists it all', { skip, timeout: 120_000 }, async (t) => {
  const owner = await context();
  await owner.goto(await ownerLink());
  await owner.goto(new URL('/akses', owner.url()).href);
  await owner.locator('form[action="/akses/kios"] input[name="name"]').fill('Layar kasir depan');
  await owner.locator('form[action="/akses/kios"] button').click();
  const kioskUrl = await owner.locator('[data-fresh="kiosk"] code').textContent();
  assert.match(kioskUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/kios\/[A-Za-z0-9_-]{43}$/);

  await owner.locator('form[action="/akses/token"] input[name="name"]').fill('Laporan harian');
  await owner.locator('form[action="/akses/token"] select').selectOption('admin');
  await owner.locator('form[action="/akses/token"] button').click();
  const token = await owner.locator('[data-fresh="api"] code').textContent();
  assert.match(token ?? '', /^[A-Za-z0-9_-]{43}$/);
  const api = await fetch(new URL('/api/status', kioskUrl!).href, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.status, 200);
  assert.equal(((await api.json()) as { stores: { id: string }[] }).stores[0]?.id, STORE);
  await owner.goto(new URL('/akses', owner.url()).href);
  assert.ok(!(await owner.content()).includes(token!), 'the token is not shown again');
  assert.match(await owner.locator('table[data-list="kiosk"]').textContent() ?? '', /Layar kasir depan/);

  for (const [name, options] of [['kiosk-pc', { viewport: PC }], ['kiosk-phone', PHONE]] as const) {
    const screen = await context(options);
    const res = await screen.goto(kioskUrl!);
    assert.equal(res?.status(), 200);
    assert.equal(await screen.locator(`[data-card="${STORE}"] .state`).textContent(), 'OK');
    assert.equal(await screen.locator('a, form, nav, header').count(), 0, 'no menu, forms or links');
    assert.equal(await screen.locator('meta[http-equiv="refresh"]').getAttribute('content'), '60');
    assert.deepEqual(await screen.context().cookies(), [], 'no cookie');
    await shot(screen, name, t);
    assert.equal((await screen.goto(new URL('/', kioskUrl!).href))?.status(), 401, 'the kiosk opens nothing else');
  }
  await owner.locator('table[data-list="kiosk"] button').click();
  await owner.waitForURL(/\/akses$/);
  const gone = await context();
  assert.equal((await gone.goto(kioskUrl!))?.status(), 404);
  assert.match(await gone.textContent('body') ?? '', /tidak dikenal atau sudah dicabut/);

  await owner.goto(new URL('/audit', owner.url()).href);
  const actions = await owner.locator('tr[data-audit] td:nth-child(3)').allTextContents();
  assert.deepEqual(actions.slice(0, 3), ['mencabut tautan layar (kiosk.revoke)', 'membuat token API (token.create)', 'membuat tautan layar (kiosk.create)']);
  await shot(owner, 'audit-pc', t);
  const phone = await context(PHONE);
  await phone.goto(await ownerLink());
  for (const page of ['akses', 'audit']) {
    await phone.goto(new URL(`/${page}`, phone.url()).href);
    await shot(phone, `${page}-phone`, t);
  }
});
