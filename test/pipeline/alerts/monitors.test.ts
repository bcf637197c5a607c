import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DropboxSource } from '../../../src/adapters/dropbox/dropbox-source.ts';
import { AlertEngine } from '../../../src/pipeline/alerts/alert-engine.ts';
import { Monitors, previousFire, type MonitorDeps } from '../../../src/pipeline/alerts/monitors.ts';
import type { Messenger, MessengerState } from '../../../src/pipeline/alerts/ports.ts';
import { migrate } from '../../../src/store/postgres/ops-database.ts';
import { tryLock } from '../../../src/store/postgres/locks.ts';
import { PostgresAlertStore } from '../../../src/store/postgres/postgres-alert-store.ts';
import { PostgresBackupLog } from '../../../src/store/postgres/postgres-backup-log.ts';
import { PostgresOpsWatch } from '../../../src/store/postgres/postgres-ops-watch.ts';
import { PgRunHistory } from '../../../src/store/postgres/run-history.ts';
import type { RestoreTarget } from '../../../src/pipeline/ports.ts';
import type { JobConfig } from '../../../src/config/load-config.ts';
import { FakeDropbox } from '../../fakes/fake-dropbox.ts';
import { RecordingMessenger } from '../../fakes/recording-messenger.ts';
import { createScratchDb, dropScratchDb, scratchPool } from '../../helpers/local-pg.ts';

const DB = 'tokobot_t_monitors';
const HOUR = 3_600_000;
let pool: pg.Pool;
let fake: FakeDropbox;
let now: Date;
let free = 10_000 * 1024 * 1024;
const whatsapp = new RecordingMessenger('whatsapp');
const telegram = new RecordingMessenger('telegram');
const job: JobConfig = { id: 'nightly', type: 'postgres', url: 'postgres://x/y', schedule: '0 2 * * *', destinations: [],
  retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 }, verify: false, timeoutMs: 60 * 60_000, extension: '.dump' };
let engine: AlertEngine;
let monitors: Monitors;

function deps(): MonitorDeps {
  return {
    engine, watch: new PostgresOpsWatch(pool), runs: new PgRunHistory(pool), lock: (name) => tryLock(pool, name), stores: [{ id: 'pusat', name: 'Toko Pusat', schedule: '*/30 * * * *', source: { type: 'dropbox', folder: '/iPOS/pusat' } }],
    sourceFor: () => new DropboxSource({ folder: '/iPOS/pusat', ...fake.clientOptions(), retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }),
    staleHours: 26, jobs: [job], backupLog: new PostgresBackupLog(pool), target: { kind: 'external' } as RestoreTarget, dataDir: '/nonexistent',
    exportKeep: 5, diskMinFreeMb: 1024, freeSpace: async () => free, syncStuckMs: 3 * HOUR, channels: [telegram, whatsapp], channelGraceMs: 15 * 60_000,
    clock: () => now, logger: { warn: (o) => { throw new Error(`a monitor failed: ${JSON.stringify(o)}`); } },
  };
}
const openKeys = async () => (await engine.open()).map((a) => a.key).sort();

before(async () => {
  await createScratchDb(DB);
  pool = scratchPool(DB);
  await migrate(pool);
  fake = await FakeDropbox.start();
});
after(async () => {
  await pool.end();
  await dropScratchDb(DB);
  await fake.close();
});
beforeEach(async () => {
  await pool.query('TRUNCATE alerts, alert_outbox, backup_runs, sync_runs CASCADE');
  now = new Date(2026, 10, 23, 12, 0);
  engine = new AlertEngine({ store: new PostgresAlertStore(pool), recipients: [], remindMs: 6 * HOUR, zone: 'Asia/Jakarta', clock: () => now });
  monitors = new Monitors(deps());
});

test('a folder that stops receiving backups: quiet for 26 hours, then an alert, cleared by the next file', async () => {
  await fake.addFile('/iPOS/pusat/harian-1.i5bu', Buffer.from('x'), new Date(now.getTime() - HOUR));
  await monitors.run();
  assert.deepEqual(await openKeys(), ['missed:nightly']);
  now = new Date(now.getTime() + 25 * HOUR);
  await monitors.run();
  assert.ok(!(await openKeys()).includes('stale:pusat'), 'not yet');
  now = new Date(now.getTime() + 2 * HOUR);
  await monitors.run();
  assert.ok((await openKeys()).includes('stale:pusat'));
  const alert = (await engine.open()).find((a) => a.key === 'stale:pusat');
  assert.equal(alert?.params.hours, 28);
  await fake.addFile('/iPOS/pusat/harian-2.i5bu', Buffer.from('y'), now);
  await monitors.run();
  assert.ok(!(await openKeys()).includes('stale:pusat'));
});

test('a scheduled job that did not run at its time (30 minutes\' grace) and one stuck past its timeout', async () => {
  const log = new PostgresBackupLog(pool);
  const run = await log.start('nightly', 'schedule');
  await pool.query('UPDATE backup_runs SET started_at = $2 WHERE id = $1', [run, new Date(2026, 10, 23, 2, 0, 5)]);
  await log.update(run, {}, 'success');
  await monitors.run();
  assert.ok(!(await openKeys()).includes('missed:nightly'), 'today\'s 02:00 run happened');
  now = new Date(2026, 10, 24, 2, 20);
  await monitors.run();
  assert.ok(!(await openKeys()).includes('missed:nightly'), 'within the grace');
  now = new Date(2026, 10, 24, 2, 31);
  await monitors.run();
  assert.ok((await openKeys()).includes('missed:nightly'));
  const stuck = await log.start('nightly', 'schedule');
  await pool.query("UPDATE backup_runs SET started_at = $2, status = 'running' WHERE id = $1", [stuck, new Date(2026, 10, 24, 2, 31)]);
  await monitors.run();
  assert.ok(!(await openKeys()).includes('missed:nightly'), 'it started');
  now = new Date(2026, 10, 24, 3, 40);
  await monitors.run();
  const alert = (await engine.open()).find((a) => a.key === 'backup:nightly');
  assert.match(String(alert?.params.error), /still running since .*past its limit of 60 minutes/);
});

