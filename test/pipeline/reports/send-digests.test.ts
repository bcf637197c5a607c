import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zoneCronItems } from '../../../src/adapters/job-queue/zone-cron.ts';
import { EmailMessenger } from '../../../src/adapters/email/email-messenger.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { digestCronItems, reportReaders } from '../../../src/main/reports.ts';
import { AlertEngine } from '../../../src/pipeline/alerts/alert-engine.ts';
import { AlertOutbox } from '../../../src/pipeline/alerts/alert-outbox.ts';
import type { Recipient } from '../../../src/pipeline/alerts/alert-types.ts';
import { digestTask } from '../../../src/pipeline/reports/digest-task.ts';
import { gatherDigest } from '../../../src/pipeline/reports/gather-digest.ts';
import { sendDigests, type SendDigestsDeps } from '../../../src/pipeline/reports/send-digests.ts';
import { MemoryBackupLog } from '../../fakes/memory-backup-log.ts';
import { memoryAlertStores } from '../../fakes/memory-alert-stores.ts';
import { MemorySyncRunLog } from '../../fakes/memory-stores.ts';
import { SMTP_PASSWORD, SMTP_USER, SmtpTestServer } from '../../helpers/smtp-test-server.ts';
import { testRenderer } from './report-files.ts';
import type { LowStockReport } from '../../../src/pipeline/low-stock.ts';
import { renderDigest } from '../../../src/bot/report/render-digest.ts';

