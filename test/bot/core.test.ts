import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/errors.ts';
import { ADMIN, inGroup, OWNER, OWNERS_GROUP, press, say, STAFF, STRANGER, testCore as core, text } from '../helpers/bot-core.ts';

test('every admin and owner command is refused to staff and strangers; strangers may only ask /whoami', async () => {
  const { core: c } = core({ rateLimitPerMinute: 100 });
  for (const cmd of ['/sync', '/export']) assert.match(text(await say(c, STAFF, cmd)), /hanya untuk (admin|owner)/);
  assert.match(text(await say(c, ADMIN, '/export')), /hanya untuk owner/);
  for (const cmd of ['/status', '/sync', '/export', '/history', '/toko', 'indomie', '/harga gula']) {
    assert.match(text(await say(c, STRANGER, cmd)), /belum terdaftar.*99/s, cmd);
  }
  assert.match(text(await say(c, STRANGER, '/whoami')), /ID Telegram Anda: 99/);
});

test('owners hear of a stranger once', async () => {
  const { core: c, told } = core();
  await say(c, STRANGER, 'halo');
  await say(c, STRANGER, 'halo lagi');
  assert.equal(told.length, 1);
  assert.match(told[0]!, /user 99 \(ID 99\)/);
});

test('public mode: anyone may ask prices, nothing else', async () => {
  const { core: c } = core({ publicMode: true });
  assert.match(text(await say(c, STRANGER, 'indomie')), /INDOMIE GRG 85G — PCS Rp 3\.500/);
  assert.match(text(await say(c, STRANGER, '/status')), /hanya untuk staff/);
});

test('cost prices appear on item cards for owners only', async () => {
  const { core: c } = core();
  const list = await say(c, STAFF, 'indomie');
  assert.doesNotMatch(text(await press(c, STAFF, list!.buttons![0]![0]!.data)), /pokok/);
  const ownerList = await say(c, OWNER, 'indomie');
  assert.match(text(await press(c, OWNER, ownerList!.buttons![0]![0]!.data)), /pokok Rp 3\.000 \(16,7%\)/);
  assert.match(text(await press(c, STAFF, 'it:zzzz')), /kedaluwarsa/);
});

test('in a group an owner gets staff answers: no cost on cards (also from a private button), no /export; an owners\' group is answered in full', async () => {
  const { core: c } = core({ rateLimitPerMinute: 100 });
  const list = await say(c, OWNER, 'indomie', inGroup());
  assert.match(text(list), /INDOMIE GRG 85G — PCS Rp 3\.500/);
  assert.doesNotMatch(text(list), /pokok|3\.000/);
  const card = list!.buttons![0]![0]!.data;
  assert.doesNotMatch(text(await press(c, OWNER, card, inGroup())), /pokok/);
  assert.doesNotMatch(text(await press(c, OWNER, card, { id: 0, kind: 'group' })), /pokok/, 'a press whose chat is unknown counts as a group');
  assert.match(text(await press(c, OWNER, card)), /pokok Rp 3\.000/, 'the same button in private shows cost');
  assert.match(text(await say(c, OWNER, '/export', inGroup())), /tidak dijawab di grup.*chat pribadi/s);
  assert.match(text(await say(c, ADMIN, '/sync', inGroup())), /chat pribadi/);
  assert.match(text(await press(c, ADMIN, 'bk:webshop', inGroup())), /chat pribadi/);
  assert.match(text(await say(c, STAFF, '/export', inGroup())), /hanya untuk owner/, 'someone who may not anyway is told so');
  assert.match(text(await say(c, OWNER, '/whoami', inGroup())), /Peran: staff\nID grup ini: -100200/);
  assert.doesNotMatch(text(await say(c, OWNER, '/help', inGroup())), /\/export|\/sync/);
  assert.equal((await say(c, OWNER, '/export'))?.document?.path, '/tmp/x.xlsx');
  assert.equal((await say(c, OWNER, '/export csv'))?.document?.path, '/tmp/x.csv');
  assert.equal((await say(c, OWNER, '/export', inGroup(OWNERS_GROUP)))?.document?.path, '/tmp/x.xlsx');
  assert.match(text(await press(c, OWNER, card, inGroup(OWNERS_GROUP))), /pokok Rp 3\.000/);
  assert.doesNotMatch(text(await press(c, STAFF, card, inGroup(OWNERS_GROUP))), /pokok/, 'an owners\' group does not raise anyone');
});

test('errors: a known problem says what it is; anything else gets an apology with a reference, logged', async () => {
  const { core: c, logged } = core({ search: { search: async () => { throw new Error('socket hang up'); }, suggest: async () => [], item: async () => null } });
  const reply = await say(c, STAFF, 'gula');
  assert.match(text(reply), /^Maaf, terjadi kesalahan\. Kode referensi: [0-9a-f]{8}$/);
  assert.equal(logged.length, 1);
  assert.ok(JSON.stringify(logged[0]).includes(text(reply).slice(-8)));
  const known = core({ search: { search: async () => { throw new AppError('unreachable', 'postgres', 'Cannot connect to the PostgreSQL server at db:5432.'); },
    suggest: async () => [], item: async () => null } });
  const told = await say(known.core, STAFF, 'gula');
  assert.equal(told?.severity, 'error');
  assert.deepEqual(told?.lines, ['Server PostgreSQL tokobot tidak bisa dihubungi. Periksa apakah server itu (atau Docker) berjalan; tokobot mencoba lagi nanti.',
    'Cannot connect to the PostgreSQL server at db:5432.']);
  assert.equal(known.logged.length, 0, 'a known problem needs no log line');
  const busy = await say(core().core, ADMIN, '/sync');
  assert.match(text(await busy!.live!(async () => undefined)), /sedang berjalan/);
});

