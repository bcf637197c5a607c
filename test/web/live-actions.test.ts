import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/errors.ts';
import { longestGapMs } from '../../src/main/schedules.ts';
import type { Lifecycle } from '../../src/pipeline/runs/lifecycle.ts';
import { Runner } from '../../src/pipeline/runs/runner.ts';
import { startRun, type RunStart } from '../../src/pipeline/runs/start-run.ts';
import type { LiveRun, WebActions } from '../../src/web/live-progress.ts';
import { jobCard } from '../../src/web/overview.ts';
import { ADMIN, job, NOW, OWNER, run, STAFF, status, store, webSetup } from '../helpers/web-app.ts';

/**
 * Sync now, back up now and cancel on the overview, and its live progress, in process: the
 * actions go to a real Runner (the run lifecycle tokobot start uses) over a run that waits, at
 * its download stage, until it is cancelled or let go.
 */
const HOUR = 3_600_000;
type Outcome = { runId: number; status: string; error: string | null };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function slowRuns() {
  const go = new Map<string, () => void>();
  const lifecycle: Lifecycle<{ id: string }, LiveRun, Outcome> = {
    kind: 'sync', id: (s) => s.id, lock: async () => async () => undefined, recover: async () => undefined,
    busy: (s) => ({ en: `${s.id} runs`, id: `${s.id} berjalan` }), starting: { card: 'store', id: '', here: true, stage: 'check' },
    async execute(s, _trigger, onProgress, signal) {
      onProgress({ card: 'store', id: s.id, here: true, stage: 'download', done: 1_048_576, total: 4_194_304 });
      const reason = await new Promise<unknown>((resolve) => { go.set(s.id, () => resolve(null)); signal.addEventListener('abort', () => resolve(signal.reason), { once: true }); });
      return { runId: 1, status: reason ? 'failed' : 'success', error: reason instanceof Error ? reason.message : null };
    },
    shutdownError: () => new AppError('interrupted', 'tokobot', 'shutting down'),
    cancelError: (_s, by) => new AppError('interrupted', 'tokobot', `cancelled by ${by}`),
    summary: (o) => o,
  };
  const runner = new Runner(lifecycle, [{ id: 'a' }, { id: 'j' }], quiet);
  const started: string[] = [];
  const actions: WebActions = {
    start: (card, id, trigger) => { started.push(`${card}:${id}:${trigger}`); return startRun(runner, { id }, id, trigger, quiet); },
    cancel: (_card, id, by) => runner.cancel(id, by),
  };
  const live = async (): Promise<LiveRun[]> => ['a', 'j'].flatMap((id) => { const p = runner.progress(id); return p && p.stage !== 'check' ? [{ ...p, card: id === 'a' ? 'store' as const : 'job' as const }] : []; });
  return { runner, actions, live, started, finish: (id: string) => go.get(id)?.() };
}

function setup() {
  const runs = slowRuns();
  const a = store('a');
  const web = webSetup({
    stores: [[a, status(a, 'OK')]],
    jobs: [job('j', { last: run({ job: 'j' }), lastGood: run({ job: 'j' }) })],
    deps: { actions: runs.actions, live: runs.live, statuses: async (ss) => ss.map((s) => status(s, runs.runner.progress(s.id) ? 'RUNNING' : 'OK')) },
  });
  return { ...web, runs };
}

async function post(app: ReturnType<typeof setup>['app'], path: string, cookie: string, csrf: string) {
  return app.request(path, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }).toString() });
}

