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

/** Debian's Chromium, driven by playwright-core (which downloads no browser). */
export const CHROMIUM = '/usr/bin/chromium';
export const skipWithoutChromium = needProgramFile(CHROMIUM, 'Debian: apt-get install chromium');
export const BROWSER_OWNER = { id: 700100200, first_name: 'Ibu Sari' };

export interface WebBrowserRig {
  tg: FakeTelegram;
  h: Harness;
  service: Service;
  browser: Browser;
  /** Where screenshots go: TOKOBOT_SCREENSHOTS, or a temporary folder removed by close(). */
  shots: string;
  /** Sends /web as the owner and returns the link from the bot's answer. */
  linkFromBot(): Promise<string>;
  /** A full-page screenshot named `name` in `shots`, reported as a test diagnostic. */
  shot(page: Page, name: string, t: { diagnostic: (s: string) => void }): Promise<string>;
  close(): Promise<void>;
}

/**
 * `tokobot start` with WEB_PORT after one real sync of `store` (the small shared fixture, dumped
 * three hours ago), its bot connected to a fake Bot API, and Chromium launched. close() undoes
 * everything the rig made, whatever got made before a failure.
 */
export async function startWebBrowserRig(store: string): Promise<WebBrowserRig> {
  const keepShots = process.env.TOKOBOT_SCREENSHOTS;
  const made: Partial<WebBrowserRig> = {};
  const close = async () => {
    await made.browser?.close();
    await made.service?.stop();
    await made.h?.close();
    await made.tg?.close();
    if (made.shots && !keepShots) rmSync(made.shots, { recursive: true, force: true });
  };
  try {
    const fixture = await getSharedFixture('small', { storeId: 'toko1' });
    const tg = made.tg = await FakeTelegram.start();
    const h = made.h = await startHarness('external', store, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, WEB_PORT: String(await freePort()),
      SYNC_CRON: '0 0 1 1 *', TELEGRAM_OWNERS: String(BROWSER_OWNER.id) });
    const dumpedAt = new Date(Date.now() - 3 * 3_600_000);
    await h.fake.addFile(`${h.folder}/backup.zip`, await freshBackup(fixture.i5buPath, path.join(h.dataDir, 'backup.zip'), 'Asia/Jakarta', dumpedAt), dumpedAt);
    assert.equal((await sync(h)).status, 'success');
    const service = made.service = await startService(h.app);
    await tg.until(() => service.telegram.state().ready);
    made.browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const shots = made.shots = keepShots ?? mkdtempSync(path.join(tmpdir(), `tokobot-web-shots-${process.pid}-`));
    mkdirSync(shots, { recursive: true });
  } catch (err) {
    await close();
    throw err;
  }
  const rig = made as WebBrowserRig;
  rig.close = close;
  rig.linkFromBot = async () => {
    const before = rig.tg.messages(BROWSER_OWNER.id).length;
    rig.tg.userSays(BROWSER_OWNER, '/web');
    const reply = await rig.tg.until(() => rig.tg.messages(BROWSER_OWNER.id).slice(before).find((m) => /\/masuk\//.test(m.text ?? '')));
    const link = /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(reply.text ?? '')?.[0];
    assert.ok(link, `a sign-in link in: ${reply.text}`);
    assert.equal(new URL(link).port, String(rig.service.webPort));
    return link;
  };
  rig.shot = async (page, name, t) => {
    const file = path.join(rig.shots, name);
    await page.screenshot({ path: file, fullPage: true });
    t.diagnostic(`screenshot: ${file}`);
    return file;
  };
  return rig;
}
