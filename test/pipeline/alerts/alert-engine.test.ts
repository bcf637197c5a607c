import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { AppError } from '../../../src/errors.ts';
import { AlertEngine } from '../../../src/pipeline/alerts/alert-engine.ts';
import { AlertOutbox } from '../../../src/pipeline/alerts/alert-outbox.ts';
import type { AlertInput, Recipient } from '../../../src/pipeline/alerts/alert-types.ts';
import { migrate } from '../../../src/store/postgres/ops-database.ts';
import { PostgresAlertOutbox } from '../../../src/store/postgres/postgres-alert-outbox.ts';
import { PostgresAlertStore } from '../../../src/store/postgres/postgres-alert-store.ts';
import { RecordingMessenger, rendered } from '../../fakes/recording-messenger.ts';
import { createScratchDb, dropScratchDb, localConnection, scratchPool } from '../../helpers/local-pg.ts';

const DB = 'tokobot_t_alerts';
const HOUR = 3_600_000;
let pool: pg.Pool;
let now: Date;
const clock = () => now;
const owner: Recipient = { name: 'Bu Sri', telegram: '1001', whatsapp: '6281234567890', lang: 'id', severities: ['warning', 'critical'] };
const tech: Recipient = { name: 'Andi', telegram: '1002', lang: 'en', severities: ['critical'] };
const group: Recipient = { name: 'group', telegram: '-100200', lang: 'id', severities: ['warning', 'critical'] };
let telegram: RecordingMessenger;
let whatsapp: RecordingMessenger;

function setup(recipients: Recipient[] = [owner, tech]) {
  const engine = new AlertEngine({ store: new PostgresAlertStore(pool), recipients, remindMs: 6 * HOUR, zone: 'Asia/Jakarta', clock });
  const outbox = new AlertOutbox({ store: new PostgresAlertOutbox(pool), recipients, messengers: { telegram, whatsapp }, clock, baseDelayMs: 60_000, maxDelayMs: 10 * 60_000 });
  return { engine, outbox, tell: async () => { await engine.remind(); await engine.flush(); return outbox.deliver(); } };
}

const failed = (store: string, error = 'pg_restore failed: out of disk'): AlertInput => ({
  key: `sync:${store}`, kind: 'sync-failed', severity: 'critical', subject: store, params: { stage: 'restore', error } });

before(async () => {
  await createScratchDb(DB);
  pool = scratchPool(DB);
  await migrate(pool);
});
after(async () => {
  await pool.end();
  await dropScratchDb(DB);
});
beforeEach(async () => {
  await pool.query('TRUNCATE alerts, alert_outbox');
  now = new Date(Date.UTC(2026, 10, 23, 2, 0));
  telegram = new RecordingMessenger('telegram');
  whatsapp = new RecordingMessenger('whatsapp');
});

test('open, stay quiet, remind after the interval, resolve: one message each, per recipient and channel, in their language', async () => {
  const { engine, tell } = setup();
  assert.equal(await engine.raise(failed('pusat')), true);
  await tell();
  assert.deepEqual(whatsapp.to(owner.whatsapp as string), [
    '❗ *Sync pusat gagal*\nTahap restore: pg_restore failed: out of disk\nSejak: 23 Nov 2026 09:00 WIB\nDaftar harga lama tetap dipakai. Periksa pesan di atas; sync berikutnya akan mencoba lagi.']);
  assert.equal(telegram.to('1001').length, 1);
  assert.match(telegram.to('1002')[0] ?? '', /^❗ <b>Sync of pusat failed<\/b>\nStage restore/);

  now = new Date(now.getTime() + HOUR);
  assert.equal(await engine.raise(failed('pusat', 'pg_restore failed: still out of disk')), false, 'already open');
  await tell();
  assert.equal(telegram.sent.length, 2, 'no repeat within the reminder interval');

  now = new Date(now.getTime() + 6 * HOUR);
  await tell();
  assert.match(telegram.to('1001')[1] ?? '', /^❗ <b>Masih: Sync pusat gagal<\/b>\nTahap restore: pg_restore failed: still out of disk\nSejak: 23 Nov 2026 09:00 WIB/);

  now = new Date(now.getTime() + HOUR);
  assert.equal(await engine.clear('sync:pusat'), true);
  assert.equal(await engine.clear('sync:pusat'), false);
  await tell();
  assert.equal(telegram.to('1002').at(-1), '<b>✅ Recovered: sync of pusat works again</b>\nThe problem lasted from 23 Nov 2026 09:00 WIB to 23 Nov 2026 17:00 WIB.');
  assert.equal(whatsapp.to(owner.whatsapp as string).at(-1), '*✅ Pulih: sync pusat berhasil lagi*\nMasalah berlangsung dari 23 Nov 2026 09:00 WIB sampai 23 Nov 2026 17:00 WIB.');
  assert.equal(whatsapp.sent.length, 3);
  assert.deepEqual(await engine.open(), []);
});

