import { hostname } from 'node:os';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startService, type Service } from '../../src/main/service.ts';
import { isLoopbackHost } from '../../src/loopback.ts';
import { startOpsHttp } from '../../src/main/ops-http-server.ts';
import { isAppError } from '../../src/errors.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { sync } from '../helpers/sync-checks.ts';
import { freePort } from '../helpers/free-port.ts';
import { freshBackup } from '../helpers/fresh-backup.ts';
import path from 'node:path';

/**
 * `tokobot start` with HTTP_PORT, configured as in a container (HTTP_HOST=0.0.0.0, so HTTP_TOKEN):
 * /healthz, /metrics and /status over real HTTP. The tests connect through 127.0.0.1 only; what
 * needs the token is decided by the configured address, not by where a request comes from.
 */
const STORE = `http${process.pid}`;
const TOKEN = 'test-http-token-0123456789abcdef';
/** A database password in the configuration (PG_DOCKER_PASSWORD: unused by the external target, but a secret all the same). */
const PASSWORD = 'Pw-never-shown-9f3c';
const auth = { authorization: `Bearer ${TOKEN}` };
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let base = '';

before(async () => {
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  const port = await freePort();
  h = await startHarness('external', STORE, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, HTTP_PORT: String(port), SYNC_CRON: '0 0 1 1 *',
    HTTP_HOST: '0.0.0.0', HTTP_TOKEN: TOKEN, PG_DOCKER_PASSWORD: PASSWORD, TELEGRAM_OWNERS: '700100200' });
  const dumped = await freshBackup(fixture.i5buPath, path.join(h.dataDir, 'backup.zip'), 'Asia/Jakarta', new Date(Date.now() - 2 * 3_600_000));
  await h.fake.addFile(`${h.folder}/backup.zip`, dumped, new Date(Date.now() - 2 * 3_600_000));
  assert.equal((await sync(h)).status, 'success');
  service = await startService(h.app);
  await tg.until(() => service.telegram.state().ready); // Telegram connects in the background
  base = `http://127.0.0.1:${service.httpPort}`;
});

after(async () => {
  await service?.stop();
  await h?.close();
  await tg?.close();
});

test('/healthz needs no token and says only up or down per part: no host, path, user, id or error text', async () => {
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.deepEqual(JSON.parse(text), { status: 'ok', checks: { process: 'ok', opsDatabase: 'ok', restoreServer: 'ok', telegram: 'ok' } });
  for (const secretish of ['127.0.0.1', 'postgres', h.app.config.ops.database, h.dataDir, '700100200', 'external', 'polling']) {
    assert.ok(!text.includes(secretish), `/healthz shows ${secretish}`);
  }
});

test('beyond loopback, /status and /metrics answer 401 without the right token and 200 with it', async () => {
  for (const path of ['/status', '/metrics']) {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: `Basic ${TOKEN}` }, { authorization: 'Bearer ' }]) {
      const res = await fetch(`${base}${path}`, { headers });
      assert.equal(res.status, 401, `${path} with ${JSON.stringify(headers)}`);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="tokobot"');
      assert.doesNotMatch(await res.text(), new RegExp(STORE));
    }
    assert.equal((await fetch(`${base}${path}`, { headers: auth })).status, 200, path);
  }
});