/** The scheduled reports: who is due at a firing, queued once per recipient and period, and an owner with only an e-mail address. */
const ZONE = 'Asia/Jakarta';
const MONDAY_7_WIB = new Date('2026-11-30T00:00:00Z');
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-c-digests-${process.pid}-`));
after(() => rmSync(dir, { recursive: true, force: true }));

const STORES = [{ id: 'pusat', name: 'Toko Pusat', schedule: '0 2 * * *', source: { type: 'folder' as const, dir } },
  { id: 'cabang1', name: 'Toko Cabang 1', schedule: '0 2 * * *', source: { type: 'folder' as const, dir } }];

/** A week with one run per store: pusat's sync failed on Wednesday, cabang1's went well. */
async function world(recipients: Recipient[], clock = () => MONDAY_7_WIB, render?: SendDigestsDeps['render']) {
  let at = new Date('2026-11-25T19:00:00Z');
  const runs = new MemorySyncRunLog(() => at);
  for (const [store, status] of [['pusat', 'failed'], ['cabang1', 'success']] as const) {
    const id = await runs.start(store, 'schedule');
    at = new Date(at.getTime() + 60_000);
    await runs.update(id, status === 'failed' ? { error: 'disk full' } : { bytes: 1234 }, status);
  }
  const stores = memoryAlertStores();
  const renderer = testRenderer();
  const deps: SendDigestsDeps = {
    gather: (ask) => gatherDigest({ backupLog: new MemoryBackupLog(), syncRuns: runs, alerts: stores.alerts, stores: STORES, jobs: [], dataDir: dir,
      diskMinFreeMb: 100, freeSpace: async () => 5e9, timeZone: ZONE, clock }, ask),
    render: render ?? renderer.render, queue: stores.alerts, recipients, zone: ZONE, clock,
  };
  return { stores, renderer, deps };
}

const OWNER: Recipient = { name: 'Bu Sari', telegram: '1001', email: 'sari@toko.test', lang: 'id', severities: ['warning', 'critical'] };
const BRANCH: Recipient = { name: 'Pak Joko', whatsapp: '6281234567890', lang: 'en', severities: ['critical'], stores: ['cabang1'] };
const EVENING: Recipient = { name: 'Kasir', telegram: '1003', lang: 'id', severities: ['critical'], digest: { daily: { hour: 21, minute: 0 }, weekly: null } };

test('Monday 07:00: the weekly report for each recipient due, on each of their channels, limited to their stores; queued once however often it fires', async () => {
  const w = await world([OWNER, BRANCH, EVENING]);
  assert.deepEqual(await sendDigests(w.deps, { period: 'week', cron: '0 7 * * 1' }), { queued: 2, already: 0 });
  const rows = w.stores.outbox.rows;
  assert.deepEqual(rows.map((r) => [r.channel, r.recipient, r.event]), [['telegram', '1001', 'report'], ['email', 'sari@toko.test', 'report'], ['whatsapp', '6281234567890', 'report']]);
  assert.deepEqual(rows[0]!.message.lines, ['pusat: 1/1', 'cabang1: 1/0']);
  assert.deepEqual(rows[2]!.message.lines, ['cabang1: 1/0'], 'the branch manager sees only cabang1');
  assert.equal(rows[2]!.message.title, 'Report week');
  assert.deepEqual(rows[0]!.message.files?.map((f) => f.name), ['grafik.png', 'laporan.pdf']);
  assert.deepEqual(w.renderer.calls.map((c) => [c.lang, c.digest.stores, c.digest.from.toISOString(), c.digest.to.toISOString()]), [
    ['id', null, '2026-11-22T17:00:00.000Z', '2026-11-29T17:00:00.000Z'], ['en', ['cabang1'], '2026-11-22T17:00:00.000Z', '2026-11-29T17:00:00.000Z']]);
  // Fired again (a retried job, a second worker): nothing more.
  assert.deepEqual(await sendDigests(w.deps, { period: 'week', cron: '0 7 * * 1' }), { queued: 0, already: 2 });
  assert.equal(w.stores.outbox.rows.length, 3);
  assert.deepEqual([...w.stores.alerts.tables.keys].sort(), ['digest:week:2026-11-23:Bu Sari', 'digest:week:2026-11-23:Pak Joko']);
  // The evening cashier's own time: only them.
  assert.deepEqual(await sendDigests(w.deps, { period: 'day', cron: '0 21 * * *' }), { queued: 1, already: 0 });
  assert.deepEqual(w.stores.outbox.rows.at(-1)?.recipient, '1003');
});

test('the digest task: a renderer failing for one recipient fails the job; the retry queues only who is missing', async () => {
  const w = await world([OWNER, BRANCH]);
  let failEnglish = true;
  const render = w.deps.render;
  const deps = { ...w.deps, render: async (...args: Parameters<typeof render>) => {
    if (args[1] === 'en' && failEnglish) throw new Error('chart renderer crashed');
    return render(...args);
  } };
  const logs: string[] = [];
  const logger = { info: (_o: object, m: string) => void logs.push(m), error: (_o: object, m: string) => void logs.push(m) };
  const task = digestTask(deps, logger);
  await assert.rejects(task({ payload: { period: 'week', cron: '0 7 * * 1' }, attempt: 1, maxAttempts: 3 }), /chart renderer crashed/);
  assert.deepEqual(w.stores.outbox.rows.map((r) => r.recipient), ['1001', 'sari@toko.test']);
  failEnglish = false;
  await task({ payload: { period: 'week', cron: '0 7 * * 1' }, attempt: 2, maxAttempts: 3 });
  assert.deepEqual(w.stores.outbox.rows.map((r) => r.recipient), ['1001', 'sari@toko.test', '6281234567890']);
  assert.deepEqual(logs, ['reports: 1 queued for sending']);
  await task({ payload: { period: 'month' }, attempt: 1, maxAttempts: 3 });
  assert.match(logs.at(-1)!, /names no period/);
});

test('an owner with only an e-mail address (EMAIL_ALERT_TO): their alert, and on Monday 07:00 WIB the weekly report with its chart and PDF', async () => {
  const config = loadConfig({ SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres', STORE_TZ: ZONE,
    SMTP_HOST: '127.0.0.1', SMTP_FROM: 'tokobot@toko.test', EMAIL_ALERT_TO: 'owner@toko.test', TOKOBOT_LANG: 'en' });
  // The schedule the workers fire: the defaults, matched in the store zone (Monday 00:00 UTC is 07:00 WIB).
  const crons = zoneCronItems(digestCronItems(config));
  const fires = (at: Date) => crons.filter((c) => c.match({ min: at.getUTCMinutes(), hour: at.getUTCHours(), date: at.getUTCDate(), month: at.getUTCMonth() + 1, dow: at.getUTCDay() }))
    .map((c) => c.payload);
  assert.deepEqual(fires(MONDAY_7_WIB), [{ period: 'day', cron: '0 7 * * *' }, { period: 'week', cron: '0 7 * * 1' }]);
  assert.deepEqual(fires(new Date('2026-12-01T00:00:00Z')), [{ period: 'day', cron: '0 7 * * *' }]);
  assert.deepEqual(fires(new Date('2026-11-30T07:00:00Z')), []);

  const smtp = await SmtpTestServer.start();
  const email = new EmailMessenger({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTLS: false, user: SMTP_USER, password: SMTP_PASSWORD, from: 'tokobot@toko.test' },
    langOf: () => 'en', timeouts: { connectMs: 2_000, socketMs: 5_000 } });
  try {
    const w = await world(config.alerts.recipients, undefined, renderDigest); // the real report: its chart and PDF
    const engine = new AlertEngine({ store: w.stores.alerts, recipients: config.alerts.recipients, remindMs: 6 * 3_600_000, zone: ZONE, clock: () => MONDAY_7_WIB });
    const outbox = new AlertOutbox({ store: w.stores.outbox, recipients: config.alerts.recipients, messengers: { email }, clock: () => MONDAY_7_WIB });
    await engine.raise({ key: 'stale:pusat', kind: 'stale-backups', severity: 'critical', subject: 'Toko Pusat', params: { newest: '-', hours: 30, limit: 26 } });
    await engine.flush();
    for (const payload of fires(MONDAY_7_WIB)) await digestTask(w.deps, { info: () => undefined, error: () => undefined })({ payload, attempt: 1, maxAttempts: 3 });
    assert.deepEqual(await outbox.deliver(), { delivered: 3, waiting: 0 });
    const mails = smtp.received('owner@toko.test');
    assert.equal(mails.length, 3);
    assert.match(mails[0]!.subject ?? '', /CRITICAL/);
    const weekly = mails.find((m) => /Weekly report 23–29 Nov 2026 — 1 failed of 2/.test(m.subject ?? ''));
    assert.ok(weekly, mails.map((m) => m.subject).join(' | '));
    assert.match(weekly.text ?? '', /Toko Pusat \(sync\): 1 run, 1 failed/);
    // The chart shown in the HTML by its content id: mailparser puts the attachment it names in place (as a data: URL).
    assert.equal(weekly.attachments[0]?.cid, 'report-weekly-2026-11-23.png');
    assert.match(String(weekly.html), /<img src="data:image\/png;base64,/);
    assert.match(String(weekly.html), /<table/);
    assert.deepEqual(weekly.attachments.map((a) => [a.filename, a.contentType]), [['report-weekly-2026-11-23.png', 'image/png'], ['report-weekly-2026-11-23.pdf', 'application/pdf']]);
    assert.equal(weekly.attachments[1]!.content.subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(weekly.attachments[0]!.content.subarray(1, 4).toString(), 'PNG');
  } finally {
    email.close();
    await smtp.close();
  }
});

test('each store in a report gets its price changes of the period and its low stock; a branch manager\'s only their store; what cannot be read is null', async () => {
  const asked: string[] = [];
  const base = { backupLog: new MemoryBackupLog(), syncRuns: new MemorySyncRunLog(() => MONDAY_7_WIB), alerts: memoryAlertStores().alerts, stores: STORES, jobs: [],
    dataDir: dir, diskMinFreeMb: 100, freeSpace: async () => 5e9, timeZone: ZONE, clock: () => MONDAY_7_WIB };
  const deps = {
    ...base,
    priceChanges: { since: async (store: string | null, from: Date, to: Date) => {
      asked.push(`${store} ${from.toISOString()} ${to.toISOString()}`);
      if (store === 'cabang1') throw new Error('ops database gone');
      return [];
    } },
    lowStock: async (store: string): Promise<LowStockReport> => ({ store, live: false }),
  };
  const from = new Date('2026-11-28T17:00:00Z');
  const d = await gatherDigest(deps, { period: 'day', from, to: MONDAY_7_WIB, stores: null });
  assert.deepEqual(d.shops, [
    { store: 'pusat', name: 'Toko Pusat', changes: [], lowStock: { store: 'pusat', live: false } },
    { store: 'cabang1', name: 'Toko Cabang 1', changes: null, lowStock: { store: 'cabang1', live: false } },
  ]);
  assert.deepEqual(asked, [`pusat ${from.toISOString()} ${MONDAY_7_WIB.toISOString()}`, `cabang1 ${from.toISOString()} ${MONDAY_7_WIB.toISOString()}`]);
  const branch = await gatherDigest(deps, { period: 'day', from, to: MONDAY_7_WIB, stores: ['pusat'] });
  assert.deepEqual(branch.shops?.map((s) => s.store), ['pusat']);
  assert.equal((await gatherDigest(base, { period: 'day', from, to: MONDAY_7_WIB, stores: null })).shops, undefined, 'nothing gathered, no section');
});

test('the reports\' readers: every alert recipient, and each Telegram owner and admin who is not one, at the default times; no readers, no firings', () => {
  const base = { SOURCE: 'folder', SOURCE_DIR: dir, RESTORE_TARGET: 'external', PG_URL: 'postgres://x@127.0.0.1/postgres', STORE_TZ: ZONE, TELEGRAM_BOT_TOKEN: '1:x' };
  const config = loadConfig({ ...base, TELEGRAM_OWNERS: '111,222', TELEGRAM_ADMINS: '333', TELEGRAM_ALERT_CHATS: '222' });
  assert.deepEqual(reportReaders(config).map((r) => [r.name, r.telegram, r.digest ?? 'default']),
    [['Telegram 222', '222', 'default'], ['Owner 111', '111', 'default'], ['Admin 333', '333', 'default']]);
  assert.deepEqual(digestCronItems(config).map((c) => c.identifier), ['digest:day:0 7 * * *', 'digest:week:0 7 * * 1']);
  assert.deepEqual(digestCronItems(loadConfig({ ...base, TELEGRAM_STAFF: '444' })), [], 'staff get no reports');
});
