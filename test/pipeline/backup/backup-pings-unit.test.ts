import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { FolderDestination } from '../../../src/adapters/folder/folder-destination.ts';
import { HttpPings, type HttpPingsOptions } from '../../../src/adapters/pings/http-pings.ts';
import { boundedBytes, MAX_BODY_BYTES } from '../../../src/adapters/pings/ping-request.ts';
import type { JobConfig, JobPing } from '../../../src/config/jobs-from.ts';
import { AppError } from '../../../src/errors.ts';
import { BackupRunner } from '../../../src/pipeline/backup/backup-runner.ts';
import type { BackupDeps } from '../../../src/pipeline/backup/backup-job.ts';
import type { PostgresDumper } from '../../../src/pipeline/backup/ports.ts';
import { FakeMonitor } from '../../fakes/fake-monitor.ts';
import { FakeRestoreTarget } from '../../fakes/fake-restore-target.ts';
import { MemoryBackupLog } from '../../fakes/memory-backup-log.ts';
import { MemoryLocks } from '../../fakes/memory-stores.ts';
import { ConnectProxy } from '../../helpers/connect-proxy.ts';
import { freePort } from '../../helpers/free-port.ts';
import { until } from '../../helpers/until.ts';

// Real backup runs (BackupRunner over the in-memory run log, a local folder) pinging monitors
// that are real HTTP servers on loopback: Healthchecks' and Uptime Kuma's ping APIs.

const UUID = '5b8c2f7e-1d3a-4e6f-9a0b-7c1d2e3f4a5b';
const RID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A database whose dump writes a few bytes, or fails as pg_dump does when told to. */
class TestDumper implements PostgresDumper {
  readonly description = 'the test database';
  failWith: Error | null = null;
  /** Hold the dump until the run is stopped. */
  hold = false;
  async dump(out: Writable, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.failWith) throw this.failWith;
    const signal = options.signal;
    if (this.hold && signal) await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    out.write('PGDMP a small database');
  }
}

/** What the pings log, whole, as JSON lines: to look for a secret in. */
function warnings() {
  const lines: string[] = [];
  return { lines, logger: { warn: (obj: object, msg: string) => { lines.push(JSON.stringify({ ...obj, msg })); } } };
}