test('/metrics in Prometheus format: runs and durations per store, backup age, open alerts, process figures', async () => {
  const res = await fetch(`${base}/metrics`, { headers: auth });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.match(text, new RegExp(`^tokobot_sync_runs\\{store="${STORE}",status="success"\\} 1$`, 'm'));
  assert.match(text, new RegExp(`^tokobot_sync_last_duration_seconds\\{store="${STORE}",status="success"\\} [\\d.]+$`, 'm'));
  const age = Number(new RegExp(`^tokobot_backup_age_seconds\\{store="${STORE}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  assert.ok(age >= 7190 && age < 7400, `backup age ${age}`);
  assert.match(text, /^tokobot_alerts_open\{severity="critical"\} \d+$/m);
  assert.match(text, /^tokobot_process_resident_memory_bytes \d+/m);
  // The service's own worker (WORKER_CONCURRENCY 1) beats on this machine; its queue holds no job now.
  assert.match(text, new RegExp(`^tokobot_workers\\{machine="${hostname()}"\\} 1$`, 'm'));
  assert.match(text, /^tokobot_queue_jobs\{state="waiting"\} 0$/m);
  assert.match(text, /^tokobot_queue_jobs\{state="given_up"\} 0$/m);
});

test('/status as JSON with the health details for the token holder, and anything else is a 404 that names the endpoints', async () => {
  const status = await (await fetch(`${base}/status`, { headers: auth })).json() as {
    health: { status: string; checks: Record<string, { ok: boolean; text: string }> }; stores: { store: string; freshness: string }[]; jobs: unknown[]; alerts: unknown[];
    queue: { waiting: number; running: number; givenUp: number; workers: { machine: string; pid: number; concurrency: number }[] } };
  assert.equal(status.health.status, 'ok');
  assert.equal(status.health.checks.restoreServer?.text, 'external: accepting connections');
  assert.equal(status.health.checks.telegram?.text, 'long polling');
  assert.equal(status.stores[0]?.store, STORE);
  assert.equal(status.stores[0]?.freshness, 'OK');
  assert.deepEqual(status.jobs, []);
  assert.deepEqual({ ...status.queue, workers: status.queue.workers.map((w) => ({ machine: w.machine, pid: w.pid, concurrency: w.concurrency })) },
    { waiting: 0, running: 0, givenUp: 0, workers: [{ machine: hostname(), pid: process.pid, concurrency: 1 }] });
  const missing = await fetch(`${base}/nope`);
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /try \/healthz, \/metrics or \/status/);
});

test('/status never shows a configured password or token, even where a failure text quotes one', async () => {
  const id = await h.app.opsStores.runs.start(STORE, 'test');
  await h.app.opsStores.runs.update(id, { stage: 'restore', error: `connection to postgres://postgres:${PASSWORD}@db:5432/x failed; bot ${tg.token}` }, 'failed');
  const text = await (await fetch(`${base}/status`, { headers: auth })).text();
  assert.match(text, /postgres:\/\/postgres:\[secret\]@db:5432\/x failed; bot \[secret\]/, 'the failure itself stays readable');
  for (const secret of [PASSWORD, tg.token, TOKEN, h.env.DROPBOX_APP_SECRET!, h.env.DROPBOX_REFRESH_TOKEN!]) assert.ok(!text.includes(secret));
});

test('beyond loopback without HTTP_TOKEN tokobot refuses to start, saying what to set; on loopback no token is needed', async () => {
  const app = { ...h.app, config: { ...h.app.config, http: { ...h.app.config.http, token: undefined } } } as typeof h.app;
  await assert.rejects(startService(app), (err: Error) => isAppError(err) && err.kind === 'config'
    && /HTTP_HOST=0\.0\.0\.0 is not a loopback address.*Set HTTP_TOKEN.*Authorization: Bearer.*HTTP_HOST=127\.0\.0\.1/s.test(err.message));
  const options = { port: 0, backups: service.backups, nextBackup: () => null, telegram: () => ({ ready: true, text: 'long polling' }), messengers: () => [],
    queue: { counts: async () => ({ waiting: 0, running: 0, givenUp: 0 }) } };
  await assert.rejects(startOpsHttp(app, { ...options, host: '::' }), /HTTP_HOST=:: is not a loopback address/);
  const local = await startOpsHttp(app, { ...options, host: '127.0.0.1' });
  try {
    assert.equal((await fetch(`http://127.0.0.1:${local.port}/status`)).status, 200);
  } finally {
    await local.close();
  }
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '::ffff:10.0.0.1', 'tokobot.example', '']) assert.ok(!isLoopbackHost(host), host);
});
