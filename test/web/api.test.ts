import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobConfig } from '../../src/config/jobs-from.ts';
import { AlertEngine } from '../../src/pipeline/alerts/alert-engine.ts';
import { MemoryAlertStore } from '../fakes/memory-alert-stores.ts';
import { MemoryBackupLog } from '../fakes/memory-backup-log.ts';
import { MemoryRunHistory } from '../fakes/memory-run-history.ts';
import { MemorySyncRunLog } from '../fakes/memory-stores.ts';
import { ADMIN, job, NOW, OWNER, run, STAFF, status, store, webSetup } from '../helpers/web-app.ts';

/** The JSON API in process: the pages' data and roles, over the memory run logs and alert store. */
const HOUR = 3_600_000;
const ENDPOINTS = ['/api/status', '/api/stores', '/api/runs', '/api/running', '/api/jobs', '/api/alerts'];
const TOKEN = 'integration-token-1';

async function setup() {
  let clock = new Date(NOW.getTime() - 10 * HOUR);
  const syncs = new MemorySyncRunLog(() => clock);
  const backups = new MemoryBackupLog(() => clock);
  const history = new MemoryRunHistory(syncs, backups);
  const step = async (hours: number) => { clock = new Date(clock.getTime() + hours * HOUR); };
  // a: three good syncs an hour apart (one with stages); db: a failed backup; b: a sync running now.
  for (const n of [1, 2, 3]) {
    const id = await syncs.start('a', 'schedule');
    await syncs.update(id, n === 3 ? { stages: [{ name: 'download', startedAt: clock.toISOString(), endedAt: new Date(clock.getTime() + 60_000).toISOString() }] } : {});
    await step(0.5);
    await syncs.update(id, { rowCount: 100 * n }, 'success');
    await step(0.5);
  }
  const b = await backups.start('db', 'chat:1');
  await step(0.25);
  await backups.update(b, { error: 'connect postgres://u:s3cret-pw@h/db refused' }, 'failed');
  await syncs.start('b', 'chat:700100250');
  const engine = new AlertEngine({ store: new MemoryAlertStore(), recipients: [], remindMs: HOUR, zone: 'Asia/Jakarta', clock: () => NOW });
  await engine.raise({ key: 'sync:a', kind: 'sync-failed', severity: 'warning', subject: 'Toko a', params: { stage: 'restore', error: 'pw s3cret-pw' } });
  await engine.raise({ key: 'disk', kind: 'disk-low', severity: 'critical', subject: 'disk', params: { free: 10, dir: '/data', min: 500 } });
  await engine.clear('disk');
  const dbJob = { id: 'db', type: 'postgres', url: 'postgres://u:s3cret-pw@h/db', passphrase: 'k3y-phrase', destinations: [{ type: 'local', dir: '/srv/b' }],
    retention: { keepLast: 3, daily: 7, weekly: 4, monthly: 6 }, verify: true, timeoutMs: 1, extension: '.dump.enc', schedule: '0 2 * * *' } as JobConfig;
  const w = webSetup({
    stores: [[store('a'), status(store('a'), 'OK')], [store('b', 'Toko "B" <script>'), status(store('b', 'Toko "B" <script>'), 'RUNNING')]],
    jobs: [job('db', { job: dbJob, last: run({ job: 'db', status: 'failed', error: 'dump: s3cret-pw refused' }), lastGood: run({ job: 'db' }) })],
    deps: {
      runs: (o) => history.recent(o),
      running: async () => (await history.running()).map((r) => ({ ...r, progress: r.subject === 'b' ? { stage: 'restore', done: 5, total: 10 } : null })),
      alerts: { open: () => engine.open(), resolved: (n) => engine.resolved(n), mute: (k, u) => engine.mute(k, u), channels: () => [{ channel: 'telegram', ready: true, text: 'connected' }], test: async () => [] },
      apiViewer: async (token) => (token === TOKEN ? { userId: OWNER, role: 'admin' } : null),
    },
  });
  const cookies = { owner: await w.session(OWNER), admin: await w.session(ADMIN), staff: await w.session(STAFF) };
  const get = async (path: string, cookie?: string, headers: Record<string, string> = {}) => {
    const res = await w.app.request(path, { headers: { ...headers, ...(cookie ? { cookie } : {}) } });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() as Record<string, any> };
  };
  return { ...w, cookies, get };
}