test('a failed /sync says what is wrong and what to do first, then the stage and the detail', async () => {
  const { core: c } = core({ runSync: async () => ({ runId: 1, store: 'main', status: 'failed', failedStage: 'validate', error: 'only 10 rows, 900 before',
    failure: { kind: 'refused', system: 'price-list' }, durationsMs: {} }) });
  const end = await (await say(c, ADMIN, '/sync'))?.live?.(async () => undefined);
  assert.equal(end?.severity, 'error');
  assert.deepEqual(end?.lines, ['Daftar harga baru gagal diperiksa dan tidak diterbitkan; daftar lama tetap dipakai. Periksa data di iPOS.',
    'Sync Toko Utama gagal saat validate: only 10 rows, 900 before']);
});

test('a user over the rate limit is told once, then ignored until the minute has passed', async () => {
  const { core: c, tick } = core();
  const replies = [];
  for (let i = 0; i < 8; i++) replies.push(await say(c, STAFF, '/whoami'));
  assert.equal(replies.filter((r) => r && /ID Telegram/.test(text(r))).length, 5);
  assert.equal(replies.filter((r) => r && /Terlalu banyak/.test(text(r))).length, 1);
  assert.equal(replies.filter((r) => r === null).length, 2);
  assert.match(text(await say(c, OWNER, '/whoami')), /ID Telegram Anda: 1/, 'other users are not affected');
  tick(60_001);
  assert.match(text(await say(c, STAFF, '/whoami')), /ID Telegram/);
});

test('/lang switches one user to English', async () => {
  const { core: c } = core();
  assert.match(text(await say(c, STAFF, '/lang en')), /Language: English/);
  assert.match(text(await say(c, STAFF, '/sync')), /this command is for admin only/);
  assert.match(text(await say(c, ADMIN, '/export')), /hanya untuk owner/);
});

const job = { id: 'webshop', type: 'mysql' as const, url: 'mysql://x', destinations: [], retention: { keepLast: 1, daily: 0, weekly: 0, monthly: 0 },
  verify: true, timeoutMs: 1000, extension: '.sql.gz', schedule: '0 2 * * *' };
const goodRun = { id: 7, job: 'webshop', trigger: 'chat:2', status: 'success' as const, stage: 'prune', stages: [], startedAt: new Date('2026-11-23T02:00:00Z'),
  finishedAt: new Date('2026-11-23T02:01:00Z'), fileName: 'webshop_20261123_020000.sql.gz', bytes: 5 * 1048576, sha256: 'ab'.repeat(32),
  destinations: [{ destination: 'the folder /srv/b', location: '/srv/b/webshop_20261123_020000.sql.gz' }],
  verification: { ok: true, detail: 'loaded into a scratch database: 3 tables, 10 rows, every count equal to the snapshot' }, error: null, failure: null };

test('/backup: admins get the jobs as buttons; a press runs the job with progress and shows size, checksum, where it went', async () => {
  const progress: string[] = [];
  const { core: c } = core({ rateLimitPerMinute: 100, backups: {
    jobs: [job], progress: () => null, states: async () => [],
    run: async (id, trigger, onProgress) => {
      assert.equal(id, 'webshop');
      assert.equal(trigger, `chat:${ADMIN}`);
      onProgress({ stage: 'dump', done: 3 * 1048576, rows: 1200 });
      onProgress({ stage: 'upload', done: 1, total: 4 * 1048576, destination: 'Dropbox /b' });
      return goodRun;
    },
  } });
  assert.match(text(await say(c, STAFF, '/backup')), /hanya untuk admin/);
  const menu = await say(c, ADMIN, '/backup');
  assert.deepEqual(menu?.buttons, [[{ text: 'webshop', data: 'bk:webshop' }]]);
  assert.match(text(await press(c, STAFF, 'bk:webshop')), /hanya untuk admin/);
  const started = await press(c, ADMIN, 'bk:webshop');
  assert.match(text(started), /Backup webshop dimulai/);
  const end = await started?.live?.(async (r) => { progress.push(text(r)); });
  assert.match(progress[0] ?? '', /webshop: dump 3,0 MB, 1200 baris/);
  assert.match(progress[1] ?? '', /kirim Dropbox \/b 0% \(4,0 MB\)/);
  assert.match(text(end ?? null), /Backup webshop berhasil: webshop_20261123_020000\.sql\.gz, 5,0 MB/);
  assert.match(text(end ?? null), /SHA-256 abab/);
  assert.match(text(end ?? null), /→ \/srv\/b\/webshop_20261123_020000\.sql\.gz/);
  assert.match(text(await say(c, ADMIN, '/backup nope')), /Job backup "nope" tidak ada\. Pilihan: webshop/);
});

