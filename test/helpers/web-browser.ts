import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FakeTelegram } from '../fakes/fake-telegram.ts';
import { needProgramFile } from './needs.ts';

/** Debian's Chromium, driven by playwright-core (which downloads no browser). */
export const CHROMIUM = '/usr/bin/chromium';
/** Why browser tests skip here, or undefined when Chromium is installed. */
export const skipWithoutChromium = needProgramFile(CHROMIUM, 'Debian: apt-get install chromium');

export interface Browsing {
  browser: Browser;
  /** Where screenshots go: TOKOBOT_SCREENSHOTS, or a temporary folder removed by close(). */
  shots: string;
  close(): Promise<void>;
}

/** Chromium started, and a folder for the screenshots of the test file `name`. */
export async function openBrowser(name: string): Promise<Browsing> {
  const keep = process.env.TOKOBOT_SCREENSHOTS;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
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

/** Sends /web as `who` through the fake Bot API and returns the sign-in link of the bot's answer. */
export async function linkFromBot(tg: FakeTelegram, who: { id: number; first_name: string }): Promise<string> {
  const before = tg.messages(who.id).length;
  tg.userSays(who, '/web');
  const reply = await tg.until(() => tg.messages(who.id).slice(before).find((m) => /\/masuk\//.test(m.text ?? '')));
  const link = /http:\/\/\S+\/masuk\/[A-Za-z0-9_-]{43}/.exec(reply.text ?? '')?.[0];
  assert.ok(link, `a sign-in link in: ${reply.text}`);
  return link;
}

/** A full-page screenshot into `shots`, named in the test's output (look at it). */
export async function screenshot(page: Page, shots: string, name: string, t: { diagnostic: (m: string) => void }): Promise<string> {
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  t.diagnostic(`screenshot: ${file}`);
  assert.ok(statSync(file).size > 1000);
  return file;
}