test('admins and owners see Sync now on a store card and Back up now on a job card; staff get no button in the page at all', async () => {
  const { app, session } = setup();
  for (const who of [OWNER, ADMIN]) {
    const html = await (await app.request('/', { headers: { cookie: await session(who) } })).text();
    assert.match(html, /<form method="post" action="\/toko\/a\/sync" class="actions"><input type="hidden" name="_csrf" value="[\w-]+"\/><button class="go">Sync sekarang<\/button>/);
    assert.match(html, /action="\/backup\/j\/jalankan"[^]*?Backup sekarang/);
    assert.doesNotMatch(html, /Batalkan/, 'nothing runs: nothing to cancel');
    assert.match(html, /<script src="\/static\/live.js" defer(="")?><\/script>/);
    assert.doesNotMatch(html, /<script>|\son[a-z]+=/i, 'no inline script or handler (the CSP would block them)');
  }
  const staff = await (await app.request('/', { headers: { cookie: await session(STAFF) } })).text();
  assert.match(staff, /Toko a/);
  assert.doesNotMatch(staff, /Sync sekarang|Backup sekarang|Batalkan|\/sync"|\/jalankan"|\/batal"/);
  const off = webSetup();
  assert.doesNotMatch(await (await off.app.request('/', { headers: { cookie: await off.session(OWNER) } })).text(), /Sync sekarang/, 'no button where no runs are made (tokobot web alone)');
});

test('a staff member\'s forged POST (valid CSRF of their own session) is refused 403 and audited; nothing starts', async () => {
  const { app, session, csrf, audit, runs } = setup();
  const cookie = await session(STAFF);
  for (const path of ['/toko/a/sync', '/backup/j/jalankan', '/toko/a/batal', '/backup/j/batal']) {
    const res = await post(app, path, cookie, csrf(cookie));
    assert.equal(res.status, 403, path);
    assert.match(await res.text(), /Peran Anda tidak boleh/);
  }
  assert.deepEqual(runs.started, []);
  assert.deepEqual(audit.entries.map((e) => [e.userId, e.role, e.action, e.target, e.outcome]), [
    [STAFF, 'staff', 'sync.start', 'a', 'refused'], [STAFF, 'staff', 'backup.start', 'j', 'refused'],
    [STAFF, 'staff', 'sync.cancel', 'a', 'refused'], [STAFF, 'staff', 'backup.cancel', 'j', 'refused']]);
  const noToken = await post(app, '/toko/a/sync', await session(ADMIN), 'wrong');
  assert.equal(noToken.status, 403, 'an admin without the CSRF token is refused too');
  const noSession = await app.request('/toko/a/sync', { method: 'POST' });
  assert.equal(noSession.status, 401);
  assert.deepEqual(runs.started, []);
});

test('Sync now starts the run and the overview shows it RUNNING with its stage and progress; a second press says it is already running', async () => {
  const { app, session, csrf, audit, runs } = setup();
  const cookie = await session(ADMIN);
  const res = await post(app, '/toko/a/sync', cookie, csrf(cookie));
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/?aksi=started&jenis=store&id=a#store-a');
  assert.deepEqual(runs.started, [`store:a:web:${ADMIN}`]);
  const page = await (await app.request('/?aksi=started&jenis=store&id=a', { headers: { cookie } })).text();
  assert.match(page, /<p class="banner" role="status">Sync Toko a dimulai.<\/p>/);
  assert.match(page, /<section class="card RUNNING" id="store-a"[^]*?<span class="live-text">unduh 25% \(1,0 MB \/ 4,0 MB\)<\/span><progress max="100" value="25">/);
  assert.match(page, /action="\/toko\/a\/batal"[^]*?Batalkan/);

  const again = await post(app, '/toko/a/sync', cookie, csrf(cookie));
  assert.equal(again.headers.get('location'), '/?aksi=busy&jenis=store&id=a#store-a');
  const busy = await (await app.request(again.headers.get('location')!, { headers: { cookie } })).text();
  assert.match(busy, /Toko a sedang berjalan: tunggu sampai selesai, atau batalkan dulu./);
  assert.deepEqual(audit.entries.map((e) => [e.action, e.outcome, e.detail]), [['sync.start', 'ok', 'started'], ['sync.start', 'refused', 'already running (download)']]);

  const live = await (await app.request('/api/live', { headers: { cookie } })).json() as { runs: Record<string, unknown>[] };
  assert.deepEqual(live.runs, [{ card: 'store', id: 'a', here: true, stage: 'download', done: 1_048_576, total: 4_194_304, stageText: 'unduh', percent: 25, text: 'unduh 25% (1,0 MB / 4,0 MB)' }]);
  runs.finish('a');
  await runs.runner.shutdown(1000);
  const done = await (await app.request('/', { headers: { cookie } })).text();
  assert.match(done, /<section class="card OK" id="store-a"/);
  assert.deepEqual((await (await app.request('/api/live', { headers: { cookie } })).json() as { runs: unknown[] }).runs, []);
});

test('Cancel on a RUNNING card stops the run through the runner, saying who; cancelling what does not run says so', async () => {
  const { app, session, csrf, audit, runs } = setup();
  const cookie = await session(OWNER);
  await post(app, '/backup/j/jalankan', cookie, csrf(cookie));
  const ended = runs.runner.run({ id: 'j' }, 'x').catch((err: unknown) => err);
  assert.ok(await ended instanceof AppError, 'the job runs: a second run is refused busy');
  const res = await post(app, '/backup/j/batal', cookie, csrf(cookie));
  assert.equal(res.headers.get('location'), '/?aksi=cancelled&jenis=job&id=j#job-j');
  assert.match(await (await app.request(res.headers.get('location')!, { headers: { cookie } })).text(), /j sedang dihentikan; kartunya menunjukkan hasil akhirnya./);
  await runs.runner.shutdown(1000);
  assert.equal(runs.runner.progress('j'), null);
  const idle = await post(app, '/backup/j/batal', cookie, csrf(cookie));
  assert.equal(idle.headers.get('location'), '/?aksi=idle&jenis=job&id=j#job-j');
  assert.deepEqual(audit.entries.map((e) => [e.action, e.target, e.outcome, e.detail]), [
    ['backup.start', 'j', 'ok', 'started'], ['backup.cancel', 'j', 'ok', 'stopped at download'], ['backup.cancel', 'j', 'refused', 'not running here']]);
});

test('the runner records who cancelled: the run ends failed with the web viewer named', async () => {
  const runs = slowRuns();
  const result: RunStart = await runs.actions.start('store', 'a', 'web:1');
  assert.deepEqual(result, { started: true });
  const ending = runs.runner.cancel('a', 'web admin (web:1)');
  assert.equal(ending?.stage, 'download');
  assert.deepEqual(await ending?.ended, { status: 'failed', error: 'cancelled by web admin (web:1)' });
});

test('unknown store or job ids are refused 404 and audited, nothing starts; `aksi` links name only known cards', async () => {
  const { app, session, csrf, audit, runs } = setup();
  const cookie = await session(ADMIN);
  for (const path of ['/toko/nope/sync', '/backup/..%2F..%2Fetc/jalankan', '/toko/%3Cscript%3E/batal']) {
    const res = await post(app, path, cookie, csrf(cookie));
    assert.equal(res.status, 404, path);
  }
  assert.deepEqual(runs.started, []);
  assert.deepEqual(audit.entries.map((e) => e.outcome), ['refused', 'refused', 'refused']);
  const page = await (await app.request('/?aksi=started&jenis=store&id=%3Cscript%3E', { headers: { cookie } })).text();
  assert.doesNotMatch(page, /class="banner"/);
  const bogus = await (await app.request('/?aksi=toString&jenis=store&id=a', { headers: { cookie } })).text();
  assert.doesNotMatch(bogus, /class="banner"/);
});

test('/api/live: staff follow syncs but not backup jobs; without a session 401', async () => {
  const { app, session, csrf } = setup();
  const admin = await session(ADMIN);
  await post(app, '/toko/a/sync', admin, csrf(admin));
  await post(app, '/backup/j/jalankan', admin, csrf(admin));
  const ids = async (cookie: string) => ((await (await app.request('/api/live', { headers: { cookie } })).json()) as { runs: { card: string; id: string }[] }).runs.map((r) => `${r.card}:${r.id}`);
  assert.deepEqual(await ids(admin), ['store:a', 'job:j']);
  assert.deepEqual(await ids(await session(STAFF)), ['store:a']);
  assert.equal((await app.request('/api/live')).status, 401);
});

test('/static/live.js is our own small script, served as JavaScript to anyone', async () => {
  const { app } = setup();
  const res = await app.request('/static/live.js');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
  const body = await res.text();
  assert.ok(body.length < 10_000, `small: ${body.length} bytes`);
  assert.match(body, /\/api\/live/);
});

test('a job whose last good backup is older than 1.5 times its longest schedule gap is ATTENTION (a run was missed)', async () => {
  const day = 24 * HOUR;
  const good = (hoursAgo: number) => run({ job: 'j', finishedAt: new Date(NOW.getTime() - hoursAgo * HOUR), startedAt: new Date(NOW.getTime() - hoursAgo * HOUR) });
  const state = (hoursAgo: number) => jobCard(job('j', { last: good(hoursAgo), lastGood: good(hoursAgo) }), 'Asia/Jakarta', NOW, day).state;
  assert.equal(state(35), 'OK');
  assert.equal(state(37), 'ATTENTION');
  assert.equal(jobCard(job('j', { last: good(100), lastGood: good(100) }), 'Asia/Jakarta', NOW, null).state, 'OK', 'on demand only: never late');
  assert.equal(jobCard(job('j', { last: run({ job: 'j', status: 'failed' }), lastGood: good(100) }), 'Asia/Jakarta', NOW, day).state, 'FAILED', 'a failure says more');
  assert.equal(jobCard(job('j', { last: run({ job: 'j', status: 'failed' }) }), 'Asia/Jakarta', NOW, day).state, 'FAILED');
  assert.equal(longestGapMs('0 2 * * *', 'Asia/Jakarta'), day);
  assert.equal(longestGapMs('0 2 * * 1-5', 'Asia/Jakarta'), 3 * day, 'weekdays only: the weekend is the longest gap');

  const { app, session } = webSetup({ jobs: [job('late', { last: good(40), lastGood: good(40) }), job('fine', { last: good(10), lastGood: good(10) })], deps: { jobEvery: () => day } });
  const html = await (await app.request('/', { headers: { cookie: await session(ADMIN) } })).text();
  assert.match(html, /<section class="card ATTENTION" id="job-late"/);
  assert.match(html, /<section class="card OK" id="job-fine"/);
  assert.ok(html.indexOf('job-late') < html.indexOf('job-fine'), 'ATTENTION comes before OK');
});
