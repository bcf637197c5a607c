import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startService, type Service } from '../../src/main/service.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram, type TgUser } from '../fakes/fake-telegram.ts';
import { FakeWhatsApp } from '../fakes/fake-whatsapp-client.ts';
import { adminQuery, LOCAL_PG_URL } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { needPgDump } from '../helpers/needs.ts';
import { SMTP_PASSWORD, SMTP_USER, SmtpTestServer } from '../helpers/smtp-test-server.ts';

/**
 * `tokobot start` with alerts, through the fake Bot API and a fake WhatsApp client: a failed
 * sync, a failed backup job, a store whose backups stopped arriving and a full disk each reach the
 * Telegram and the WhatsApp recipient once, and a "resolved" message follows when each is fixed. DATA_DIR is a small tmpfs, so the disk is
 * really full.
 */
const STORE = `al${process.pid}`;
const ALERT_CHAT = 4242;
const admin: TgUser = { id: 4243, first_name: 'Andi' };
const work = mkdtempSync(path.join(tmpdir(), 'tokobot-alerts-'));
const disk = path.join(work, 'disk');
const JOB_DB = `tokobot_t_alertjob_${process.pid}`;
const WA_NUMBER = '6281234567890';
const wa = new FakeWhatsApp();
const EMAIL = 'budi@toko.test';
let smtp: SmtpTestServer;
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let fixture: SharedFixture;

