import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderSource } from '../../../src/adapters/folder/folder-source.ts';
import type { JobConfig } from '../../../src/config/load-config.ts';
import { AppError } from '../../../src/errors.ts';
import { AlertEngine } from '../../../src/pipeline/alerts/alert-engine.ts';
import { readArchive } from '../../../src/pipeline/archive/archive-reader.ts';
import { AlertOutbox } from '../../../src/pipeline/alerts/alert-outbox.ts';
import type { AlertInput, Recipient } from '../../../src/pipeline/alerts/alert-types.ts';
import { Monitors, type MonitorDeps } from '../../../src/pipeline/alerts/monitors.ts';
import { backupAlert, syncAlert } from '../../../src/pipeline/alerts/run-alerts.ts';
import type { BackupRun } from '../../../src/store/backup-log.ts';
import type { RestoreTarget } from '../../../src/pipeline/ports.ts';
import { createMemoryBackupAlertStores, type MemoryBackupAlertStores } from '../../fakes/memory-backup-alert-stores.ts';
import { RecordingMessenger } from '../../fakes/recording-messenger.ts';

/**
 * The alert engine, outbox and monitors over the in-memory stores: the rules themselves, in
 * milliseconds. alert-engine.test.ts and monitors.test.ts run them over PostgreSQL.
 */
const HOUR = 3_600_000;
const owner: Recipient = { name: 'Bu Sri', telegram: '1001', whatsapp: '6281234567890', lang: 'id', severities: ['warning', 'critical'] };
const tech: Recipient = { name: 'Andi', telegram: '1002', lang: 'en', severities: ['critical'] };
const failed = (store: string): AlertInput => ({ key: `sync:${store}`, kind: 'sync-failed', severity: 'critical', subject: store, params: { stage: 'restore', error: 'out of disk' } });
let now: Date;
let stores: MemoryBackupAlertStores;
let telegram: RecordingMessenger;
let whatsapp: RecordingMessenger;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-alerts-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  now = new Date(Date.UTC(2026, 10, 23, 2, 0));
  stores = createMemoryBackupAlertStores(() => now);
  telegram = new RecordingMessenger('telegram');
  whatsapp = new RecordingMessenger('whatsapp');
});

function alerting(recipients: Recipient[]) {
  const engine = new AlertEngine({ store: stores.alerts, recipients, remindMs: 6 * HOUR, zone: 'Asia/Jakarta', clock: () => now });
  const outbox = new AlertOutbox({ store: stores.outbox, recipients, messengers: { telegram, whatsapp }, clock: () => now, baseDelayMs: 60_000 });
  return { engine, outbox, tell: async () => { await engine.remind(); await engine.flush(); return outbox.deliver(); } };
}

test('open, quiet within the interval, reminded, resolved; raised again before anyone heard of the resolution says nothing new', async () => {
  const { engine, tell } = alerting([owner, tech]);
  assert.equal(await engine.raise(failed('pusat')), true);
  assert.deepEqual(await tell(), { delivered: 3, waiting: 0 });
  now = new Date(now.getTime() + 5 * HOUR);
  assert.equal(await engine.raise(failed('pusat')), false);
  await tell();
  assert.equal(telegram.sent.length + whatsapp.sent.length, 3);
  now = new Date(now.getTime() + HOUR);
  await tell();
  assert.match(telegram.to('1002').at(-1) ?? '', /^❗ <b>Still: Sync of pusat failed<\/b>/);
  await engine.clear('sync:pusat');
  assert.equal(await engine.raise(failed('pusat')), false, 'still the same alert');
  await tell();
  assert.equal(telegram.to('1002').length, 2, 'no resolution and no second opening');
  await engine.clear('sync:pusat');
  await tell();
  assert.match(telegram.to('1002').at(-1) ?? '', /^<b>✅ Recovered: sync of pusat works again<\/b>/);
  assert.deepEqual(await engine.open(), []);
});

test('a channel that fails is retried with growing waits; WhatsApp not linked goes to the person\'s Telegram once', async () => {
  const { engine, outbox, tell } = alerting([tech]);
  telegram.failures = [1, 2].map(() => new AppError('unreachable', 'telegram', 'unreachable', { retryable: true }));
  await engine.raise(failed('pusat'));
  await tell();
  const row = () => stores.outbox.rows[0] as (typeof stores.outbox.rows)[number];
  assert.deepEqual([row().attempts, row().nextAttemptAt.getTime() - now.getTime()], [1, 60_000]);
  now = row().nextAttemptAt as Date;
  await outbox.deliver();
  assert.equal(row().nextAttemptAt.getTime() - now.getTime(), 120_000);
  now = row().nextAttemptAt as Date;
  assert.deepEqual(await outbox.deliver(), { delivered: 1, waiting: 0 });
  assert.deepEqual([row().attempts, row().via, row().lastError], [3, 'telegram', 'unreachable']);

  const wa = alerting([owner]);
  whatsapp.ready = false;
  whatsapp.stateText = 'waiting for QR';
  await wa.engine.raise(failed('cabang'));
  await wa.tell();
  assert.equal(whatsapp.sent.length, 0);
  assert.equal(telegram.to('1001').length, 1, 'her own Telegram copy is there already: not sent twice');
  assert.deepEqual(stores.outbox.rows.filter((r) => r.channel === 'whatsapp').map((r) => [r.via, r.lastError]), [['telegram 1001', 'WhatsApp waiting for QR']]);
});

