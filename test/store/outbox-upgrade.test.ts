import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { renderWhatsApp } from '../../src/bot/whatsapp/render-whatsapp.ts';
import type { Message } from '../../src/message.ts';
import { AlertOutbox } from '../../src/pipeline/alerts/alert-outbox.ts';
import { migrate } from '../../src/store/postgres/ops-database.ts';
import { migrations } from '../../src/store/postgres/migrations.ts';
import { PostgresAlertOutbox } from '../../src/store/postgres/postgres-alert-outbox.ts';
import { PostgresBackupLog } from '../../src/store/postgres/postgres-backup-log.ts';
import { RecordingMessenger } from '../fakes/recording-messenger.ts';
import { createScratchDb, dropScratchDb, requireLocalPg, scratchPool } from '../helpers/local-pg.ts';

/**
 * An ops database from before alert messages were data (schema version 6, alerts queued as
 * WhatsApp-style text) brought up to date: every queued row is still delivered, as a message.
 */
const skip = await requireLocalPg();
const DB = `tokobot_t_outbox_upgrade_${process.pid}`;
const NOW = new Date(Date.UTC(2026, 10, 23, 2, 0));
let pool: pg.Pool;

const OPEN = '❗ *Sync pusat gagal*\nTahap restore: out of disk\nSejak: 2026-11-23 02:00 UTC\nDaftar harga lama tetap dipakai.';
const WARNING = '⚠️ *Sync cabang macet*\nBerjalan sejak 01:00 (tahap restore).';
const REMIND = '⏰ *Masih: Sync pusat gagal*\nTahap restore: out of disk';
const RESOLVED = '✅ *Resolved: Sync of pusat failed*\nFrom 2026-11-23 02:00 UTC to 2026-11-23 03:00 UTC.';
const DIGEST = '*3 kabar peringatan*\n❗ Sync a gagal: Tahap restore: x\n✅ Sync b gagal — beres\nKirim /alerts untuk rinciannya.';
const PLAIN = 'a < b & c\n*not a title';

before(async () => {
  if (skip) return;
  await createScratchDb(DB);
  pool = scratchPool(DB);
  // Schema version 6, as ops-database.ts applied it.
  await pool.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  for (const m of migrations.filter((x) => x.version <= 6)) {
    await pool.query(m.sql);
    await pool.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
  }
  const queue = (batch: number, channel: string, recipient: string, body: string) => pool.query(`INSERT INTO alert_outbox
    (batch, alert_key, event, channel, recipient, body, created_at, next_attempt_at) VALUES ($1, NULL, 'open', $2, $3, $4, $5, $5)`,
  [batch, channel, recipient, body, NOW]);
  for (const body of [OPEN, WARNING, REMIND, RESOLVED, DIGEST, PLAIN]) await queue(1, 'telegram', '1001', body);
  await queue(2, 'telegram', '1001', OPEN.replace('pusat', 'gudang'));
  await queue(2, 'whatsapp', '6281234567890', OPEN.replace('pusat', 'gudang'));
  await pool.query("INSERT INTO backup_runs (job, trigger, status, error) VALUES ('harian', 'cli', 'failed', 'dump: refused')");
  await migrate(pool);
});
after(async () => {
  await pool?.end();
  if (!skip) await dropScratchDb(DB);
});

test('queued text rows become messages: icon and *title* as severity and title, the rest as lines', { skip }, async () => {
  const outbox = new PostgresAlertOutbox(pool);
  const taken: (Message | undefined)[] = [];
  for (let i = 0; i < 6; i++) taken.push((await outbox.take(NOW, new Date(NOW.getTime() + 60_000)))?.message);
  assert.deepEqual(taken, [
    { severity: 'error', title: 'Sync pusat gagal', lines: ['Tahap restore: out of disk', 'Sejak: 2026-11-23 02:00 UTC', 'Daftar harga lama tetap dipakai.'] },
    { severity: 'warning', title: 'Sync cabang macet', lines: ['Berjalan sejak 01:00 (tahap restore).'] },
    { severity: 'warning', title: 'Masih: Sync pusat gagal', lines: ['Tahap restore: out of disk'] },
    { severity: 'info', title: '✅ Resolved: Sync of pusat failed', lines: ['From 2026-11-23 02:00 UTC to 2026-11-23 03:00 UTC.'] },
    { severity: 'warning', title: '3 kabar peringatan', lines: ['❗ Sync a gagal: Tahap restore: x', '✅ Sync b gagal — beres', 'Kirim /alerts untuk rinciannya.'] },
    { severity: 'info', lines: ['a < b & c', '*not a title'] },
  ]);
  assert.deepEqual([renderWhatsApp(taken[0]!), renderWhatsApp(taken[1]!)], [OPEN, WARNING], 'WhatsApp shows them as they were written');
  const run = await new PostgresBackupLog(pool).get(1);
  assert.deepEqual([run?.error, run?.failure], ['dump: refused', null], 'runs from before have no failure kind');
});

test('every queued row is delivered; a queued WhatsApp row that falls back finds its Telegram twin and is not sent twice', { skip }, async () => {
  const telegram = new RecordingMessenger('telegram');
  const whatsapp = new RecordingMessenger('whatsapp');
  whatsapp.ready = false;
  const recipients = [{ name: 'Bu Sri', telegram: '1001', whatsapp: '6281234567890', lang: 'id' as const, severities: ['critical' as const] }];
  const later = new Date(NOW.getTime() + 3_600_000); // the rows taken by the test above are due again
  assert.deepEqual(await new AlertOutbox({ store: new PostgresAlertOutbox(pool), messengers: { telegram, whatsapp }, recipients, clock: () => later }).deliver(),
    { delivered: 8, waiting: 0 });
  assert.equal(telegram.to('1001').filter((t) => t.includes('gudang')).length, 1);
  assert.deepEqual((await pool.query("SELECT via FROM alert_outbox WHERE channel = 'whatsapp'")).rows, [{ via: 'telegram 1001' }]);
  assert.equal(telegram.to('1001').length, 7);
  assert.match(telegram.to('1001')[0] ?? '', /^❗ <b>Sync pusat gagal<\/b>\nTahap restore/);
  assert.equal(telegram.to('1001')[5], 'a &lt; b &amp; c\n*not a title');
});
