import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, skipBrowser as skip } from '../helpers/web-browser.ts';
import { agentWorld } from '../helpers/agent-world.ts';
import { NOW, OWNER, status, store, webSetup } from '../helpers/web-app.ts';

/**
 * /agen in a real browser, the dashboard in process over memory stores on 127.0.0.1: an owner on a
 * phone sees each store's agent, makes a token (the enroll line shown once) and revokes it.
 * Screenshots at phone width (kept in TOKOBOT_SCREENSHOTS when set).
 */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let browser: Browser;
let server: http.Server;
let base = '';
let s: ReturnType<typeof webSetup>;
let shots = '';
const keepShots = process.env.TOKOBOT_SCREENSHOTS;

before(async () => {
  if (skip) return;
  const stores = [store('a', 'Toko A Jl. Sudirman'), store('b', 'Toko B Makassar'), store('c', 'Toko C')];
  const world = await agentWorld(NOW, stores);
  s = webSetup({ stores: stores.map((x) => [x, status(x, 'OK')]), deps: { agents: world.web, baseUrl: 'https://pusat.example.id' } });
  server = createAdaptorServer({ fetch: s.app.fetch }) as http.Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  shots = keepShots ?? mkdtempSync(path.join(tmpdir(), 'tokobot-hoview-agents-shots-'));
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  if (shots && !keepShots) rmSync(shots, { recursive: true, force: true });
});

test('an owner on a phone: /agen shows each store\'s agent, Create token shows the enroll line once, Revoke revokes', { skip, timeout: 120_000 }, async (t) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`${base}/masuk/${await s.signIn.issueLink({ userId: OWNER, role: 'owner' })}`);
  await page.click('header nav a[href="/agen"]');
  assert.equal(new URL(page.url()).pathname, '/agen');
  assert.match(await page.locator('[data-store="a"]').textContent() ?? '', /MELAPOR.*KASIR-A.*Lapor terakhir: 6 menit lalu/s);
  assert.match(await page.locator('[data-store="b"] .state').textContent() ?? '', /DIAM/);
  const widths = async () => page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  const shot = async (name: string) => {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    t.diagnostic(`screenshot: ${file}`);
    assert.ok(statSync(file).size > 1000);
    const w = await widths();
    assert.ok(w.page <= w.screen, `${name}: no sideways scrolling ${JSON.stringify(w)}`);
  };
  await shot('agents-phone');

  await page.locator('[data-store="c"] form[action="/agen/c/token"] button').click();
  const enroll = await page.locator('[data-enroll]').textContent() ?? '';
  assert.match(enroll, /^tokobot agent enroll https:\/\/pusat\.example\.id tka_c_[A-Za-z0-9_-]+$/);
  await shot('agents-phone-token');
  await page.goto(`${base}/agen`);
  assert.equal(await page.locator('[data-enroll]').count(), 0, 'shown once');
  assert.match(await page.locator('[data-store="c"]').textContent() ?? '', /Token agen.*aktif/s);
  await page.locator('[data-store="c"] form[action="/agen/c/cabut"] button').click();
  assert.equal(new URL(page.url()).pathname, '/agen');
  assert.equal(await page.locator('[data-store="c"] form[action="/agen/c/cabut"]').count(), 0, 'nothing left to revoke');
  await context.close();
});
