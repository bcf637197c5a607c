import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startService, type Service } from '../../src/main/service.ts';
import type { BackupDestination } from '../../src/pipeline/backup/ports.ts';
import { FakeTelegram, type SentMessage, type TgUser } from '../fakes/fake-telegram.ts';
import { LOCAL_PG_URL } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { needPgDump } from '../helpers/needs.ts';

/**
 * `tokobot start` with backup jobs: the schedule runs them, admins run them from Telegram and
 * see them in /jobs and /status. The jobs back up the harness's own (small) ops database.
 */
const STORE = `bks${process.pid}`;
const OPS = `tokobot_t_ops_${STORE}`;
const owner: TgUser = { id: 2001, first_name: 'Budi' };
const admin: TgUser = { id: 2002, first_name: 'Andi' };
const staff: TgUser = { id: 2003, first_name: 'Dewi' };
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-backup-service-'));
const dest = path.join(dir, 'dest');
let tg: FakeTelegram;
let h: Harness;
let service: Service;

const skip = await needPgDump();

before(async () => {
  if (skip) return;
  const url = LOCAL_PG_URL.replace(/\/[^/]*$/, `/${OPS}`);
  const local = [{ type: 'local', dir: dest }];
  writeFileSync(path.join(dir, 'tokobot.json'), JSON.stringify({ jobs: [
    { id: 'ticker', type: 'postgres', url, schedule: '* * * * *', verify: false, destinations: local, retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 } },
    { id: 'ops', type: 'postgres', url, schedule: '0 3 * * *', destinations: local },
  ] }));
  tg = await FakeTelegram.start();
  h = await startHarness('external', STORE, {
    TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_OWNERS: String(owner.id), TELEGRAM_ADMINS: String(admin.id), TELEGRAM_STAFF: String(staff.id),
    TELEGRAM_RATE_LIMIT: '60', TOKOBOT_CONFIG: path.join(dir, 'tokobot.json'), SYNC_CRON: '0 0 1 1 *',
  });
  service = await startService(h.app);
  await tg.until(() => service.telegram.state().ready); // Telegram connects in the background
});

after(async () => {
  if (skip) return;
  await service?.stop();
  await h?.close();
  await tg?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ask(user: TgUser, text: string): Promise<SentMessage> {
  const before = tg.messages(user.id).length;
  tg.userSays(user, text);
  return tg.until(() => tg.messages(user.id).length > before && tg.messages(user.id).at(-1));
}

test('/backup from Telegram: buttons, then one message that follows the run and ends with the result', { skip }, async () => {
  const menu = await ask(admin, '/backup');
  assert.deepEqual(menu.reply_markup?.inline_keyboard.map((r) => r[0]?.callback_data), ['bk:ticker', 'bk:ops']);
  const before = tg.messages(admin.id).length;
  tg.userPresses(admin, menu, 'bk:ops');
  const first = await tg.until(() => tg.messages(admin.id).length > before && tg.messages(admin.id).at(-1));
  assert.match(first.text ?? '', /Backup ops dimulai/);
  const done = await tg.until(() => /berhasil|GAGAL/.test(first.text ?? '') && first, 30_000);
  assert.match(done.text ?? '', /Backup ops berhasil: ops_\d{8}_\d{6}\.dump, [\d,]+ MB/);
  assert.match(done.text ?? '', /SHA-256 [0-9a-f]{64}/);
  assert.match(done.text ?? '', /Uji: restored into a scratch database: \d+ tables, \d+ rows/);
  assert.match(done.text ?? '', new RegExp(`→ ${dest}/ops_`));
  const run = await h.app.ops.query("SELECT trigger FROM backup_runs WHERE job = 'ops' ORDER BY id DESC LIMIT 1");
  assert.equal(run.rows[0].trigger, `chat:${admin.id}`);
});

test('/jobs and /status show schedules, the next run and the last result to admins; staff may not run backups', { skip }, async () => {
  const jobs = (await ask(admin, '/jobs')).text ?? '';
  // The schedule runs by the shops' clock (STORE_TZ, WIB), whatever this machine's clock is.
  assert.match(jobs, /ops \(postgres\)\n  Jadwal: 0 3 \* \* \* · berikutnya \d+ \w{3} \d{4} 03:00 WIB/);
  assert.match(jobs, /Terakhir: OK .* · ops_\d{8}_\d{6}\.dump/);
  assert.match((await ask(admin, '/status')).text ?? '', /Backup:\nticker \(postgres\)/);
  assert.match((await ask(staff, '/backup ops')).text ?? '', /hanya untuk admin/);
});

/** A destination whose put() waits until the run is stopped; `reached` resolves when a put starts. */
function waitingDestination(): { destination: BackupDestination; reached: Promise<void> } {
  let putStarted!: () => void;
  const reached = new Promise<void>((resolve) => { putStarted = resolve; });
  const destination: BackupDestination = {
    description: 'a destination that waits', list: async () => [], remove: async () => undefined, removeLeftovers: async () => [], read: async () => { throw new Error('nothing to read'); },
    put: (_file, _name, options) => new Promise((_resolve, reject) => {
      putStarted();
      options?.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    }),
  };
  return { destination, reached };
}

test('/batal from Telegram (owners): names the running backup, stops it, and the run ends failed saying who stopped it and that no file was kept', { skip }, async () => {
  const { destination, reached } = waitingDestination();
  const destinations = h.app.backups.destinations;
  h.app.backups.destinations = (job) => (job.id === 'ops' ? [destination] : destinations(job));
  try {
    const running = service.backups.run(h.app.job('ops'), 'test');
    await reached;
    assert.match((await ask(owner, '/batal')).text ?? '', /Sedang berjalan: .*ops \(backup, upload\)/);
    assert.match((await ask(admin, '/batal ops')).text ?? '', /hanya untuk owner/);
    const answer = await ask(owner, '/batal ops');
    assert.match(answer.text ?? '', /Backup ops sedang dihentikan \(tahap upload\)/);
    const run = await running;
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', new RegExp(`^upload: Cancelled by Budi.* \\(chat:${owner.id}\\); no file from it was kept\\.$`));
    assert.deepEqual(run.stages.map((st) => st.name), ['dump', 'verify', 'upload']);
    const done = await tg.until(() => /dihentikan:/.test(answer.text ?? '') && answer);
    assert.match(done.text ?? '', /Backup ops dihentikan: upload: Cancelled by Budi/);
    assert.match((await ask(owner, '/batal ops')).text ?? '', /tidak sedang menjalankan sync atau backup "ops"/);
  } finally {
    h.app.backups.destinations = destinations;
  }
});

// Last in the file: the job queue's cron fires on the minute, so the other tests run while it comes.
test('a scheduled job runs on its schedule (the job queue\'s cron, fired by the worker) and is logged with trigger "schedule"', { skip, timeout: 120_000 }, async () => {
  const run = await waitForScheduledRun();
  assert.equal(run.status, 'success', run.error ?? '');
  assert.match(run.file_name, /^ticker_\d{8}_\d{6}\.dump$/);
  assert.ok(readdirSync(dest).includes(run.file_name));
});

async function waitForScheduledRun(): Promise<{ status: string; error: string | null; file_name: string }> {
  for (let i = 0; i < 800; i++) {
    const res = await h.app.ops.query("SELECT status, error, file_name FROM backup_runs WHERE job = 'ticker' AND trigger = 'schedule' AND status IN ('success', 'failed') LIMIT 1");
    if (res.rows[0]) return res.rows[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no scheduled run within 80 s (the schedule fires each minute)');
}
