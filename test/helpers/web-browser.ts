import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { FakeTelegram } from '../fakes/fake-telegram.ts';
import { needProgramFile } from './needs.ts';

/** Debian's Chromium, driven by playwright-core (which downloads no browser). */
export const CHROMIUM = '/usr/bin/chromium';
export const needChromium = () => needProgramFile(CHROMIUM, 'Debian: apt-get install chromium');

/** Chromium and the folder its screenshots go to: TOKOBOT_SCREENSHOTS when set (kept), else a temporary one (removed by close). */
export async function openBrowser(name: string): Promise<{ browser: Browser; shots: string; close(): Promise<void> }> {
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