test('previousFire finds the last time a schedule fired', () => {
  const task = { match: (d: Date) => d.getHours() === 2 && d.getMinutes() === 0 };
  assert.deepEqual(previousFire(task, new Date(2026, 10, 24, 1, 59)), new Date(2026, 10, 23, 2, 0));
  assert.equal(previousFire({ match: () => false }, new Date()), null);
});

test('a channel down for longer than the grace raises its own alert; a short reconnect stays quiet', async () => {
  whatsapp.ready = false;
  whatsapp.stateText = 'disconnected since 12:00';
  await monitors.run();
  now = new Date(now.getTime() + 10 * 60_000);
  telegram.ready = false;
  telegram.stateText = 'unreachable since 12:10 (ECONNREFUSED)';
  await monitors.run();
  assert.ok(!(await openKeys()).includes('whatsapp'));
  now = new Date(now.getTime() + 6 * 60_000);
  await monitors.run();
  assert.ok((await openKeys()).includes('whatsapp'));
  assert.ok(!(await openKeys()).includes('telegram'), 'Telegram has been down only 6 minutes');
  now = new Date(now.getTime() + 10 * 60_000);
  await monitors.run();
  const down = (await engine.open()).find((a) => a.key === 'telegram');
  assert.deepEqual([down?.kind, down?.subject, down?.params.state], ['telegram-down', 'Telegram', 'unreachable since 12:10 (ECONNREFUSED)']);
  whatsapp.ready = true;
  telegram.ready = true;
  await monitors.run();
  assert.ok(!(await openKeys()).includes('whatsapp'));
  assert.ok(!(await openKeys()).includes('telegram'));
});

test('e-mail failing for a reason of the server\'s for longer than the grace raises its alert; it goes when a send goes', async () => {
  let state: MessengerState = { ready: true, text: 'ready', code: 'ready' };
  const email: Messenger = { channel: 'email', state: () => state, send: async () => undefined };
  const m = new Monitors({ ...deps(), channels: [email] });
  state = { ready: true, text: 'last send failed: a recipient refused for good', code: 'sendFailed', detail: '550' };
  now = new Date(now.getTime() + 60 * 60_000);
  await m.checkChannels();
  assert.ok(!(await openKeys()).includes('email'), 'one address refused is not an outage');
  state = { ready: true, text: 'last send failed: cannot be reached (ECONNREFUSED)', code: 'sendFailed', since: new Date(now.getTime() - 10 * 60_000).toISOString() };
  await m.checkChannels();
  assert.ok(!(await openKeys()).includes('email'), 'failing for 10 minutes only');
  now = new Date(now.getTime() + 6 * 60_000);
  await m.checkChannels();
  const down = (await engine.open()).find((a) => a.key === 'email');
  assert.deepEqual([down?.kind, down?.severity, down?.params.state], ['email-down', 'critical', 'last send failed: cannot be reached (ECONNREFUSED)']);
  state = { ready: true, text: 'ready', code: 'ready' };
  await m.checkChannels();
  assert.ok(!(await openKeys()).includes('email'));
});

test('low disk and a sync stuck for hours', async () => {
  free = 100 * 1024 * 1024;
  await pool.query("INSERT INTO sync_runs (store, trigger, status, stage, started_at) VALUES ('pusat', 'schedule', 'running', 'restore', $1)", [new Date(now.getTime() - 4 * HOUR)]);
  await monitors.run();
  const keys = await openKeys();
  assert.ok(keys.includes('disk') && keys.includes('stuck:pusat'), keys.join(', '));
  free = 10_000 * 1024 * 1024;
  await pool.query("UPDATE sync_runs SET status = 'failed'");
  await monitors.run();
  assert.ok(!(await openKeys()).some((k) => k === 'disk' || k === 'stuck:pusat'));
});

test('the restore server down (it holds the alerts too): told straight to the channels once, and once when it is back', async () => {
  const told: string[] = [];
  let down = true;
  const dead = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'x', database: 'x', connectionTimeoutMillis: 2000 });
  const [deadWatch, liveWatch] = [new PostgresOpsWatch(dead), new PostgresOpsWatch(pool)];
  const watch = { ping: () => (down ? deadWatch : liveWatch).ping() };
  const m = new Monitors({ ...deps(), watch, tellDirectly: async (alert, _since, resolved) => { told.push(`${alert.kind} ${resolved ? 'resolved' : 'open'} ${String(alert.params.error).slice(0, 40)}`); } });
  await m.checkRestoreServer();
  await m.checkRestoreServer();
  down = false;
  await m.checkRestoreServer();
  await m.checkRestoreServer();
  await dead.end();
  assert.equal(told.length, 2, told.join('\n'));
  assert.match(told[0] ?? '', /^restore-server-down open .*ECONNREFUSED/);
  assert.match(told[1] ?? '', /^restore-server-down resolved/);
});
