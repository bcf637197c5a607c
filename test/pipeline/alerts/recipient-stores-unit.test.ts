import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderSource } from '../../../src/adapters/folder/folder-source.ts';
import type { StoreConfig } from '../../../src/config/load-config.ts';
import { AlertEngine } from '../../../src/pipeline/alerts/alert-engine.ts';
import { AlertOutbox } from '../../../src/pipeline/alerts/alert-outbox.ts';
import type { Recipient } from '../../../src/pipeline/alerts/alert-types.ts';
import { Monitors } from '../../../src/pipeline/alerts/monitors.ts';
import { backupAlert, syncAlert } from '../../../src/pipeline/alerts/run-alerts.ts';
import type { RestoreTarget } from '../../../src/pipeline/ports.ts';
import type { BackupRun } from '../../../src/store/backup-log.ts';
import { createMemoryBackupAlertStores } from '../../fakes/memory-backup-alert-stores.ts';
import { RecordingMessenger } from '../../fakes/recording-messenger.ts';

/**
 * Recipients limited to some stores (alerts.recipients[].stores): a branch manager hears of their
 * stores only, head office of everything; raised the way the monitors and runs raise them.
 */
const HOUR = 3_600_000;
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-recipient-stores-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const office: Recipient = { name: 'Kantor Pusat', telegram: '1001', lang: 'en', severities: ['warning', 'critical'] };
const budi: Recipient = { name: 'Pak Budi', whatsapp: '6281100000001', lang: 'id', severities: ['warning', 'critical'], stores: ['cabang'] };
const sari: Recipient = { name: 'Bu Sari', telegram: '1003', lang: 'id', severities: ['critical'], stores: ['pusat'] };

test('a recipient with stores gets only the alerts about them (in their severities); without stores, every alert; a fallback never crosses to another branch', async () => {
  let now = new Date(Date.UTC(2026, 10, 23, 2, 0));
  const clock = () => now;
  const stores = createMemoryBackupAlertStores(clock);
  const recipients = [office, budi, sari];
  const engine = new AlertEngine({ store: stores.alerts, recipients, remindMs: 6 * HOUR, zone: 'Asia/Jakarta', digestFrom: 100, clock });
  const telegram = new RecordingMessenger('telegram');
  const whatsapp = new RecordingMessenger('whatsapp');
  const outbox = new AlertOutbox({ store: stores.outbox, recipients, messengers: { telegram, whatsapp }, clock, baseDelayMs: 60_000 });

  const pusatDir = path.join(dir, 'pusat');
  const pusat: StoreConfig = { id: 'pusat', name: 'Toko Pusat', schedule: '*/30 * * * *', source: { type: 'folder', dir: pusatDir } };
  const cabang: StoreConfig = { id: 'cabang', name: 'Cabang', schedule: '*/30 * * * *', source: { type: 'folder', dir: path.join(dir, 'missing') } };
  await stores.syncRuns.start('pusat', 'schedule'); // still running 4 hours on: stuck
  now = new Date(now.getTime() + 4 * HOUR);
  mkdirSync(pusatDir);
  writeFileSync(path.join(pusatDir, 'lama.i5bu'), 'x');
  utimesSync(path.join(pusatDir, 'lama.i5bu'), new Date(now.getTime() - 30 * HOUR), new Date(now.getTime() - 30 * HOUR));
  await new Monitors({
    engine, watch: stores.watch, runs: stores.history, lock: async () => null, stores: [pusat, cabang], sourceFor: (s) => new FolderSource((s.source as { dir: string }).dir),
    staleHours: 26, jobs: [], backupLog: stores.backupLog, target: { kind: 'external' } as RestoreTarget, dataDir: dir, exportKeep: 5, diskMinFreeMb: 1,
    freeSpace: async () => 0, syncStuckMs: 3 * HOUR, channels: [], channelGraceMs: 15 * 60_000, clock, logger: { warn: (o) => { throw new Error(JSON.stringify(o)); } },
  }).run();
  await syncAlert(engine, cabang, { runId: 2, store: 'cabang', status: 'failed', failedStage: 'restore', error: 'out of disk', durationsMs: {} });
  const run = { id: 3, job: 'nightly', trigger: 'schedule', status: 'failed', stage: 'dump', stages: [], startedAt: now, finishedAt: now, fileName: null, bytes: null,
    sha256: null, destinations: [], verification: null, error: 'connection refused', failure: null } satisfies BackupRun;
  await backupAlert(engine, run, undefined);
  assert.deepEqual((await engine.open()).map((a) => a.key).sort(), ['backup:nightly', 'disk', 'source:cabang', 'stale:pusat', 'stuck:pusat', 'sync:cabang']);

  whatsapp.ready = false; // Pak Budi's only channel: his messages look for someone else who may see them
  whatsapp.stateText = 'waiting for QR';
  await engine.flush();
  const keysFor = (recipient: string) => stores.outbox.rows.filter((r) => r.recipient === recipient).map((r) => r.alertKey).sort();
  assert.deepEqual(keysFor('1001'), ['backup:nightly', 'disk', 'source:cabang', 'stale:pusat', 'stuck:pusat', 'sync:cabang'], 'head office: everything');
  assert.deepEqual(keysFor('6281100000001'), ['source:cabang', 'sync:cabang'], 'his store only: no disk, no backup job, no other store');
  assert.deepEqual(keysFor('1003'), ['stale:pusat'], 'her store, critical only (the stuck sync is a warning)');

  await outbox.deliver();
  assert.equal(whatsapp.sent.length, 0);
  assert.deepEqual(telegram.to('1003').map((t) => t.split('\n')[0]), ['❗ <b>Backup Toko Pusat berhenti datang</b>'], 'never a word about Cabang');
  const redirected = telegram.to('1001').filter((t) => t.includes('WhatsApp sedang'));
  assert.equal(redirected.length, 2, "Pak Budi's two alerts reach head office's Telegram, with why");
  assert.ok(redirected.every((t) => t.includes('Cabang')), redirected.join('\n---\n'));
});

