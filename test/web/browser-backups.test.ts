import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBackup } from '../../src/pipeline/backup/backup-job.ts';
import { startService, type Service } from '../../src/main/service.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { startBackupHarness, type BackupHarness } from '../helpers/backup-harness.ts';
import { freePort } from '../helpers/free-port.ts';
import { dropScratchDb, localConnection } from '../helpers/local-pg.ts';
import { needPgDump, needPgRestore } from '../helpers/needs.ts';
import { makePgSource, pgDigest } from '../helpers/pg-source.ts';
import { linkFromBot, openBrowser, screenshot, skipBrowser } from '../helpers/web-browser.ts';

/**
 * The backup console in a real browser on a phone: `tokobot start` with WEB_PORT and a PostgreSQL
 * backup job, the owner signs in through the link the fake Bot API got, downloads the backup
 * (its SHA-256 must be the one listed) and restores it into a new database, watching it finish.
 */
const skip = skipBrowser ?? (await needPgDump()) ?? (await needPgRestore());
const SOURCE = `tokobot_t_wbb_src_${process.pid}`;
const RESTORED = `tokobot_t_wbb_restored_${process.pid}`;
const OWNER = { id: 700100200, first_name: 'Ibu Sari' };
const dest = mkdtempSync(path.join(tmpdir(), 'tokobot-wbb-'));
let tg: FakeTelegram;
let h: BackupHarness;
let service: Service;
let chromium: Awaited<ReturnType<typeof openBrowser>>;

before(async () => {
  if (skip) return;
  await makePgSource(SOURCE, 3_000);
  const url = localConnection(SOURCE);
  tg = await FakeTelegram.start();
  h = await startBackupHarness(`wbb${process.pid}`, [{ id: 'gudang', type: 'postgres', url: `postgres://${url.user}@${url.host}:${url.port}/${SOURCE}`, verify: true,
    destinations: [{ type: 'local', dir: dest }] }], { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, WEB_PORT: String(await freePort()),
    SYNC_CRON: '0 0 1 1 *', TELEGRAM_OWNERS: String(OWNER.id) });
  const run = await runBackup(h.app.backups, h.app.job('gudang'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  service = await startService(h.app);
  await tg.until(() => service.telegram.state().ready);
  chromium = await openBrowser('backup');
});

after(async () => {
  await chromium?.close();
  await service?.stop();
  await h?.close();
  await tg?.close();
  if (!skip) for (const db of [SOURCE, RESTORED]) await dropScratchDb(db);
  rmSync(dest, { recursive: true, force: true });
});

test('on a phone the owner opens the job\'s console, downloads the backup (same SHA-256 as listed) and restores it into a new database', { skip, timeout: 180_000 }, async (t) => {
  const { browser, shots } = chromium;
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, acceptDownloads: true });
  const page = await phone.newPage();
  await page.goto(await linkFromBot(tg, OWNER));
  await page.locator('[data-card="gudang"] h2 a').click();
  await page.waitForURL(/\/backup\/gudang$/);
  const card = page.locator('[data-file]').first();
  const name = await card.getAttribute('data-file') as string;
  assert.match(name, /^gudang_\d{8}_\d{6}\.dump$/);
  const listed = (await card.locator('[data-sha256]').textContent())?.trim();
  assert.match(listed ?? '', /^[0-9a-f]{64}$/);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `no sideways scrolling on a phone: ${JSON.stringify(widths)}`);
  const consoleShot = await screenshot(page, shots, 'backup-console-phone.png');
  t.diagnostic(`screenshot: ${consoleShot}`);

  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Unduh' }).click()]);
  assert.equal(download.suggestedFilename(), name);
  assert.equal(createHash('sha256').update(readFileSync(await download.path())).digest('hex'), listed);

  await card.locator('input[name="database"]').fill(RESTORED);
  await card.getByRole('button', { name: 'Pulihkan ke database baru' }).click();
  await page.waitForURL(/\/backup\/gudang\/pulihkan\//);
  const progressShot = await screenshot(page, shots, 'backup-restore-progress-phone.png');
  t.diagnostic(`screenshot: ${progressShot}`);
  // The page reloads itself (meta refresh) until the restore ends.
  await page.locator('[data-restore="done"], [data-restore="failed"]').waitFor({ timeout: 120_000 });
  const result = await page.locator('[data-result]').textContent();
  assert.match(result ?? '', /Selesai: 5 tabel, 3\.004 baris di tokobot_t_wbb_restored_\d+\./);
  const doneShot = await screenshot(page, shots, 'backup-restore-done-phone.png');
  t.diagnostic(`screenshot: ${doneShot}`);
  assert.deepEqual(await pgDigest(RESTORED), await pgDigest(SOURCE));
  await dropScratchDb(RESTORED);
  await phone.close();
});
