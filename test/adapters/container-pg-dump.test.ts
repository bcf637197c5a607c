import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pg from 'pg';
import { DockerPostgres } from '../../src/adapters/docker/docker-postgres.ts';
import { runBackup } from '../../src/pipeline/backup/backup-job.ts';
import { startBackupHarness, type BackupHarness } from '../helpers/backup-harness.ts';
import { dockerSkipReason, removeContainer, TEST_IMAGE } from '../helpers/docker.ts';
import { createScratchDb, dropScratchDb, pgRestoreInto, TEST_RESTORE_ROLE } from '../helpers/local-pg.ts';
import { pgDigest } from '../helpers/pg-source.ts';
import { needPgRestore } from '../helpers/needs.ts';

const docker = new Docker();
const skip = (await dockerSkipReason(docker)) ?? (await needPgRestore());
const name = `tokobot-test-dumpsrc-${process.pid}`;
const PORT = 55436;
const PASSWORD = 'container-pw-789';
const RESTORED = 'tokobot_t_container_restored';
const dest = path.join(mkdtempSync(path.join(tmpdir(), 'tokobot-cdest-')), 'backups');
const inside = (password: string) => `postgres://postgres:${password}@127.0.0.1:${PORT}/shopdb`;
let h: BackupHarness;
let server: DockerPostgres;

before(async () => {
  if (skip) return;
  server = new DockerPostgres({ docker, image: TEST_IMAGE, containerName: name, volume: `${name}-data`, port: PORT, network: 'host',
    user: 'postgres', password: PASSWORD, restoreRole: TEST_RESTORE_ROLE, readyTimeoutMs: 30_000 });
  await server.ensure();
  const admin = new pg.Client(server.adminConnection('postgres'));
  await admin.connect();
  await admin.query('CREATE DATABASE shopdb').finally(() => admin.end());
  const c = new pg.Client(server.adminConnection('shopdb'));
  await c.connect();
  await c.query(`CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric(14, 2));
    INSERT INTO orders SELECT i, 'pelanggan ' || i, i * 1000.5 FROM generate_series(1, 5000) i;`).finally(() => c.end());
  const job = (id: string, url: string, container = name) => ({ id, type: 'postgres', url, container, destinations: [{ type: 'local', dir: dest }] });
  h = await startBackupHarness('container', [job('inbox', inside(PASSWORD)), job('badpw', inside('wrong-password')),
    job('gone', inside(PASSWORD), 'tokobot-no-such-container')]);
});

after(async () => {
  rmSync(path.dirname(dest), { recursive: true, force: true }); // made whether the suite runs or skips
  if (skip) return;
  await h?.close();
  await removeContainer(docker, name, `${name}-data`);
  await dropScratchDb(RESTORED);
});

test('a job whose database runs in a container dumps with the container\'s own pg_dump; the backup restores to the same rows', { skip }, async () => {
  const run = await runBackup(h.app.backups, h.app.job('inbox'), 'cli');
  assert.equal(run.status, 'success', run.error ?? '');
  assert.match(run.verification?.detail ?? '', /1 tables, 5000 rows/);
  await createScratchDb(RESTORED);
  await pgRestoreInto(RESTORED, path.join(dest, run.fileName as string));
  const c = new pg.Client(server.adminConnection('shopdb'));
  await c.connect();
  const sql = "SELECT count(*) || ':' || md5(string_agg(o::text, E'\\n' ORDER BY o.id)) AS d FROM orders o";
  const original = await c.query(sql).finally(() => c.end());
  assert.equal((await pgDigest(RESTORED)).orders, original.rows[0].d);
});

test('a wrong password and a missing container fail with what to check', { skip }, async () => {
  const before = readdirSync(dest);
  const bad = await runBackup(h.app.backups, h.app.job('badpw'), 'cli');
  assert.equal(bad.status, 'failed');
  assert.match(bad.error ?? '', /refused the login for shopdb on 127\.0\.0\.1:55436: check the user and password/);
  assert.doesNotMatch(bad.error ?? '', /wrong-password|container-pw/);
  const gone = await runBackup(h.app.backups, h.app.job('gone'), 'cli');
  assert.equal(gone.status, 'failed');
  assert.match(gone.error ?? '', /no Docker container named tokobot-no-such-container/);
  assert.deepEqual(readdirSync(dest), before);
});