test('a report is its recipient\'s own: with their channel down it goes to them on their other channel, or waits; never to someone else instead', async () => {
  const now = new Date(Date.UTC(2026, 10, 30, 0, 0));
  const clock = () => now;
  const stores = createMemoryBackupAlertStores(clock);
  const owner: Recipient = { name: 'Owner 2001', telegram: '2001', lang: 'id', severities: ['warning', 'critical'] };
  const both: Recipient = { name: 'Bu Rina', telegram: '2002', whatsapp: '6281100000009', lang: 'id', severities: ['warning', 'critical'] };
  const headOffice: Recipient = { name: 'Kantor', whatsapp: '6281100000002', lang: 'id', severities: ['warning', 'critical'] };
  const recipients = [owner, both, headOffice];
  const telegram = new RecordingMessenger('telegram');
  const whatsapp = new RecordingMessenger('whatsapp');
  telegram.ready = false;
  telegram.stateText = 'unreachable';
  const outbox = new AlertOutbox({ store: stores.outbox, recipients, messengers: { telegram, whatsapp }, clock, baseDelayMs: 60_000 });
  const report = (to: string, title: string) => ({ alertKey: null, event: 'report' as const, channel: 'telegram' as const, recipient: to,
    message: { severity: 'info' as const, title, lines: ['Harga pokok di bawah …'] } });
  await stores.alerts.queueOnce('changes:1', now, [report('2001', 'Perubahan harga (owner)'), report('2002', 'Perubahan harga (Bu Rina)')]);
  assert.deepEqual(await outbox.deliver(), { delivered: 1, waiting: 1 });
  assert.deepEqual(whatsapp.sent.map((m) => m.to), ['6281100000009'], 'Bu Rina on her WhatsApp; nobody gets the owner\'s');
  assert.ok(whatsapp.sent.every((m) => !JSON.stringify(m).includes('(owner)')));
});
