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
