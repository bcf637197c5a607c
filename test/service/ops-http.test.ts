import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startService, type Service } from '../../src/service.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { FakeTelegram } from '../fakes/fake-telegram.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { sync } from '../helpers/sync-checks.ts';
import { freePort } from '../helpers/free-port.ts';

/** `tokobot start` with HTTP_PORT: /healthz, /metrics and /status over real HTTP on the loopback. */
const STORE = `http${process.pid}`;
let tg: FakeTelegram;
let h: Harness;
let service: Service;
let base = '';


before(async () => {
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  tg = await FakeTelegram.start();
  const port = await freePort();
  h = await startHarness('external', STORE, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, HTTP_PORT: String(port), SYNC_CRON: '0 0 1 1 *' });
  await h.fake.addFile(`${h.folder}/backup.zip`, fixture.zipPath, new Date(Date.now() - 2 * 3_600_000));
  assert.equal((await sync(h)).status, 'success');
  service = await startService(h.app);
  base = `http://127.0.0.1:${service.httpPort}`;
});

after(async () => {
  await service?.stop();
  await h?.close();
  await tg?.close();
});

test('/healthz: the process, the ops database, the restore server and Telegram, as JSON', async () => {
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 200);
  const body = await res.json() as { status: string; checks: Record<string, { ok: boolean; text: string }> };
  assert.equal(body.status, 'ok');
  assert.deepEqual(Object.keys(body.checks), ['process', 'opsDatabase', 'restoreServer', 'telegram']);
  assert.equal(body.checks.restoreServer?.text, 'external: accepting connections');
  assert.equal(body.checks.telegram?.text, 'long polling');
});

test('/metrics in Prometheus format: runs and durations per store, backup age, open alerts, process figures', async () => {
  const res = await fetch(`${base}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.match(text, new RegExp(`^tokobot_sync_runs\\{store="${STORE}",status="success"\\} 1$`, 'm'));
  assert.match(text, new RegExp(`^tokobot_sync_last_duration_seconds\\{store="${STORE}",status="success"\\} [\\d.]+$`, 'm'));
  const age = Number(new RegExp(`^tokobot_backup_age_seconds\\{store="${STORE}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  assert.ok(age >= 7190 && age < 7400, `backup age ${age}`);
  assert.match(text, /^tokobot_alerts_open\{severity="critical"\} \d+$/m);
  assert.match(text, /^tokobot_process_resident_memory_bytes \d+/m);
});

test('/status as JSON, and anything else is a 404 that names the endpoints', async () => {
  const status = await (await fetch(`${base}/status`)).json() as { stores: { store: string; freshness: string }[]; jobs: unknown[]; alerts: unknown[] };
  assert.equal(status.stores[0]?.store, STORE);
  assert.equal(status.stores[0]?.freshness, 'OK');
  assert.deepEqual(status.jobs, []);
  const missing = await fetch(`${base}/nope`);
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /try \/healthz, \/metrics or \/status/);
});