test('/backup of a failed run says why; /jobs and /status show schedules, next run and the last result', async () => {
  const failed = { ...goodRun, id: 8, status: 'failed' as const, error: 'dump: Cannot reach MySQL at 127.0.0.1:3306', fileName: null,
    failure: { kind: 'unreachable' as const, system: 'mysql' as const } };
  const { core: c } = core({ rateLimitPerMinute: 100,
    status: async (store) => ({ store: store.id, name: store.name, freshness: 'OK', newestBackup: null, lastRun: null, lastFailure: null }) as never,
    backups: {
      jobs: [job], progress: () => null, run: async () => failed,
      states: async () => [{ job, nextRun: new Date('2026-11-24T02:00:00Z'), last: failed, lastGood: goodRun, running: null }],
    } });
  const started = await say(c, ADMIN, '/backup webshop');
  const end = await started?.live?.(async () => undefined);
  assert.equal(end?.severity, 'error');
  assert.match(text(end ?? null), /^Server MySQL\/MariaDB tidak bisa dihubungi\. .*\nBackup webshop GAGAL: dump: Cannot reach MySQL/);
  const jobs = await say(c, ADMIN, '/jobs');
  assert.equal(jobs?.severity, 'error');
  // Times in STORE_TZ (WIB: UTC+7), statuses in Indonesian.
  assert.match(text(jobs), /webshop \(mysql\)\n  Jadwal: 0 2 \* \* \* · berikutnya 24 Nov 2026 09:00 WIB/);
  assert.match(text(jobs), /Terakhir: GAGAL 23 Nov 2026 09:00 WIB .*Cannot reach MySQL.*\n  Server MySQL\/MariaDB tidak bisa dihubungi/);
  assert.match(text(jobs), /Terakhir berhasil: 23 Nov 2026 09:00 WIB · webshop_20261123_020000\.sql\.gz/);
  await say(c, ADMIN, '/lang en');
  const english = text(await say(c, ADMIN, '/jobs'));
  assert.match(english, /Last: FAILED 23 Nov 2026 09:00 WIB/);
  assert.match(english, /next 24 Nov 2026 09:00 WIB/);
  const status = await say(c, OWNER, '/status');
  assert.match(text(status), /Backup:\nwebshop \(mysql\)/);
  assert.equal(status?.severity, 'error');
  assert.doesNotMatch(text(await say(c, STAFF, '/status')), /webshop/, 'staff see the stores, not the backup jobs');
});

test('/batal (owners only): lists what runs here, stops the run of that name and tells how it ended; a name not running says so', async () => {
  const asked: [string, string][] = [];
  const ends: ((end: { status: string; error: string | null }) => void)[] = [];
  const { core: c } = core({ rateLimitPerMinute: 100,
    syncInProgress: (id) => (id === 'main' ? { stage: 'restore' } : null),
    backups: { jobs: [job], progress: (id) => (id === 'webshop' ? { stage: 'upload' } : null), run: async () => goodRun, states: async () => [] },
    cancelRuns: (id, by) => {
      asked.push([id, by]);
      return id === 'main' ? [{ kind: 'sync', name: 'Toko Utama', stage: 'restore', ended: new Promise((resolve) => ends.push(resolve)) }] : [];
    },
  });
  assert.match(text(await say(c, ADMIN, '/batal main')), /hanya untuk owner/);
  assert.match(text(await say(c, OWNER, '/batal main', inGroup())), /chat pribadi/);
  assert.deepEqual(asked, [], 'refused before anything was stopped');
  assert.match(text(await say(c, OWNER, '/batal')), /\/batal NAMA\. Sedang berjalan: main \(sync, restore\), webshop \(backup, upload\)\./);
  assert.match(text(await say(c, OWNER, '/cancel nope')), /tidak sedang menjalankan sync atau backup "nope"/);

  const stopping = await say(c, OWNER, '/batal MAIN');
  assert.match(text(stopping), /^Sync Toko Utama sedang dihentikan \(tahap restore\)…$/);
  assert.deepEqual(asked.at(-1), ['main', 'user 1 (chat:1)']);
  const end = stopping?.live?.(async () => undefined);
  ends[0]?.({ status: 'failed', error: 'Cancelled by user 1 (chat:1); nothing was published (the price list in use stays as it was).' });
  assert.match(text(await end ?? null), /^Sync Toko Utama dihentikan: Cancelled by user 1 \(chat:1\); nothing was published/);

  await say(c, OWNER, '/lang en');
  const late = await say(c, OWNER, '/cancel main');
  assert.match(text(late), /Sync Toko Utama is being stopped \(stage restore\)/);
  const lateEnd = late?.live?.(async () => undefined);
  ends[1]?.({ status: 'success', error: null });
  assert.match(text(await lateEnd ?? null), /Sync Toko Utama finished before it could be stopped/);
});
