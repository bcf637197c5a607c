import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideRetention, type StoredBackup } from '../../../src/pipeline/backup/retention.ts';
import { reasonsText } from '../../../src/i18n/retention-words.ts';

const at = (iso: string, good = true, id = iso): StoredBackup => ({ id, time: new Date(`${iso}Z`), good });
const kept = (backups: StoredBackup[], policy: Parameters<typeof decideRetention>[1]) =>
  decideRetention(backups, policy).filter((d) => d.keep).map((d) => d.id).sort();

test('table: keep-last, daily, weekly, monthly, and the newest good backup', () => {
  const cases: { name: string; backups: StoredBackup[]; policy: { keepLast: number; daily: number; weekly: number; monthly: number }; keep: string[] }[] = [
    { name: 'nothing kept but the newest good one', policy: { keepLast: 0, daily: 0, weekly: 0, monthly: 0 },
      backups: [at('2026-01-01T01:00:00'), at('2026-01-02T01:00:00')], keep: ['2026-01-02T01:00:00'] },
    { name: 'keep-last counts failed ones too', policy: { keepLast: 2, daily: 0, weekly: 0, monthly: 0 },
      backups: [at('2026-01-01T01:00:00'), at('2026-01-02T01:00:00', false), at('2026-01-03T01:00:00', false)],
      keep: ['2026-01-01T01:00:00', '2026-01-02T01:00:00', '2026-01-03T01:00:00'] },
    { name: 'daily takes the newest of each day', policy: { keepLast: 0, daily: 2, weekly: 0, monthly: 0 },
      backups: [at('2026-01-01T01:00:00'), at('2026-01-01T13:00:00'), at('2026-01-02T01:00:00'), at('2026-01-02T13:00:00')],
      keep: ['2026-01-01T13:00:00', '2026-01-02T13:00:00'] },
    { name: 'a failed newest backup never displaces the newest good one', policy: { keepLast: 0, daily: 1, weekly: 0, monthly: 0 },
      backups: [at('2026-01-01T01:00:00'), at('2026-01-02T01:00:00', false)], keep: ['2026-01-01T01:00:00'] },
    { name: 'weeks are ISO weeks (Monday to Sunday)', policy: { keepLast: 0, daily: 0, weekly: 2, monthly: 0 },
      backups: [at('2026-01-04T10:00:00'), at('2026-01-05T10:00:00'), at('2026-01-11T10:00:00'), at('2026-01-12T10:00:00')],
      keep: ['2026-01-11T10:00:00', '2026-01-12T10:00:00'] },
  ];
  for (const c of cases) assert.deepEqual(kept(c.backups, c.policy), c.keep.sort(), c.name);
});

test('two years of nightly backups under a 7 daily / 4 weekly / 12 monthly policy', () => {
  const backups: StoredBackup[] = [];
  for (let t = Date.UTC(2024, 0, 1, 18); t <= Date.UTC(2025, 11, 31, 18); t += 86_400_000) backups.push(at(new Date(t).toISOString().slice(0, 19)));
  const decisions = decideRetention(backups, { keepLast: 3, daily: 7, weekly: 4, monthly: 12 });
  const keep = decisions.filter((d) => d.keep).map((d) => d.id.slice(0, 10));
  // 7 days (the last 3 among them); the newest of 4 ISO weeks: Wed Dec 31 (week 2026-W01) and the Sundays Dec 28, 21, 14
  // (the first two already dailies); 12 month ends, Dec 31 already a daily.
  assert.deepEqual(keep.sort(), [
    '2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31', '2025-06-30', '2025-07-31', '2025-08-31', '2025-09-30',
    '2025-10-31', '2025-11-30', '2025-12-14', '2025-12-21', '2025-12-25', '2025-12-26', '2025-12-27', '2025-12-28',
    '2025-12-29', '2025-12-30', '2025-12-31']);
  const newest = decisions[0]!;
  assert.deepEqual(newest.reasons, [{ code: 'keepLast', count: 3, n: 1 }, { code: 'newestGood' },
    { code: 'daily', period: '2025-12-31' }, { code: 'weekly', period: '2026-W01' }, { code: 'monthly', period: '2025-12' }]);
  assert.equal(reasonsText('en', newest.reasons), 'one of the last 3 (#1); newest good backup; daily 2025-12-31; weekly 2026-W01; monthly 2025-12');
  assert.equal(reasonsText('id', newest.reasons), 'salah satu dari 3 terakhir (#1); backup baik terbaru; harian 2025-12-31; mingguan 2026-W01; bulanan 2025-12');
  assert.equal(reasonsText('en', decisions.find((d) => d.id.startsWith('2024-06-15'))!.reasons), 'outside every retention bucket');
});
