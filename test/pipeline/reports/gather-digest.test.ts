import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestPeriod } from '../../../src/pipeline/reports/digest-period.ts';
import { gatherDigest, restoreCheckOf, type GatherDeps } from '../../../src/pipeline/reports/gather-digest.ts';
import type { DigestSubject } from '../../../src/pipeline/reports/digest.ts';
import { PgAgents } from '../../../src/store/postgres/agents.ts';
import { PostgresAlertStore } from '../../../src/store/postgres/postgres-alert-store.ts';
import { PostgresBackupLog } from '../../../src/store/postgres/postgres-backup-log.ts';
import { PgSyncRunLog } from '../../../src/store/postgres/sync-runs.ts';
import { sendDigests } from '../../../src/pipeline/reports/send-digests.ts';
import { testRenderer } from './report-files.ts';
import { requireLocalPg } from '../../helpers/local-pg.ts';
import { scratchOpsForFile } from '../../helpers/scratch-ops.ts';
import { syncStatus, WEEK, writeWeekOfRuns } from './week-of-runs.ts';

/** The weekly report's facts gathered from a generated week of runs in a real ops database. */
const skip = await requireLocalPg();
const pool = scratchOpsForFile(`tokobot_t_c_digest_${process.pid}`, skip);
const GB = 1e9;

function deps(): GatherDeps {
  const p = pool();
  return {
    backupLog: new PostgresBackupLog(p), syncRuns: new PgSyncRunLog(p), alerts: new PostgresAlertStore(p), agents: new PgAgents(p),
    stores: [{ id: 'pusat', name: 'Toko Pusat', schedule: '0 */6 * * *', source: { type: 'folder', dir: '/x' } },
      { id: 'cabang1', name: 'Toko Cabang 1', schedule: '0 */6 * * *', source: { type: 'folder', dir: '/y' } }],
    jobs: [{ id: 'db' }], dataDir: '/srv/tokobot', diskMinFreeMb: 1024, freeSpace: async () => 3 * GB, timeZone: WEEK.zone,
    clock: () => new Date('2026-11-30T00:00:00Z'),
  };
}

const subject = (subjects: DigestSubject[], id: string) => subjects.find((s) => s.id === id) ?? assert.fail(`no subject ${id}`);

test('the week Monday to Sunday is the store calendar\'s, whatever hour of Monday it is sent', () => {
  for (const sentAt of ['2026-11-30T00:00:00Z', '2026-11-30T16:59:00Z', '2026-12-06T16:00:00Z']) {
    assert.deepEqual(digestPeriod('week', new Date(sentAt), WEEK.zone, false), { from: WEEK.from, to: WEEK.to }, sentAt);
  }
  assert.deepEqual(digestPeriod('day', new Date('2026-11-30T00:00:00Z'), WEEK.zone, false),
    { from: new Date('2026-11-28T17:00:00Z'), to: new Date('2026-11-29T17:00:00Z') });
  const now = new Date('2026-11-30T05:30:00Z');
  assert.deepEqual(digestPeriod('week', now, WEEK.zone, true), { from: new Date('2026-11-23T05:30:00Z'), to: now });
});

test('restoreCheckOf: equal when every table has its rows, differs otherwise, null without a check or when none could be made', () => {
  const check = (mismatches: number, notMade?: 'lz4') => ({ ok: true, detail: '', restoreCheck: { checked: notMade ? 0 : 2, mismatches, tables: [], ...(notMade ? { notMade } : {}) } });
  assert.equal(restoreCheckOf(check(0)), 'equal');
  assert.equal(restoreCheckOf(check(1)), 'differs');
  assert.equal(restoreCheckOf(check(0, 'lz4')), null, 'a check that could not be made is not "all equal"');
  assert.equal(restoreCheckOf({ ok: true, detail: '' }), null);
  assert.equal(restoreCheckOf(null), null);
});