test('severities per recipient; a burst becomes one digest; opened and cleared before anyone was told says nothing', async () => {
  const { engine, tell } = setup();
  await engine.raise({ key: 'stuck:pusat', kind: 'sync-stuck', severity: 'warning', subject: 'pusat', params: { since: '01:00', stage: 'restore' } });
  await engine.clear('stuck:pusat');
  for (const s of ['a', 'b', 'c', 'd']) await engine.raise(failed(s));
  await engine.raise({ key: 'stuck:e', kind: 'sync-stuck', severity: 'warning', subject: 'e', params: { since: '01:00', stage: 'export' } });
  await tell();
  assert.equal(telegram.to('1001').length, 1, 'one digest, not five pings');
  assert.match(telegram.to('1001')[0] ?? '', /^❗ <b>5 kabar peringatan<\/b>\n❗ Sync a gagal: Tahap restore/);
  assert.doesNotMatch(telegram.to('1001')[0] ?? '', /Sync pusat macet/);
  assert.match(telegram.to('1002')[0] ?? '', /^❗ <b>4 alert updates<\/b>/, 'the warning is not for him');
  assert.equal(whatsapp.to(owner.whatsapp as string).length, 1);
});

test('a restart with a pending outbox: the new process delivers each row once', async () => {
  const first = setup();
  await first.engine.raise(failed('pusat'));
  await first.engine.flush(); // the process dies before delivering
  const second = setup();
  const res = await second.outbox.deliver();
  assert.equal(res.delivered, 3);
  assert.equal((await second.outbox.deliver()).delivered, 0);
  assert.equal(telegram.sent.length + whatsapp.sent.length, 3);
});

test('a channel failing then recovering: retried with growing waits, delivered once when it is back', async () => {
  const { engine, outbox, tell } = setup([tech]);
  telegram.failures = [1, 2, 3].map(() => new AppError('unreachable', 'telegram', 'Telegram cannot be reached', { retryable: true }));
  await engine.raise(failed('pusat'));
  await tell();
  assert.equal(telegram.sent.length, 0);
  const waits: number[] = [];
  for (let i = 0; i < 10 && !telegram.sent.length; i++) {
    const due = (await pool.query('SELECT next_attempt_at FROM alert_outbox WHERE delivered_at IS NULL')).rows[0]?.next_attempt_at as Date;
    waits.push(due.getTime() - now.getTime());
    now = due;
    await outbox.deliver();
  }
  assert.deepEqual(waits, [60_000, 120_000, 240_000]);
  assert.equal(telegram.sent.length, 1);
  const row = (await pool.query('SELECT attempts, via, last_error FROM alert_outbox')).rows[0];
  assert.deepEqual([row.attempts, row.via], [4, 'telegram']);
});

test('WhatsApp not linked: the message goes to the person\'s Telegram, or the Telegram alert chats, saying why — never twice to one chat', async () => {
  const waOnly: Recipient = { name: 'Pak Budi', whatsapp: '6289999', lang: 'id', severities: ['critical'] };
  const { engine, tell } = setup([owner, waOnly, group]);
  whatsapp.ready = false;
  whatsapp.stateText = 'disconnected since 2026-11-23 01:00 UTC';
  await engine.raise(failed('pusat'));
  await tell();
  assert.equal(whatsapp.sent.length, 0);
  assert.equal(telegram.to('1001').length, 1, 'Bu Sri has her own Telegram copy already: not sent twice');
  assert.equal(telegram.to('-100200').length, 1, 'the group has its own copy already');
  await engine.clear('sync:pusat');
  const solo: Recipient = { ...owner, telegram: '1003', whatsapp: '6281111', severities: ['critical'] };
  const fallbackOnly = setup([{ ...solo, telegram: undefined }, { ...group, severities: ['warning'] }]);
  await fallbackOnly.engine.raise(failed('cabang'));
  await fallbackOnly.tell();
  assert.match(telegram.to('-100200').find((t) => t.includes('cabang')) ?? '', /^❗ <b>Sync cabang gagal<\/b>\n\(WhatsApp sedang disconnected since 2026-11-23 01:00 UTC, jadi pesan ini dikirim ke sini\)\nTahap restore/);
  const via = (await pool.query("SELECT recipient, via FROM alert_outbox WHERE channel = 'whatsapp' ORDER BY id")).rows.map((r) => `${r.recipient} ${r.via}`);
  assert.deepEqual(via, ['6281234567890 telegram 1001', '6289999 telegram -100200', '6281111 telegram -100200', '6281111 telegram -100200']);
});

