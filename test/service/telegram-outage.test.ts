import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startService, type Service } from '../../src/main/service.ts';
import { NETWORK_RETRY_DEFAULTS } from '../../src/adapters/telegram/network-retry.ts';
import { FakeTelegram, type OutageMode, type TgUser } from '../fakes/fake-telegram.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';

/**
 * `tokobot start` through a Telegram outage: the fake Bot API cuts every connection (or answers
 * 502) for a while, a user writes meanwhile, and the time from the end of the outage to the bot's
 * answer is measured. The suite runs a short outage with the waits scaled down (from 0.1 s, at
 * most 1 s: the cap is reached after 1.5 s and holds for the rest of the outage);
 * `TELEGRAM_OUTAGE_SECONDS=120` runs the real length with tokobot's own waits (at most 10 s).
 */
const skip = await requireLocalPg();
const OUTAGE_MS = Number(process.env.TELEGRAM_OUTAGE_SECONDS ?? 4) * 1000;
const retry = OUTAGE_MS < 60_000 ? { firstDelayMs: 100, maxDelayMs: 1_000 } : undefined;
const CAP_MS = retry?.maxDelayMs ?? NETWORK_RETRY_DEFAULTS.maxDelayMs;
/** The answer itself, after the poll that brings the message: well under a second here, with room for a busy machine. */
const SLACK_MS = 3_000;
const STORE = `tgout${process.pid}`;
const staff: TgUser = { id: 2003, first_name: 'Dewi' };
let tg: FakeTelegram;
let h: Harness;
let service: Service;

before(async () => {
  if (skip) return;
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_STAFF: String(staff.id), SYNC_CRON: '0 0 1 1 *' });
  service = await startService(h.app, { telegramRetry: retry });
  await tg.until(() => service.telegram.state().ready); // Telegram connects in the background
});
after(async () => {
  await service?.stop();
  await h?.close();
  await tg?.close();
});

async function whoami(timeoutMs = 10_000): Promise<number> {
  const before = tg.messages(staff.id).length;
  tg.userSays(staff, '/whoami');
  await tg.until(() => tg.messages(staff.id).length > before, timeoutMs);
  return Date.now();
}

for (const mode of ['refuse', '502'] as OutageMode[]) {
  test(`after a ${OUTAGE_MS / 1000} s outage (${mode}) the bot answers within the retry cap of Telegram's return`, { skip, timeout: OUTAGE_MS + CAP_MS + 60_000 }, async (t) => {
    await whoami(); // polling, before the outage
    const firstTurnedAway = tg.turnedAway.length;
    const end = tg.outage(OUTAGE_MS, mode);
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
    const answeredAt = await whoami(OUTAGE_MS + CAP_MS + 30_000); // written during the outage
    const late = answeredAt - end;
    t.diagnostic(`outage ${OUTAGE_MS / 1000} s (${mode}): answered ${(late / 1000).toFixed(1)} s after Telegram came back; ` +
      `waits capped at ${CAP_MS / 1000} s; ${tg.turnedAway.length - firstTurnedAway} requests turned away`);
    assert.ok(late >= 0, 'answered during the outage?');
    assert.ok(late <= CAP_MS + SLACK_MS, `answered ${late} ms after the outage ended; expected at most ${CAP_MS + SLACK_MS} ms`);
  });
}