test('a generated week: runs, failures, last good, points, restore checks, alerts and disks, exactly', { skip }, async () => {
  await writeWeekOfRuns(pool());
  const d = await gatherDigest(deps(), { period: 'week', from: WEEK.from, to: WEEK.to, stores: null });
  assert.deepEqual(d.subjects.map((s) => s.id), ['pusat', 'cabang1', 'db', 'cabang1/ipos', 'cabang2/ipos']);

  // Sync runs 8..35 start within the week; 10, 17, 24 and 31 fail; cabang1's 20 has not finished.
  const pusat = subject(d.subjects, 'pusat');
  assert.equal(pusat.runs, 28);
  assert.equal(pusat.failures, 4);
  assert.equal(pusat.lastError, 'sync pusat 31 failed');
  assert.equal(pusat.points.length, 28);
  assert.equal(pusat.points.filter((p) => !p.ok).length, 4);
  assert.deepEqual(pusat.points[0], { at: new Date(WEEK.syncStart.getTime() + 8 * 6 * 3_600_000), ok: true, bytes: 1008, durationMs: 68_000 });
  // The newest success ever: the last run, 39 (39 % 7 and % 5 are neither), after the week.
  assert.equal(pusat.lastBytes, 1039);
  const cabang1 = subject(d.subjects, 'cabang1');
  assert.equal(cabang1.runs, 27);
  assert.equal(cabang1.failures, [...Array(36).keys()].slice(8).filter((i) => syncStatus('cabang1', i) === 'failed').length);
  assert.equal(cabang1.restoreCheck, null);

  // The head office's job db: runs 3..9 in the week, 5 failed; its newest success ever is run 9 (10 failed).
  const db = subject(d.subjects, 'db');
  assert.deepEqual([db.runs, db.failures, db.lastError, db.lastBytes, db.store], [7, 1, 'db run 5 failed', 5_000_009, null]);
  assert.deepEqual(db.lastGoodAt, new Date(WEEK.jobStart.getTime() + 9 * 86_400_000 + 609_000));
  assert.equal(db.restoreCheck, null);
  assert.equal(db.points.reduce((sum, p) => sum + (p.durationMs ?? 0), 0), 7 * 600_000 + (3 + 4 + 5 + 6 + 7 + 8 + 9) * 1000);

  // cabang1's agent job: runs 3..9, six of them checked (6 was not), 4's rows differ.
  const ipos = subject(d.subjects, 'cabang1/ipos');
  assert.deepEqual([ipos.name, ipos.store, ipos.runs, ipos.failures, ipos.restoreCheck], ['ipos', 'cabang1', 7, 0, { checked: 6, mismatches: 1 }]);
  assert.equal(subject(d.subjects, 'cabang2/ipos').runs, 1);

  assert.deepEqual(d.openAlerts.map((a) => a.key), ['backup:db', 'agent-silent:cabang1', 'stale:pusat', 'disk']);
  assert.deepEqual(d.disks, [
    { where: 'local', path: '/srv/tokobot', freeBytes: 3 * GB, minFreeBytes: 1024 * 1024 * 1024 },
    { where: { store: 'cabang1' }, path: 'D:\\backup', freeBytes: 5e9, minFreeBytes: 1e9 },
    { where: { store: 'cabang2' }, path: 'E:\\backup', freeBytes: 8e8, minFreeBytes: 1e9 },
  ]);
  assert.equal(d.timeZone, WEEK.zone);
  assert.deepEqual(d.generatedAt, new Date('2026-11-30T00:00:00Z'));

  // A branch manager limited to cabang1 sees only cabang1: its sync, its agent's job and disk, its alert.
  const branch = await gatherDigest(deps(), { period: 'week', from: WEEK.from, to: WEEK.to, stores: ['cabang1'] });
  assert.deepEqual(branch.subjects.map((s) => s.id), ['cabang1', 'cabang1/ipos']);
  assert.deepEqual(branch.openAlerts.map((a) => a.key), ['agent-silent:cabang1']);
  assert.deepEqual(branch.disks.map((x) => x.path), ['D:\\backup']);
  assert.deepEqual(branch.stores, ['cabang1']);

  // The day before: Sunday 29 November WIB, four syncs per store (runs 32..35), one job run each.
  const day = digestPeriod('day', new Date('2026-11-30T00:00:00Z'), WEEK.zone, false);
  const sunday = await gatherDigest(deps(), { period: 'day', ...day, stores: null });
  assert.deepEqual(sunday.subjects.map((s) => [s.id, s.runs, s.failures]),
    [['pusat', 4, 0], ['cabang1', 4, 0], ['db', 1, 0], ['cabang1/ipos', 1, 0], ['cabang2/ipos', 0, 0]]);
});

test('two workers firing Monday\'s report at once over PostgreSQL: each recipient\'s report queued once, on each channel', { skip }, async () => {
  // Over the week the test before wrote (tests in a file run in order).
  const p = pool();
  await p.query('TRUNCATE alert_outbox, outbox_keys');
  const recipients = [{ name: 'Bu Sari', telegram: '1001', email: 'sari@toko.test', lang: 'id' as const, severities: ['critical' as const] },
    { name: 'Pak Joko', whatsapp: '6281234567890', lang: 'en' as const, severities: ['critical' as const], stores: ['cabang1'] }];
  const worker = () => sendDigests({ gather: (ask) => gatherDigest(deps(), ask), render: testRenderer().render, queue: new PostgresAlertStore(p), recipients,
    zone: WEEK.zone, clock: () => new Date('2026-11-30T00:00:00Z') }, { period: 'week', cron: '0 7 * * 1' });
  const [a, b] = await Promise.all([worker(), worker()]);
  assert.equal(a.queued + b.queued, 2);
  assert.equal(a.already + b.already, 2);
  const rows = (await p.query("SELECT channel, recipient, event, message FROM alert_outbox ORDER BY id")).rows;
  assert.deepEqual(rows.map((r) => [r.channel, r.recipient, r.event]).sort(), [['email', 'sari@toko.test', 'report'], ['telegram', '1001', 'report'], ['whatsapp', '6281234567890', 'report']]);
  const joko = rows.find((r) => r.recipient === '6281234567890');
  assert.deepEqual(joko.message.lines, ['cabang1: 27/4', 'cabang1/ipos: 7/0']);
  assert.deepEqual((await p.query('SELECT key FROM outbox_keys ORDER BY key')).rows.map((r) => r.key), ['digest:week:2026-11-23:Bu Sari', 'digest:week:2026-11-23:Pak Joko']);
});