test('Telegram unreachable: its alerts go to the same person\'s WhatsApp once, else to the WhatsApp-only recipients; with no WhatsApp they wait', async () => {
  const shop: Recipient = { name: 'Grup Toko', telegram: '-100777', lang: 'id', severities: ['warning', 'critical'] };
  const wife: Recipient = { name: 'Bu Ani', whatsapp: '6289876543210', lang: 'en', severities: ['warning', 'critical'] };
  const { engine, outbox, tell } = alerting([owner, shop, wife]);
  telegram.ready = false;
  telegram.stateText = 'unreachable since 2026-11-23 02:00 UTC (ECONNREFUSED)';
  await engine.raise(failed('pusat'));
  assert.deepEqual(await tell(), { delivered: 4, waiting: 0 });
  assert.equal(telegram.sent.length, 0);
  assert.equal(whatsapp.to('6281234567890').length, 1, 'her own WhatsApp copy is there already: not sent twice');
  assert.deepEqual(whatsapp.to('6289876543210').map((t) => t.split('\n').slice(0, 2)).sort(), [
    ['❗ *Sync of pusat failed*', 'Stage restore: out of disk'],
    ['❗ *Sync pusat gagal*', '(Telegram sedang unreachable since 2026-11-23 02:00 UTC (ECONNREFUSED), jadi pesan ini dikirim ke sini)'],
  ], 'her own, and the shop group\'s in its language with why it comes here');
  assert.deepEqual(stores.outbox.rows.filter((r) => r.channel === 'telegram').map((r) => [r.recipient, r.via, r.lastError]), [
    ['1001', 'whatsapp 6281234567890', 'Telegram unreachable since 2026-11-23 02:00 UTC (ECONNREFUSED)'],
    ['-100777', 'whatsapp 6289876543210', 'Telegram unreachable since 2026-11-23 02:00 UTC (ECONNREFUSED)'],
  ]);

  const alone = alerting([shop]);
  await alone.engine.raise(failed('cabang'));
  assert.deepEqual(await alone.tell(), { delivered: 0, waiting: 1 });
  const row = stores.outbox.rows.find((r) => r.recipient === '-100777' && !r.via) as (typeof stores.outbox.rows)[number];
  assert.match(row.lastError ?? '', /^Telegram unreachable since .*; no WhatsApp recipient to send it to instead$/);
  telegram.ready = true;
  now = row.nextAttemptAt as Date;
  assert.deepEqual(await outbox.deliver(), { delivered: 1, waiting: 0 });
  assert.match(telegram.to('-100777')[0] ?? '', /^❗ <b>Sync cabang gagal<\/b>/, 'kept until Telegram came back, then sent there');
});