test('mute silences reminders of an open alert until the time given; resolving still tells', async () => {
  const { engine, tell } = setup([tech]);
  await engine.raise(failed('pusat'));
  await tell();
  assert.equal(await engine.mute(null, new Date(now.getTime() + 24 * HOUR)), 1);
  now = new Date(now.getTime() + 12 * HOUR);
  await tell();
  assert.equal(telegram.sent.length, 1);
  now = new Date(now.getTime() + 13 * HOUR);
  await tell();
  assert.equal(telegram.sent.length, 2, 'reminded once the mute ran out');
  await engine.clear('sync:pusat');
  await tell();
  assert.match(telegram.sent.at(-1)?.text ?? '', /^<b>✅ /);
});

/** A Telegram whose sends hang until released; `entered` resolves when the first send starts. */
function hangingMessenger() {
  const m = new RecordingMessenger('telegram');
  const releases: (() => void)[] = [];
  let entered!: () => void;
  const started = new Promise<void>((r) => { entered = r; });
  m.send = async (to, message) => {
    entered();
    await new Promise<void>((r) => releases.push(r));
    m.sent.push({ to, message, text: rendered('telegram', message) });
  };
  return { m, started, release: () => { for (const r of releases.splice(0)) r(); } };
}

const idleInTransaction = async () => (await pool.query(
  "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'", [DB])).rows[0].n as number;

test('while a send hangs no transaction is open on the ops database, and a second deliverer does not send that row', async () => {
  const { engine } = setup([tech]);
  await engine.raise(failed('pusat'));
  await engine.flush();
  const hang = hangingMessenger();
  const delivering = new AlertOutbox({ store: new PostgresAlertOutbox(pool), recipients: [tech], messengers: { telegram: hang.m }, clock }).deliver();
  // A second process: its own pool, a working Telegram.
  const otherPool = new pg.Pool(localConnection(DB));
  try {
    await hang.started;
    assert.equal(await idleInTransaction(), 0, 'a transaction waits on the network');
    const second = new AlertOutbox({ store: new PostgresAlertOutbox(otherPool), recipients: [tech], messengers: { telegram }, clock });
    assert.deepEqual(await second.deliver(), { delivered: 0, waiting: 0 });
    now = new Date(now.getTime() + 5 * 60_000);
    assert.deepEqual(await second.deliver(), { delivered: 0, waiting: 0 }, 'within the lease the row is the first deliverer\'s');
  } finally {
    hang.release();
    await otherPool.end();
  }
  assert.deepEqual(await delivering, { delivered: 1, waiting: 0 });
  assert.equal(hang.m.sent.length, 1);
  assert.equal(telegram.sent.length, 0);
  const row = (await pool.query('SELECT attempts, via, delivered_at FROM alert_outbox')).rows[0];
  assert.deepEqual([row.attempts, row.via, row.delivered_at.getTime()], [1, 'telegram', now.getTime()]);
});

test('a send that hangs past its timeout is retried later; the row of a deliverer that never comes back goes out after the lease', async () => {
  const { engine } = setup([tech]);
  await engine.raise(failed('pusat'));
  await engine.flush();
  const slow = hangingMessenger();
  const stuck = hangingMessenger();
  const late = setTimeout(() => { slow.release(); stuck.release(); }, 5_000); // bounded, also when the outbox has no timeout
  try {
    assert.deepEqual(await new AlertOutbox({ store: new PostgresAlertOutbox(pool), recipients: [tech], messengers: { telegram: slow.m }, clock, sendTimeoutMs: 100 }).deliver(), { delivered: 0, waiting: 1 });
    assert.match((await pool.query('SELECT last_error FROM alert_outbox')).rows[0].last_error, /telegram did not answer within 0\.1 s/);
    now = new Date(now.getTime() + 60 * 60_000);
    const neverBack = new AlertOutbox({ store: new PostgresAlertOutbox(pool), recipients: [tech], messengers: { telegram: stuck.m }, clock }).deliver();
    await stuck.started;
    const other = new AlertOutbox({ store: new PostgresAlertOutbox(pool), recipients: [tech], messengers: { telegram }, clock });
    now = new Date(now.getTime() + 9 * 60_000);
    assert.equal((await other.deliver()).delivered, 0);
    now = new Date(now.getTime() + 2 * 60_000);
    assert.equal((await other.deliver()).delivered, 1, 'the lease ran out');
    stuck.release();
    await neverBack;
    const row = (await pool.query('SELECT attempts, delivered_at FROM alert_outbox')).rows[0];
    assert.deepEqual([row.attempts, row.delivered_at.getTime()], [3, now.getTime()], 'the late deliverer does not overwrite the outcome');
  } finally {
    clearTimeout(late);
    slow.release();
    stuck.release();
  }
});