test('no endpoint answers without a session or a valid token: 401 with the {error, message} shape', async () => {
  const { get } = await setup();
  for (const path of ENDPOINTS) {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic abc' }, { cookie: 'tokobot_session=forged' }] as Record<string, string>[]) {
      const res = await get(path, undefined, headers);
      assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
      assert.match(res.type ?? '', /application\/json/);
      assert.equal(res.body.error, 'webApiSignIn');
      assert.match(res.body.message, /not signed in/);
    }
  }
});

test('staff get 403 on /api/jobs and /api/alerts; admins, owners and an API token get the data', async () => {
  const { get, cookies } = await setup();
  for (const path of ['/api/jobs', '/api/alerts']) {
    const refused = await get(path, cookies.staff);
    assert.equal(refused.status, 403, path);
    assert.deepEqual(Object.keys(refused.body), ['error', 'message']);
    assert.equal(refused.body.error, 'webNotAllowed');
    for (const cookie of [cookies.admin, cookies.owner]) assert.equal((await get(path, cookie)).status, 200);
    assert.equal((await get(path, undefined, { authorization: `Bearer ${TOKEN}` })).status, 200, `${path} with a token`);
  }
  for (const path of ENDPOINTS.slice(0, 4)) assert.equal((await get(path, cookies.staff)).status, 200, path);
});

test('roles shape the data as on the pages: staff see stores and syncs only, no backup jobs or backup runs', async () => {
  const { get, cookies } = await setup();
  const stores = await get('/api/stores', cookies.staff);
  assert.deepEqual(stores.body, (await get('/api/stores', cookies.owner)).body, 'stores are the same for every role');
  assert.deepEqual(stores.body.stores.map((s: { id: string }) => s.id), ['a', 'b'], 'as configured');
  const a = stores.body.stores[0];
  assert.deepEqual({ state: a.state, zone: a.zone, newest: a.newest, lastGood: a.lastGood, lastFailure: a.lastFailure }, {
    state: 'OK', zone: 'Asia/Jakarta', newest: { file: 'a.i5bu', at: '2026-11-29T03:00:00.000Z', ageHours: 2 },
    lastGood: { at: '2026-11-29T03:00:00.000Z', rows: 12345 }, lastFailure: null });
  assert.deepEqual((await get('/api/status', cookies.staff)).body.jobs, []);
  assert.deepEqual((await get('/api/status', cookies.admin)).body.jobs.map((j: { id: string }) => j.id), ['db']);

  const staffRuns = (await get('/api/runs', cookies.staff)).body.runs as { kind: string }[];
  assert.deepEqual([...new Set(staffRuns.map((r) => r.kind))], ['sync']);
  const adminRuns = (await get('/api/runs', cookies.admin)).body.runs as { kind: string }[];
  assert.deepEqual([...new Set(adminRuns.map((r) => r.kind))].sort(), ['backup', 'sync']);
  assert.equal((await get('/api/runs?store=db', cookies.staff)).status, 403);
});

test('bad query parameters: 400 with a clear message, an unknown store 404; nothing else is answered', async () => {
  const { get, cookies } = await setup();
  for (const limit of ['0', '501', 'abc', '-1', '1.5', '', '1e2', '00000001', '50;drop']) {
    const res = await get(`/api/runs?limit=${encodeURIComponent(limit)}`, cookies.owner);
    assert.equal(res.status, 400, `limit=${limit}`);
    assert.deepEqual(res.body, { error: 'webApiBadLimit', message: 'limit must be a whole number from 1 to 500 (default 50)' });
  }
  for (const store of ['nope', '../a', 'A', '<script>']) {
    const res = await get(`/api/runs?store=${encodeURIComponent(store)}`, cookies.owner);
    assert.equal(res.status, 404, `store=${store}`);
    assert.equal(res.body.error, 'webApiUnknownStore');
    assert.match(res.body.message, /unknown store: use an id from \/api\/stores/);
  }
  assert.equal((await get('/api/runs?limit=500&store=a', cookies.owner)).status, 200);
});

