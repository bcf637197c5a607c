import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertTime, digestMessage, openMessage, resolvedMessage, storeParams } from '../../../src/pipeline/alerts/alert-messages.ts';
import type { AlertKind, OpenAlert } from '../../../src/pipeline/alerts/alert-types.ts';

const id = { lang: 'id' as const, zone: 'Asia/Jakarta' };
const en = { lang: 'en' as const, zone: 'Asia/Jakarta' };
const opened = new Date('2026-11-29T02:00:00Z');
const alert = (kind: AlertKind, subject: string, params: OpenAlert['params'] = {}): OpenAlert =>
  ({ key: `${kind}:${subject}`, kind, severity: 'critical', subject, params, openedAt: opened, lastSentAt: null, mutedUntil: null });

test('a resolved alert says what works again, in each language, never the failure', () => {
  const sync = resolvedMessage(alert('sync-failed', 'Toko X', { stage: 'restore', error: 'disk full' }), id, new Date('2026-11-29T05:30:00Z'));
  assert.deepEqual(sync, { severity: 'info', title: '✅ Pulih: sync Toko X berhasil lagi', lines: ['Masalah berlangsung dari 29 Nov 2026 09:00 WIB sampai 29 Nov 2026 12:30 WIB.'] });
  assert.equal(resolvedMessage(alert('sync-failed', 'Toko X'), en, opened).title, '✅ Recovered: sync of Toko X works again');
  assert.equal(resolvedMessage(alert('backup-failed', 'harian'), id, opened).title, '✅ Pulih: backup harian berhasil lagi');
  assert.equal(resolvedMessage(alert('stale-backups', 'Toko X'), id, opened).title, '✅ Pulih: backup Toko X datang lagi');
  const kinds: AlertKind[] = ['sync-failed', 'sync-stuck', 'stale-backups', 'source-unreachable', 'backup-failed', 'backup-missed', 'disk-low', 'restore-server-down', 'whatsapp-down', 'worker-down'];
  for (const kind of kinds) {
    const a = alert(kind, 'Toko X');
    const [idTitle, enTitle] = [resolvedMessage(a, id, opened).title, resolvedMessage(a, en, opened).title];
    assert.match(idTitle ?? '', /^✅ Pulih: /, kind);
    assert.match(enTitle ?? '', /^✅ Recovered: /, kind);
    assert.doesNotMatch(idTitle ?? '', /gagal|macet|berhenti|tidak bisa|tidak berjalan|hampir penuh|tidak terjangkau|terputus/i, kind);
    assert.doesNotMatch(enTitle ?? '', /fail|stuck|stopped|cannot|did not|almost full|unreachable|not connected/i, kind);
    assert.notEqual(idTitle, `✅ Pulih: ${openMessage(a, id).title}`, kind);
  }
  const digest = digestMessage([{ alert: alert('sync-failed', 'Toko X'), event: 'resolve' }, { alert: alert('disk-low', '/data', { free: 10, min: 100, dir: '/data' }), event: 'open' }], id);
  assert.equal(digest.lines[0], '✅ Pulih: sync Toko X berhasil lagi');
  assert.doesNotMatch(digest.lines[0] ?? '', /gagal|beres/i);
});

test('times in an alert: each reader\'s language, in the store\'s zone when the alert is about a store, else STORE_TZ', () => {
  const makassar = { timeZone: 'Asia/Makassar' };
  const stale = alert('stale-backups', 'Cabang', { newest: 'a.i5bu (2026-08-10T23:30:00.000Z)', hours: 30, limit: 26, ...storeParams(makassar) });
  assert.deepEqual(openMessage(stale, id).lines.slice(0, 2), ['Backup terbaru: a.i5bu (11 Agu 2026 07:30 WITA), 30 jam lalu (batas 26 jam).', 'Sejak: 29 Nov 2026 10:00 WITA']);
  assert.deepEqual(openMessage(stale, en).lines.slice(0, 2), ['Newest backup: a.i5bu (11 Aug 2026 07:30 WITA), 30 hours ago (limit 26 hours).', 'Since: 29 Nov 2026 10:00 WITA']);
  const missed = alert('backup-missed', 'harian', { expected: '2026-11-28T19:00:00.000Z', last: '-' });
  assert.equal(openMessage(missed, id).lines[0], 'Seharusnya berjalan 29 Nov 2026 02:00 WIB; terakhir berjalan: -.');
  assert.equal(openMessage(missed, { lang: 'id', zone: 'Asia/Jayapura' }).lines[0], 'Seharusnya berjalan 29 Nov 2026 04:00 WIT; terakhir berjalan: -.');
  assert.equal(alertTime(stale, opened, en), '29 Nov 2026 10:00 WITA');
  const older = alert('sync-stuck', 'Toko', { since: '2026-11-23 02:00 UTC', stage: 'restore' });
  assert.equal(openMessage(older, id).lines[0], 'Berjalan sejak 2026-11-23 02:00 UTC (tahap restore).', 'alerts stored before keep their text');
});

test('in a fleet an alert says which machine ran the job; a stopped worker names its machine and when it went quiet', () => {
  const failed = alert('sync-failed', 'Toko X', { stage: 'restore', error: 'connect ECONNREFUSED 127.0.0.1:5432', machine: 'gudang-2' });
  assert.ok(openMessage(failed, id).lines.includes('Mesin: gudang-2'));
  assert.ok(openMessage(failed, en).lines.includes('Machine: gudang-2'));
  assert.ok(!openMessage(alert('sync-failed', 'Toko X', { stage: 'restore', error: 'x' }), id).lines.some((l) => /^Mesin/.test(l)));
  const down = alert('worker-down', 'gudang-2', { pid: 4242, silentSince: '2026-11-29T01:58:00.000Z' });
  assert.equal(openMessage(down, id).title, 'Worker tokobot di gudang-2 berhenti');
  assert.equal(openMessage(down, en).lines[0], 'No sign of life since 29 Nov 2026 08:58 WIB (pid 4242). The other workers took up its jobs.');
  assert.equal(resolvedMessage(down, id, opened).title, '✅ Pulih: worker tokobot di gudang-2 berjalan lagi');
});