function world(t: TestContext, ping: JobPing, options: Partial<HttpPingsOptions> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), `tokobot-pings-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dest = path.join(dir, 'dest');
  mkdirSync(dest);
  const job: JobConfig = { id: 'shop', type: 'postgres', url: 'postgres://x/y', destinations: [{ type: 'local', dir: dest }],
    retention: { keepLast: 3, daily: 0, weekly: 0, monthly: 0 }, verify: false, timeoutMs: 60_000, extension: '.dump', ping };
  const dumper = new TestDumper();
  const logged = warnings();
  const locks = new MemoryLocks();
  const deps: BackupDeps = {
    log: new MemoryBackupLog(), lock: (name) => locks.tryLock(name), target: new FakeRestoreTarget(), workRoot: path.join(dir, 'work'),
    postgres: async () => dumper, mysql: async () => { throw new Error('no MySQL here'); }, destinations: () => [new FolderDestination(dest)],
    logger: { info: () => undefined, warn: () => undefined },
    pings: new HttpPings({ logger: logged.logger, timeoutMs: 2_000, backoffMs: 20, ...options }),
  };
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  return { job, dumper, logged, runner: new BackupRunner(deps, [job], quiet) };
}

async function started(t: TestContext): Promise<FakeMonitor> {
  const m = await FakeMonitor.start();
  t.after(() => m.close());
  return m;
}

test('healthchecks: a good run pings /start then the check itself, both with the same run UUID (rid), the summary in the body', async (t) => {
  const monitor = await started(t);
  const w = world(t, { url: `${monitor.url}/${UUID}`, style: 'healthchecks' });
  const run = await w.runner.run(w.job, 'cli');
  await w.runner.pingsSent();
  assert.equal(run.status, 'success', run.error ?? '');
  assert.deepEqual(monitor.hits.map((h) => `${h.method} ${h.path}`), [`POST /${UUID}/start`, `POST /${UUID}`]);
  const [start, end] = monitor.hits;
  assert.match(start?.query.get('rid') ?? '', RID);
  assert.equal(end?.query.get('rid'), start?.query.get('rid'));
  assert.match(start?.body ?? '', /backup shop started/);
  assert.ok(end?.body.includes(run.fileName ?? 'none'), end?.body);
  assert.match(end?.body ?? '', /sha256 [0-9a-f]{64}; verification: not verified.*; stored in /);
  assert.deepEqual(w.logged.lines, []);

  // The next run is another run to the monitor.
  await w.runner.run(w.job, 'schedule');
  await w.runner.pingsSent();
  assert.equal(monitor.hits.length, 4);
  assert.notEqual(monitor.hits[2]?.query.get('rid'), start?.query.get('rid'));
});

test('healthchecks: a failed run pings /fail with why it failed (bounded to 10 KB) and its run UUID', async (t) => {
  const monitor = await started(t);
  const w = world(t, { url: `${monitor.url}/ping/key123/shop-backup?create=1`, style: 'healthchecks' });
  w.dumper.failWith = new AppError('unreachable', 'postgres', 'pg_dump: error: connection to server at "10.0.0.5", port 5432 failed: Connection refused');
  const run = await w.runner.run(w.job, 'schedule');
  await w.runner.pingsSent();
  assert.equal(run.status, 'failed');
  assert.deepEqual(monitor.hits.map((h) => h.path), ['/ping/key123/shop-backup/start', '/ping/key123/shop-backup/fail']);
  const [start, fail] = monitor.hits;
  assert.equal(fail?.query.get('rid'), start?.query.get('rid'));
  assert.equal(fail?.query.get('create'), '1', 'the query the URL had is kept');
  assert.equal(fail?.body, run.error);
  assert.match(fail?.body ?? '', /^dump: pg_dump: error: connection to server at "10\.0\.0\.5".*Connection refused/);

  w.dumper.failWith = new Error(`pg_dump: ${'é'.repeat(30_000)}`);
  await w.runner.run(w.job, 'schedule');
  await w.runner.pingsSent();
  const long = monitor.hits.at(-1);
  assert.ok(Buffer.byteLength(long?.body ?? '') <= MAX_BODY_BYTES, `${Buffer.byteLength(long?.body ?? '')} bytes`);
  assert.match(long?.body ?? '', /^dump: pg_dump: éé.*é…$/);
});

test('uptime kuma: up with the run length as ping on success, down with the message on failure, nothing at start; a pasted query is replaced', async (t) => {
  const monitor = await started(t);
  const w = world(t, { url: `${monitor.url}/api/push/Kx9pQ2?status=up&msg=OK&ping=`, style: 'uptime-kuma' });
  const good = await w.runner.run(w.job, 'cli');
  await w.runner.pingsSent();
  assert.equal(good.status, 'success');
  assert.equal(monitor.hits.length, 1, 'no ping at start');
  const up = monitor.hits[0];
  assert.equal(`${up?.method} ${up?.path}`, 'GET /api/push/Kx9pQ2');
  assert.deepEqual(up?.query.getAll('status'), ['up']);
  assert.deepEqual(up?.query.getAll('msg'), ['OK']);
  const ms = Number(up?.query.get('ping'));
  assert.ok(Number.isInteger(ms) && ms >= 0 && ms <= (good.finishedAt as Date).getTime() - good.startedAt.getTime() + 1, `ping=${ms}`);

  w.dumper.failWith = new Error('pg_dump: error: server version mismatch');
  const bad = await w.runner.run(w.job, 'cli');
  await w.runner.pingsSent();
  const down = monitor.hits[1];
  assert.deepEqual(down?.query.getAll('status'), ['down']);
  assert.equal(down?.query.get('msg'), bad.error);
  assert.equal(down?.query.has('ping'), false);
});

test('a monitor that is down or hangs: the backup succeeds unheld, the pings give up after 3 tries, the warning names the host, never the key', async (t) => {
  const port = await freePort(); // nothing listens there
  const down = world(t, { url: `http://127.0.0.1:${port}/${UUID}`, style: 'healthchecks' });
  const run = await down.runner.run(down.job, 'cli');
  assert.equal(run.status, 'success');
  await down.runner.pingsSent();
  assert.equal(down.logged.lines.length, 2, down.logged.lines.join('\n')); // start and success, each after its tries
  assert.match(down.logged.lines[0] ?? '', new RegExp(`"monitor":"127\\.0\\.0\\.1:${port}".*"ping":"start".*"reason":"ECONNREFUSED"`));

  const monitor = await started(t);
  monitor.hang = true;
  const TIMEOUT = 1_000;
  const hung = world(t, { url: `${monitor.url}/api/push/SecretKuma?status=up`, style: 'uptime-kuma' }, { timeoutMs: TIMEOUT });
  const hc = world(t, { url: `${monitor.url}/${UUID}`, style: 'healthchecks' }, { timeoutMs: TIMEOUT });
  const began = Date.now();
  const [a, b] = await Promise.all([hung.runner.run(hung.job, 'cli'), hc.runner.run(hc.job, 'cli')]);
  assert.deepEqual([a.status, b.status], ['success', 'success']);
  assert.ok(Date.now() - began < TIMEOUT, `the runs took ${Date.now() - began} ms: held by the pings`);
  await Promise.all([hung.runner.pingsSent(), hc.runner.pingsSent()]);
  const took = Date.now() - began;
  // healthchecks: start then success, each 3 tries of 1 s with 20 + 40 ms between; kuma: one ping of 3 tries.
  assert.ok(took < 3 * 2 * TIMEOUT + 1_500, `the pings took ${took} ms`);
  assert.equal(monitor.hits.filter((h) => h.path.startsWith('/api/push')).length, 3);
  assert.equal(monitor.hits.filter((h) => h.path.startsWith(`/${UUID}`)).length, 6);
  const logged = [...down.logged.lines, ...hung.logged.lines, ...hc.logged.lines].join('\n');
  assert.match(hung.logged.lines[0] ?? '', /"ping":"success".*"reason":"no answer within 1 s"/);
  for (const secret of [UUID, 'SecretKuma', '/api/push']) assert.ok(!logged.includes(secret), `${secret} reached the log:\n${logged}`);
});