test('a failed sync or backup of a known kind leads with the owner\'s headline, in each recipient\'s language; an unknown one does not', async () => {
  const { engine, tell } = alerting([owner, tech]);
  await syncAlert(engine, { id: 'pusat', name: 'Toko Pusat', schedule: '*/30 * * * *', source: { type: 'dropbox', folder: '/iPOS' } }, { runId: 1, store: 'pusat', status: 'failed',
    failedStage: 'check', error: 'Cannot reach Dropbox (ECONNRESET)', failure: { kind: 'unreachable', system: 'dropbox' }, durationsMs: {} });
  const run = { id: 3, job: 'harian', trigger: 'schedule', status: 'failed', stage: 'upload', stages: [], startedAt: now, finishedAt: now, fileName: null, bytes: null,
    sha256: null, destinations: [], verification: null, error: 'upload: Not stored in the folder /b: disk full', failure: { kind: 'refused', system: 'disk' } } satisfies BackupRun;
  await backupAlert(engine, run, undefined);
  await tell();
  assert.deepEqual(whatsapp.to('6281234567890').map((t) => t.split('\n').slice(0, 3)), [
    ['❗ *Backup harian GAGAL*', 'Disk server penuh atau tidak boleh ditulis. Kosongkan ruang disk (atau perbaiki izin foldernya), lalu coba lagi.', 'upload: Not stored in the folder /b: disk full'],
    ['⚠️ *Sync Toko Pusat gagal*', 'Dropbox tidak bisa dihubungi atau sedang membatasi permintaan. Periksa koneksi internet server; tokobot mencoba lagi nanti.', 'Tahap check: Cannot reach Dropbox (ECONNRESET)'],
  ]);
  assert.match(telegram.to('1002')[0] ?? '', /^❗ <b>Backup harian FAILED<\/b>\nThe server's disk is full or may not be written\. /);
  await backupAlert(engine, { ...run, id: 4, job: 'mingguan', failure: null }, undefined);
  await tell();
  assert.match(telegram.to('1002').at(-1) ?? '', /^❗ <b>Backup mingguan FAILED<\/b>\nupload: Not stored/, 'no headline to give');
});

test('a sync that failed on a truncated backup: the detail in Indonesian for an Indonesian reader, in English for an English one', async () => {
  const whole = readFileSync(new URL('../../../demo/toko-contoh/backup_toko_contoh.i5bu', import.meta.url));
  const cut = path.join(dir, 'terpotong.i5bu');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  const err = await readArchive(cut).then(() => assert.fail('a truncated file was read'), (e: unknown) => e as AppError);
  const { engine, tell } = alerting([owner, { ...tech, severities: ['warning', 'critical'] }]);
  // As recordFailure makes it: the English for the run log, the Indonesian alongside.
  await syncAlert(engine, { id: 'pusat', name: 'Toko Pusat', schedule: '*/30 * * * *', source: { type: 'folder', dir } }, { runId: 1, store: 'pusat', status: 'failed',
    failedStage: 'inspect', error: err.message, errorId: err.messageId, failure: { kind: err.kind, system: err.system }, durationsMs: {} });
  await tell();
  const [toOwner = ''] = whatsapp.to('6281234567890');
  assert.match(toOwner, /\nTahap inspect: terpotong\.i5bu: file backup terpotong: .* tidak utuh .* Buat backup baru di iPOS/);
  assert.doesNotMatch(toOwner, /truncated|Take a new backup/);
  const [toTech = ''] = telegram.to('1002');
  assert.match(toTech, /\nStage inspect: terpotong\.i5bu: the backup is truncated: .* Take a new backup in iPOS/);
  assert.doesNotMatch(toTech, /terpotong:|Buat backup/);
});

test('monitors: a missed scheduled backup, a stuck sync, the restore server down (told directly, once) and back', async () => {
  const job: JobConfig = { id: 'nightly', type: 'postgres', url: 'postgres://x/y', schedule: '0 2 * * *', destinations: [],
    retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 }, verify: false, timeoutMs: HOUR, extension: '.dump' };
  writeFileSync(path.join(dir, 'harian.i5bu'), 'x');
  utimesSync(path.join(dir, 'harian.i5bu'), now, now);
  const told: string[] = [];
  const locks: string[] = [];
  const engine = new AlertEngine({ store: stores.alerts, recipients: [], remindMs: 6 * HOUR, zone: 'Asia/Jakarta', clock: () => now });
  const deps: MonitorDeps = {
    engine, watch: stores.watch, runs: stores.history, lock: async (name) => { locks.push(name); return async () => undefined; }, backupLog: stores.backupLog,
    stores: [{ id: 'pusat', name: 'Toko Pusat', schedule: '*/30 * * * *', source: { type: 'folder', dir } }], sourceFor: () => new FolderSource(dir), staleHours: 26,
    jobs: [job], target: { kind: 'external' } as RestoreTarget, dataDir: dir, exportKeep: 5, diskMinFreeMb: 1, freeSpace: async () => 1024 ** 3,
    syncStuckMs: 3 * HOUR, channels: [], channelGraceMs: 15 * 60_000, clock: () => now, logger: { warn: (o) => { throw new Error(`a monitor failed: ${JSON.stringify(o)}`); } },
    tellDirectly: async (alert, _since, resolved) => { told.push(`${alert.kind} ${resolved ? 'resolved' : 'open'}`); },
  };
  const monitors = new Monitors(deps);
  now = new Date(Date.UTC(2026, 10, 22, 23, 0));
  const sync = await stores.syncRuns.start('pusat', 'schedule');
  await stores.syncRuns.update(sync, { stage: 'restore' });
  now = new Date(Date.UTC(2026, 10, 23, 3, 0));
  stores.watch.down = new Error('connect ECONNREFUSED 127.0.0.1:5432');
  await monitors.run();
  await monitors.run();
  const open = Object.fromEntries((await engine.open()).map((a) => [a.key, a.params]));
  assert.deepEqual(Object.keys(open).sort(), ['missed:nightly', 'stuck:pusat']);
  assert.equal(open['stuck:pusat']?.stage, 'restore');
  assert.deepEqual(told, ['restore-server-down open']);
  stores.watch.down = null;
  await stores.syncRuns.update(sync, {}, 'failed');
  await stores.backupLog.start('nightly', 'schedule');
  await monitors.run();
  assert.deepEqual((await engine.open()).map((a) => a.key), [], 'the run started, the sync is over');
  assert.deepEqual(told, ['restore-server-down open', 'restore-server-down resolved']);
  assert.deepEqual(locks, [], 'enough disk: no sync lock taken to clean leftovers');
});
