import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startService, type Service } from '../../src/main/service.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { startHarness, type Harness } from './sync-harness.ts';
import { sync } from './sync-checks.ts';
import { freePort } from './free-port.ts';
import { freshBackup } from './fresh-backup.ts';
import { needProgramFile } from './needs.ts';

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (which downloads
 * no browser), screenshots kept in TOKOBOT_SCREENSHOTS (else a temporary folder).
 */
export const CHROMIUM = '/usr/bin/chromium';
export const skipBrowser = needProgramFile(CHROMIUM, 'Debian: apt-get install chromium');
export const OWNER_USER = { id: 700100200, first_name: 'Ibu Sari' };

export interface Browsing { browser: Browser; shots: string; close(): Promise<void> }

/** Chromium and the folder its screenshots go to: TOKOBOT_SCREENSHOTS when set (kept), else a temporary one (removed by close). */
export async function openBrowser(name: string): Promise<Browsing> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const keep = process.env.TOKOBOT_SCREENSHOTS;
  const shots = keep ?? mkdtempSync(path.join(tmpdir(), `tokobot-${name}-shots-${process.pid}-`));
  mkdirSync(shots, { recursive: true });
  return {
    browser, shots,
    async close() {
      await browser.close();
      if (!keep) rmSync(shots, { recursive: true, force: true });
    },
  };
}

/** Sends /web as `user` through the fake Bot API and returns the sign-in link from the bot's answer. */
export async function linkFromBot(tg: FakeTelegram, user: { id: number; first_name: string }): Promise<string> {
  const before = tg.messages(user.id).length;
  tg.userSays(user, '/web');
  const reply = await tg.until(() => tg.messages(user.id).slice(before).find((m) => /\/masuk\//.test(m.text ?? '')));
  const link = /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(reply.text ?? '')?.[0];
  assert.ok(link, `a sign-in link in: ${reply.text}`);
  return link;
}

/** A full-page screenshot named `name` in `shots`, reported as a diagnostic of `t` when given; its path. */
export async function screenshot(page: Page, shots: string, name: string, t?: { diagnostic: (m: string) => void }): Promise<string> {
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  t?.diagnostic(`screenshot: ${file}`);
  return file;
}

export interface WebRun {
  tg: FakeTelegram;
  h: Harness;
  service: Service;
  browser: Browser;
  shots: string;
  /** Sends /web as the owner and returns the link from the bot's answer. */
  linkFromBot(): Promise<string>;
  /** Signs the owner in on `page` through a new link. */
  signIn(page: Page): Promise<void>;
  /** A full-page screenshot named `name` in the shots folder; its path. */
  shot(page: Page, name: string): Promise<string>;
  /** Stops tokobot start (close() then leaves it). */
  stopService(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `tokobot start` with WEB_PORT over `store` synced once from a backup dumped three hours ago, the
 * fake Bot API and Chromium; `prepare` runs after the sync and before tokobot start. Everything
 * made is removed by close(), also after a failed start.
 */
export async function startWebRun(store: string, env: Record<string, string> = {}, prepare?: (h: Harness) => Promise<void>): Promise<WebRun> {
  const run = { shots: '' } as WebRun;
  let stopped = false;
  let chromiumRun: Browsing | undefined;
  run.stopService = async () => { stopped = true; await run.service?.stop(); };
  run.close = async () => {
    await chromiumRun?.close();
    if (!stopped) await run.service?.stop();
    await run.h?.close();
    await run.tg?.close();
  };
  try {
    const fixture = await getSharedFixture('small', { storeId: 'toko1' });
    run.tg = await FakeTelegram.start();
    run.h = await startHarness('external', store, { TELEGRAM_BOT_TOKEN: run.tg.token, TELEGRAM_API_ROOT: run.tg.url, WEB_PORT: String(await freePort()),
      SYNC_CRON: '0 0 1 1 *', TELEGRAM_OWNERS: String(OWNER_USER.id), ...env });
    const { h, tg } = run;
    const dumpedAt = new Date(Date.now() - 3 * 3_600_000);
    await h.fake.addFile(`${h.folder}/backup.zip`, await freshBackup(fixture.i5buPath, path.join(h.dataDir, 'backup.zip'), 'Asia/Jakarta', dumpedAt), dumpedAt);
    assert.equal((await sync(h)).status, 'success');
    await prepare?.(h);
    run.service = await startService(h.app);
    await tg.until(() => run.service.telegram.state().ready);
    chromiumRun = await openBrowser('web');
    ({ browser: run.browser, shots: run.shots } = chromiumRun);
  } catch (err) {
    await run.close();
    throw err;
  }
  run.linkFromBot = async () => {
    const link = await linkFromBot(run.tg, OWNER_USER);
    assert.equal(new URL(link).port, String(run.service.webPort));
    return link;
  };
  run.signIn = async (page) => { await page.goto(await run.linkFromBot()); };
  run.shot = (page, name) => screenshot(page, run.shots, name);
  return run;
}