test('/api/runs: newest first, limited, by store or job, stages with durations and ISO times, secrets scrubbed', async () => {
  const { get, cookies } = await setup();
  const all = (await get('/api/runs', cookies.owner)).body.runs as Record<string, any>[];
  assert.deepEqual(all.map((r) => `${r.kind}:${r.subject}:${r.id}`), ['sync:b:4', 'backup:db:1', 'sync:a:3', 'sync:a:2', 'sync:a:1']);
  assert.deepEqual((await get('/api/runs?limit=2', cookies.owner)).body.runs.map((r: { id: number }) => r.id), [4, 1]);
  const a = (await get('/api/runs?store=a&limit=2', cookies.owner)).body.runs as Record<string, any>[];
  assert.deepEqual(a.map((r) => r.id), [3, 2]);
  assert.deepEqual(a[0], {
    kind: 'sync', id: 3, subject: 'a', trigger: 'schedule', status: 'success', stage: null,
    startedAt: '2026-11-28T21:00:00.000Z', finishedAt: '2026-11-28T21:30:00.000Z', durationMs: 30 * 60_000, error: null,
    stages: [{ name: 'download', startedAt: '2026-11-28T21:00:00.000Z', endedAt: '2026-11-28T21:01:00.000Z', durationMs: 60_000 }],
  });
  const db = (await get('/api/runs?store=db', cookies.admin)).body.runs as Record<string, any>[];
  assert.deepEqual(db.map((r) => [r.kind, r.status, r.durationMs]), [['backup', 'failed', 15 * 60_000]]);
  assert.equal(db[0]!.error, 'connect postgres://u:[secret]@h/db refused');
});

test('/api/running: what runs now with stage and progress; /api/jobs without connection URLs or passphrases; /api/alerts open and resolved', async () => {
  const { get, cookies } = await setup();
  const running = (await get('/api/running', cookies.staff)).body.running as Record<string, any>[];
  assert.deepEqual(running.map((r) => [r.kind, r.subject, r.status, r.finishedAt, r.durationMs, r.progress]), [['sync', 'b', 'running', null, null, { stage: 'restore', done: 5, total: 10 }]]);

  const jobs = await get('/api/jobs', cookies.admin);
  const text = JSON.stringify(jobs.body);
  assert.doesNotMatch(text, /s3cret-pw|k3y-phrase/);
  const db = jobs.body.jobs[0];
  assert.deepEqual([db.id, db.type, db.schedule, db.encrypted, db.destinations, db.last.status, db.last.error, db.lastGood.file, db.lastGood.bytes],
    ['db', 'postgres', '0 2 * * *', true, [{ type: 'local', dir: '/srv/b' }], 'failed', 'dump: [secret] refused', 'db.dump', 5_242_880]);

  const alerts = (await get('/api/alerts', cookies.owner)).body;
  assert.deepEqual(alerts.open.map((a: Record<string, unknown>) => [a.key, a.severity, a.title, a.openedAt, a.mutedUntil, a.params]),
    [['sync:a', 'warning', 'Sync of Toko a failed', NOW.toISOString(), null, { stage: 'restore', error: 'pw [secret]' }]]);
  assert.deepEqual(Object.keys(alerts.open[0]).sort(), ['key', 'kind', 'lastSentAt', 'mutedUntil', 'openedAt', 'params', 'severity', 'subject', 'title'], 'no bookkeeping');
  assert.deepEqual(alerts.resolved.map((a: Record<string, unknown>) => [a.key, a.resolvedAt]), [['disk', NOW.toISOString()]]);
  assert.deepEqual(alerts.channels, [{ channel: 'telegram', ready: true, text: 'connected' }]);
});
