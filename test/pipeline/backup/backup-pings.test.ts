import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBackupHarness, runCli, type BackupHarness } from '../../helpers/backup-harness.ts';
import { createScratchDb, dropScratchDb, LOCAL_PG_URL, withLocalClient } from '../../helpers/local-pg.ts';
import { freePort } from '../../helpers/free-port.ts';
import { needPgDump } from '../../helpers/needs.ts';
import { FakeMonitor } from '../../fakes/fake-monitor.ts';

// `tokobot backup run` as an operator runs it, with the adapters src/main builds: a real pg_dump
// of a scratch database, the job's monitor a real HTTP server on loopback.

const SOURCE = 'tokobot_t_pings_src';
const UUID = '0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b';
const url = (db: string) => LOCAL_PG_URL.replace(/\/[^/]*$/, `/${db}`);
const skip = await needPgDump();
const dest = mkdtempSync(path.join(tmpdir(), 'tokobot-pings-dest-'));
let h: BackupHarness;
let monitor: FakeMonitor;
let lostPort: number;

before(async () => {
  if (skip) return;
  await createScratchDb(SOURCE);
  await withLocalClient(SOURCE, (c) => c.query("CREATE TABLE barang (kode text PRIMARY KEY, nama text); INSERT INTO barang VALUES ('A1', 'SABUN')"));
  monitor = await FakeMonitor.start();
  lostPort = await freePort();
  const local = [{ type: 'local', dir: dest }];
  h = await startBackupHarness('pings', [
    { id: 'shop', type: 'postgres', url: url(SOURCE), verify: false, destinations: local, ping: { url: `${monitor.url}/${UUID}` } },
    { id: 'broken', type: 'postgres', url: 'postgres://postgres@127.0.0.1:1/x', destinations: local, ping: { urlEnv: 'KUMA_URL', style: 'uptime-kuma' } },
    { id: 'lost', type: 'postgres', url: url(SOURCE), verify: false, destinations: local, ping: { url: `http://127.0.0.1:${lostPort}/api/push/LostKey42`, style: 'uptime-kuma' } },
  ], { KUMA_URL: `${monitor.url}/api/push/KumaKey7?status=up&msg=OK&ping=` });
});

after(async () => {
  if (skip) return;
  await h?.close();
  await monitor?.close();
  await dropScratchDb(SOURCE);
  rmSync(dest, { recursive: true, force: true });
});

test('backup run: a good run pings the Healthchecks check at start and end, paired by rid, before the command ends', { skip }, async () => {
  const r = await runCli(h, ['backup', 'run', 'shop']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(monitor.hits.map((x) => `${x.method} ${x.path}`), [`POST /${UUID}/start`, `POST /${UUID}`]);
  const [start, end] = monitor.hits;
  assert.ok(start?.query.get('rid'));
  assert.equal(end?.query.get('rid'), start?.query.get('rid'));
  assert.match(end?.body ?? '', /^shop: shop_\d{8}_\d{6}\.dump, \d+ bytes, sha256 [0-9a-f]{64}; verification: not verified/);
});

test('backup run: a failed run tells Uptime Kuma down with why; a monitor that cannot be reached is a warning naming its host only', { skip }, async () => {
  monitor.hits.length = 0;
  const r = await runCli(h, ['backup', 'run', 'broken']);
  assert.equal(r.code, 1);
  assert.equal(monitor.hits.length, 1);
  const down = monitor.hits[0];
  assert.equal(down?.path, '/api/push/KumaKey7');
  assert.equal(down?.query.get('status'), 'down');
  assert.match(down?.query.get('msg') ?? '', /^dump: /);

  const lost = await runCli({ env: { ...h.env, LOG_LEVEL: 'warn' } }, ['backup', 'run', 'lost']);
  assert.equal(lost.code, 0, lost.stderr);
  assert.ok(lost.stderr.includes(`could not ping the job's monitor at 127.0.0.1:${lostPort}; the backup itself is not affected`), lost.stderr);
  const fileLog = readFileSync(path.join(h.env.DATA_DIR as string, 'logs', 'cli.log'), 'utf8');
  assert.match(fileLog, /"ping":"success"/);
  for (const seen of [lost.stderr, fileLog]) assert.ok(!seen.includes('LostKey42') && !seen.includes('/api/push'), seen);
});
