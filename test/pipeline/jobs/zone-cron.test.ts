import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zoneCronItems } from '../../../src/adapters/job-queue/zone-cron.ts';

const item = (schedule: string, zone: string) => zoneCronItems([{ identifier: 'sync:a', task: 'sync', schedule, zone, payload: { store: 'a' }, queueName: 'store:a', jobKey: 'sync:a', maxAttempts: 5 }])[0]!;

/** The digest graphile-worker hands a matcher: UTC fields of the minute. */
const digest = (iso: string) => {
  const d = new Date(iso);
  return { min: d.getUTCMinutes(), hour: d.getUTCHours(), date: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() };
};

test('a schedule is read in the shops\' zone: 02:00 WIB is 19:00 UTC the day before, 02:00 WIT 17:00 UTC', () => {
  const wib = item('0 2 * * *', 'Asia/Jakarta');
  assert.equal(wib.match(digest('2026-11-29T19:00:00Z')), true);
  assert.equal(wib.match(digest('2026-11-30T02:00:00Z')), false);
  const wit = item('0 2 * * *', 'Asia/Jayapura');
  assert.equal(wit.match(digest('2026-11-29T17:00:00Z')), true);
  assert.equal(wit.match(digest('2026-11-29T19:00:00Z')), false);
});

test('weekday and date fields follow the shop\'s calendar, not UTC\'s', () => {
  // Monday 01:00 WIB is Sunday 18:00 UTC.
  const monday = item('0 1 * * 1', 'Asia/Jakarta');
  assert.equal(monday.match(digest('2026-11-29T18:00:00Z')), true); // Sunday in UTC, Monday in Jakarta
  assert.equal(monday.match(digest('2026-11-30T18:00:00Z')), false);
  // The 1st of the month at 03:00 WIB is the last day of the month before at 20:00 UTC.
  const first = item('0 3 1 * *', 'Asia/Jakarta');
  assert.equal(first.match(digest('2026-11-30T20:00:00Z')), true);
});

test('every minute and step patterns keep their meaning; the item keeps its queue, key and no backfill', () => {
  const every = item('* * * * *', 'Asia/Makassar');
  assert.equal(every.match(digest('2026-11-29T05:17:00Z')), true);
  const half = item('*/30 * * * *', 'Asia/Jakarta');
  assert.equal(half.match(digest('2026-11-29T05:30:00Z')), true);
  assert.equal(half.match(digest('2026-11-29T05:31:00Z')), false);
  assert.deepEqual({ queue: every.options.queueName, key: every.options.jobKey, backfill: every.options.backfillPeriod, id: every.identifier },
    { queue: 'store:a', key: 'sync:a', backfill: 0, id: 'sync:a' });
});

test('names and Sunday as 7 (node-cron\'s) are read as the queue\'s cron reads digits; every valid schedule parses there', async () => {
  const { numericCron, validCron } = await import('../../../src/config/cron-text.ts');
  assert.equal(numericCron('0 2 * jan-mar mon-fri'), '0 2 * 1-3 1-5');
  assert.equal(numericCron('30 6 * * SAT,sun'), '30 6 * * 6,0');
  assert.equal(numericCron('0 8 * * 7'), '0 8 * * 0');
  assert.equal(numericCron('0 8 * * 5-7'), '0 8 * * 5-6,0');
  for (const ok of ['*/30 * * * *', '0 2 * * *', '0 2 * jan-mar mon-fri', '0 8 * * 5-7', '15 1 1,15 * *']) {
    assert.ok(validCron(ok), ok);
    assert.doesNotThrow(() => item(ok, 'Asia/Jakarta'), ok);
  }
  for (const bad of ['*/10 * * * * *', 'every night', '0 25 * * *', '']) assert.equal(validCron(bad), false, bad);
  // Sunday 08:00 WIB is Sunday 01:00 UTC.
  assert.equal(item('0 8 * * 7', 'Asia/Jakarta').match(digest('2026-11-29T01:00:00Z')), true);
});