test('a monitor that answers 404 (no such check) is not asked again; one warning says so', async (t) => {
  const monitor = await started(t);
  monitor.status = 404;
  const w = world(t, { url: `${monitor.url}/${UUID}`, style: 'healthchecks' });
  assert.equal((await w.runner.run(w.job, 'cli')).status, 'success');
  await w.runner.pingsSent();
  assert.equal(monitor.hits.length, 2);
  assert.equal(w.logged.lines.length, 2);
  assert.match(w.logged.lines[1] ?? '', /"reason":"HTTP 404"/);
});

test('pings go through the office proxy (HTTP_PROXY/HTTPS_PROXY) as Telegram and Dropbox do', async (t) => {
  const monitor = await started(t);
  const proxy = await ConnectProxy.start();
  t.after(() => proxy.close());
  const port = new URL(monitor.url).port;
  // A name no resolver knows (RFC 6761 .test): only the proxy, which maps every name to loopback, reaches the monitor.
  const w = world(t, { url: `http://hc-ping.test:${port}/${UUID}`, style: 'healthchecks' },
    { proxy: { http: proxy.url, https: proxy.url, noProxy: [] } });
  await w.runner.run(w.job, 'cli');
  await w.runner.pingsSent();
  assert.deepEqual(proxy.hosts(), [`hc-ping.test:${port}`]);
  assert.deepEqual(monitor.hits.map((h) => h.path), [`/${UUID}/start`, `/${UUID}`]);
  assert.deepEqual(w.logged.lines, []);
});

test('a run stopped by the shutdown is reported as failed before the shutdown ends', async (t) => {
  const monitor = await started(t);
  const w = world(t, { url: `${monitor.url}/${UUID}`, style: 'healthchecks' });
  w.dumper.hold = true;
  const run = w.runner.run(w.job, 'schedule');
  await until('the start ping', () => monitor.hits.length === 1);
  await w.runner.shutdown(0);
  assert.deepEqual(monitor.hits.map((h) => h.path), [`/${UUID}/start`, `/${UUID}/fail`]);
  assert.match(monitor.hits[1]?.body ?? '', /shut down during this backup/);
  assert.equal((await run).status, 'failed');
});

test('a job without ping is not pinged; a body is cut at a character, never inside one', async (t) => {
  const monitor = await started(t);
  const w = world(t, { url: `${monitor.url}/${UUID}`, style: 'healthchecks' });
  const { ping: _none, ...plain } = w.job;
  await w.runner.run(plain, 'cli');
  await w.runner.pingsSent();
  assert.deepEqual(monitor.hits, []);
  assert.equal(boundedBytes('kecil', 10), 'kecil');
  const cut = boundedBytes('ééééé', 8); // 10 bytes: 2 characters and the mark fit
  assert.equal(cut, 'éé…');
});