const skip = await needPgDump();

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  mkdirSync(disk);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=192m', 'tmpfs', disk]);
  writeFileSync(path.join(work, 'tokobot.json'), JSON.stringify({
    stores: [{ id: STORE, name: 'Toko Alarm', dropboxFolder: `/iPOS/${STORE}`, staleHours: 26 }],
    jobs: [{ id: 'kasir', type: 'postgres', url: LOCAL_PG_URL.replace(/\/[^/]*$/, `/${JOB_DB}`), verify: false,
      destinations: [{ type: 'local', dir: path.join(work, 'backups') }] }],
    alerts: { recipients: [{ name: 'Grup Toko', telegram: ALERT_CHAT, lang: 'id' }, { name: 'Bu Sri', whatsapp: WA_NUMBER, lang: 'id' },
      { name: 'Pak Budi', email: EMAIL, lang: 'en' }] },
  }));
  tg = await FakeTelegram.start();
  smtp = await SmtpTestServer.start();
  h = await startHarness('external', STORE, {
    TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_ADMINS: String(admin.id), TOKOBOT_CONFIG: path.join(work, 'tokobot.json'),
    DATA_DIR: disk, DISK_MIN_FREE_MB: '100', SYNC_CRON: '0 0 1 1 *', WHATSAPP_ENABLED: 'true',
    SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`, SMTP_FROM: 'tokobot@toko.test',
  });
  await h.fake.addFile(`/iPOS/${STORE}/backup-lama.zip`, fixture.zipPath, new Date(Date.now() - 30 * 3_600_000));
  service = await startService(h.app, { alertIntervalMs: 100, whatsappClient: wa.createClient });
  await tg.until(() => service.telegram.state().ready); // Telegram connects in the background
  await tg.until(() => wa.clients.length > 0 && wa.latest.initialized);
  wa.latest.ready();
});

after(async () => {
  if (skip) return;
  await service?.stop();
  await h?.close();
  await tg?.close();
  await smtp?.close();
  await adminQuery(`DROP DATABASE IF EXISTS "${JOB_DB}"`);
  try { execFileSync('umount', [disk]); } catch { /* not mounted */ }
  rmSync(work, { recursive: true, force: true });
});

const toChat = () => tg.messages(ALERT_CHAT).map((m) => m.text ?? '');
const toWhatsApp = () => wa.clients.flatMap((c) => c.sent).filter((m) => m.chatId === `${WA_NUMBER}@c.us`).map((m) => m.text);
const count = (re: RegExp) => toChat().filter((t) => re.test(t)).length;
const countWa = (re: RegExp) => toWhatsApp().filter((t) => re.test(t)).length;
/** Until both channels have it: Telegram as HTML (<b>), WhatsApp as *bold*. */
const until = (re: RegExp, n = 1) => tg.until(() => count(re) >= n && countWa(re) >= n && true, 20_000);
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Each opened once and resolved once, on both channels; the resolution says what works again, not what failed. */
function onceEach(title: string, recovered: string): void {
  assert.equal(count(new RegExp(`^(❗|⚠️) <b>${esc(title)}`)), 1, `Telegram: ${title}`);
  assert.equal(countWa(new RegExp(`^(❗|⚠️) \\*${esc(title)}`)), 1, `WhatsApp: ${title}`);
  assert.equal(count(new RegExp(`^<b>✅ Pulih: ${esc(recovered)}</b>`)), 1);
  assert.equal(countWa(new RegExp(`^\\*✅ Pulih: ${esc(recovered)}\\*`)), 1);
  const resolved = [...toChat(), ...toWhatsApp()].filter((t) => t.includes(`Pulih: ${recovered}`));
  assert.ok(resolved.every((t) => !/gagal|berhenti|penuh/i.test(t) && / WIB sampai \d+ \w{3} \d{4} \d\d:\d\d WIB\.$/.test(t)), resolved.join('\n'));
}
const store = () => h.app.config.stores[0]!;

test('a store whose backups stopped arriving: one alert, and "resolved" once a new backup arrives', { skip }, async () => {
  await service.alerting.monitors.run();
  service.alerting.loop.kick(0);
  await until(/Backup Toko Alarm berhenti datang/);
  assert.match(toChat().find((t) => /berhenti datang/.test(t)) ?? '', /<b>Backup Toko Alarm berhenti datang<\/b>\nBackup terbaru: backup-lama\.zip \(\d+ \w{3} \d{4} \d\d:\d\d WIB\), 30 jam lalu \(batas 26 jam\)/);
  await service.alerting.monitors.run();
  await h.fake.addFile(`/iPOS/${STORE}/backup-baru.zip`, fixture.zipPath, new Date());
  await service.alerting.monitors.run();
  service.alerting.loop.kick(0);
  await until(/Pulih: backup Toko Alarm datang lagi/);
  onceEach('Backup Toko Alarm berhenti datang', 'backup Toko Alarm datang lagi');
});

test('a failed sync alerts; the next good sync resolves it', { skip }, async () => {
  await h.fake.addFile(`/iPOS/${STORE}/rusak.i5bu`, Buffer.from('PGDMP not really an archive'), new Date(Date.now() + 60_000));
  const failed = await service.runner.run(store(), 'test');
  assert.equal(failed.status, 'failed');
  await until(/Sync Toko Alarm gagal/);
  assert.match(toChat().find((t) => /Sync Toko Alarm gagal/.test(t)) ?? '', /Tahap inspect: /);
  h.fake.removeFile(`/iPOS/${STORE}/rusak.i5bu`);
  assert.equal((await service.runner.run(store(), 'test')).status, 'success');
  await until(/Pulih: sync Toko Alarm berhasil lagi/);
  onceEach('Sync Toko Alarm gagal', 'sync Toko Alarm berhasil lagi');
  // By e-mail too, once each, in the recipient's English, the severity first in the subject.
  const subjects = () => smtp.received(EMAIL).map((m) => m.subject ?? '');
  await tg.until(() => subjects().some((s) => s.includes('Recovered: sync of Toko Alarm works again')), 20_000);
  assert.equal(subjects().filter((s) => /^\[(CRITICAL|Warning)\] tokobot: Sync of Toko Alarm failed$/.test(s)).length, 1, subjects().join('\n'));
  assert.equal(subjects().filter((s) => s === '[Info] tokobot: ✅ Recovered: sync of Toko Alarm works again').length, 1, subjects().join('\n'));
});

test('a failed backup job alerts with what to do; a good run resolves it', { skip }, async () => {
  const failed = await service.backups.run(h.app.job('kasir'), 'test');
  assert.equal(failed.status, 'failed');
  await until(/Backup kasir GAGAL/);
  assert.match(toChat().find((t) => /Backup kasir GAGAL/.test(t)) ?? '', /does not exist: check the job's URL.*\nSejak: .*\nBackup terakhir yang baik: -\. Perbaiki penyebabnya lalu kirim \/backup kasir\./s);
  await adminQuery(`CREATE DATABASE "${JOB_DB}"`);
  assert.equal((await service.backups.run(h.app.job('kasir'), 'test')).status, 'success');
  await until(/Pulih: backup kasir berhasil lagi/);
  onceEach('Backup kasir GAGAL', 'backup kasir berhasil lagi');
});

test('a full disk: pruned first, then one alert; freeing space resolves it', { skip }, async () => {
  const exports = path.join(disk, 'exports', STORE);
  for (let i = 0; i < 6; i++) writeFileSync(path.join(exports, `${STORE}_2020010${i}_000000.csv`), 'old export\n');
  const filler = path.join(disk, 'not-tokobot.bin');
  writeFileSync(filler, Buffer.alloc(120 * 1024 * 1024, 1));
  await service.alerting.monitors.run();
  service.alerting.loop.kick(0);
  await until(/Disk hampir penuh/);
  assert.equal(readdirSync(exports).length, 5, 'old exports beyond EXPORT_KEEP were pruned first');
  assert.match(toChat().find((t) => /Disk hampir penuh/.test(t)) ?? '', /Sisa \d+ MB di .*\(minimal 100 MB\), setelah file lama dibersihkan\./);
  unlinkSync(filler);
  await service.alerting.monitors.run();
  service.alerting.loop.kick(0);
  await until(/Pulih: ruang disk cukup lagi/);
  onceEach('Disk hampir penuh', 'ruang disk cukup lagi');
});

test('/alerts lists what is open and the channels; /alerts test reports each recipient', { skip }, async () => {
  const before = tg.messages(admin.id).length;
  tg.userSays(admin, '/alerts');
  const list = await tg.until(() => tg.messages(admin.id).length > before && tg.messages(admin.id).at(-1));
  assert.match(list.text ?? '', /Tidak ada peringatan terbuka\.\n\ntelegram: ready\nwhatsapp: linked\nemail: ready/);
  tg.userSays(admin, '/alerts test');
  const report = await tg.until(() => tg.messages(admin.id).length > before + 1 && tg.messages(admin.id).at(-1));
  assert.match(report.text ?? '', /telegram 4242 \(Grup Toko\): sent\nwhatsapp 6281234567890 \(Bu Sri\): sent\nemail budi@toko\.test \(Pak Budi\): sent/);
  assert.deepEqual(smtp.received(EMAIL).filter((m) => /Test alert/.test(m.subject ?? '')).map((m) => m.subject), ['[Info] tokobot: 🔔 Test alert from tokobot']);
  assert.equal(count(/Tes peringatan dari tokobot/), 1);
});
