import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import pg from 'pg';
import { DockerPostgres, type DockerPostgresOptions } from '../../src/adapters/docker/docker-postgres.ts';
import { isAppError } from '../../src/errors.ts';
import { restoreTargetContract } from './restore-target-contract.ts';
import { hostileRestoreContract, type MarkerPlace } from './restore-target-hostile.ts';
import { runExec } from '../../src/adapters/docker/docker-exec.ts';
import { needPgDump } from '../helpers/needs.ts';
import { dockerSkipReason, TEST_IMAGE, removeContainer } from '../helpers/docker.ts';
import { localConnection, requireLocalPg, TEST_RESTORE_ROLE } from '../helpers/local-pg.ts';
import type { RestoreTarget } from '../../src/pipeline/ports.ts';

/** The major of the server the container runs, asked of it (its pg_restore comes from the same installation). */
async function serverMajor(target: RestoreTarget): Promise<number> {
  const c = new pg.Client(target.opsConnection('postgres'));
  await c.connect();
  try {
    return Math.floor(Number((await c.query('SHOW server_version_num')).rows[0].server_version_num) / 10_000);
  } finally {
    await c.end();
  }
}

const docker = new Docker();
const skip = await dockerSkipReason(docker);
const name = `tokobot-test-pg-${process.pid}`;
const created = new Set<string>();
const options = (over: Partial<DockerPostgresOptions> = {}): DockerPostgresOptions => {
  const o: DockerPostgresOptions = { docker, image: TEST_IMAGE, containerName: name, volume: `${name}-data`, port: 55433, network: 'host',
    user: 'postgres', password: 'test-pw-123', restoreRole: TEST_RESTORE_ROLE, readyTimeoutMs: 30_000, ...over };
  created.add(o.containerName);
  return o;
};

after(async () => {
  if (skip) return;
  for (const c of created) await removeContainer(docker, c, c === name ? `${name}-data` : undefined);
});

test('creates the container when missing and starts it when stopped', { skip }, async () => {
  await removeContainer(docker, name, `${name}-data`);
  const target = new DockerPostgres(options());
  const said: string[] = [];
  await target.ensure((t) => said.push(t));
  assert.ok(said.some((t) => t.startsWith('creating')), said.join('; '));
  const info = await docker.getContainer(name).inspect();
  assert.equal(info.HostConfig.NetworkMode, 'host');
  assert.equal(info.HostConfig.RestartPolicy?.Name, 'unless-stopped');
  assert.equal(info.Config.Labels['tokobot.role'], 'restore-server');
  assert.ok(info.Mounts.some((m) => m.Name === `${name}-data` && m.Destination === '/var/lib/postgresql/data'));
  await docker.getContainer(name).stop({ t: 10 });
  said.length = 0;
  await target.ensure((t) => said.push(t));
  assert.ok(said.some((t) => t.startsWith('starting')), said.join('; '));
  assert.ok(!said.some((t) => t.startsWith('creating')), said.join('; '));
});

test('the server wants the password over TCP, and pg_trgm is available', { skip }, async () => {
  const target = new DockerPostgres(options());
  await target.ensure();
  const wrong = new pg.Client({ ...target.adminConnection('postgres'), password: 'wrong' });
  await assert.rejects(wrong.connect(), (err: { code?: string }) => err.code === '28P01');
  await wrong.end().catch(() => undefined);
  const c = new pg.Client(target.adminConnection('postgres'));
  await c.connect();
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    const { rows } = await c.query("SELECT similarity('kopi susu', 'kopi susu gula') > 0.5 AS close");
    assert.equal(rows[0].close, true);
  } finally {
    await c.query('DROP EXTENSION IF EXISTS pg_trgm').catch(() => undefined);
    await c.end();
  }
});

restoreTargetContract('docker', async () => new DockerPostgres(options()), { restorer: 'pg_restore', major: (target) => serverMajor(target), skip: skip ?? await requireLocalPg() ?? await needPgDump() });

/** The hostile archive's marker, inside the container, where the server would run its shell command. */
const containerMarker = (): MarkerPlace => {
  const marker = `/tmp/tokobot-pwned-${process.pid}`;
  const run = async (cmd: string[]) => (await runExec(docker.getContainer(name), docker.modem, cmd)).code;
  return { marker, exists: async () => (await run(['test', '-e', marker])) === 0, remove: async () => { await run(['rm', '-f', marker]); } };
};
hostileRestoreContract('docker', async () => new DockerPostgres(options()), containerMarker, skip ?? await requireLocalPg() ?? await needPgDump());

test('an image that is not here and cannot be pulled gets a message saying how to load one', { skip }, async () => {
  const target = new DockerPostgres(options({ image: 'tokobot/does-not-exist:1', containerName: `${name}-missing`, pullIdleTimeoutMs: 20_000 }));
  const started = Date.now();
  await assert.rejects(target.ensure(), (err) => isAppError(err) && err.kind === 'unreachable' && err.system === 'docker'
    && /could not be pulled/.test(err.message) && /docker load/.test(err.message) && /PG_DOCKER_IMAGE/.test(err.message));
  assert.ok(Date.now() - started < 25_000);
  await assert.rejects(docker.getContainer(`${name}-missing`).inspect(), (err: { statusCode?: number }) => err.statusCode === 404);
});

test('no Docker Engine at the socket: a readable message', async () => {
  const target = new DockerPostgres(options({ docker: new Docker({ socketPath: '/nonexistent/docker.sock' }), containerName: `${name}-nosocket` }));
  await assert.rejects(target.ensure(), (err) => isAppError(err) && err.kind === 'unreachable' && err.system === 'docker'
    && /Docker Engine is not running/.test(err.message) && /RESTORE_TARGET=external/.test(err.message) && !err.message.includes('test-pw-123'));
});

// dockerd runs here without a bridge network, so the bridge settings are checked against a
// stand-in Engine; readiness is still a real connection (to the test server, with its password).
test('bridge network: 5432 published on the loopback only', { skip: await requireLocalPg() }, async () => {
  const testPg = localConnection('postgres');
  const password = String(testPg.password ?? 'test-pw-123');
  const made: Docker.ContainerCreateOptions[] = [];
  let exists = false;
  const engine = {
    getContainer: () => ({
      inspect: async () => {
        if (!exists) throw Object.assign(new Error('no such container'), { statusCode: 404 });
        return { State: { Running: true } };
      },
    }),
    getImage: () => ({ inspect: async () => ({}) }),
    createContainer: async (o: Docker.ContainerCreateOptions) => { made.push(o); exists = true; },
  } as unknown as Docker;
  await new DockerPostgres(options({ docker: engine, containerName: `${name}-bridge`, network: 'bridge', port: Number(testPg.port), password })).ensure();
  const o = made[0];
  assert.equal(o?.HostConfig?.NetworkMode, 'bridge');
  assert.deepEqual(o?.HostConfig?.PortBindings, { '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: String(testPg.port) }] });
  assert.equal(o?.Cmd, undefined);
  assert.ok(o?.Env?.includes(`POSTGRES_PASSWORD=${password}`));
});

test('diagnose tells the state without changing it: running, or not created yet', { skip }, async () => {
  const target = new DockerPostgres(options());
  await target.ensure();
  assert.match(await target.diagnose(), /the container tokobot-test-pg-\d+ runs and accepts connections/);
  const absent = new DockerPostgres(options({ containerName: `${name}-absent`, image: 'tokobot/no-such-image:1' }));
  assert.match(await absent.diagnose(), /will be created at the first sync \(the image tokobot\/no-such-image:1 is not here yet/);
  await assert.rejects(docker.getContainer(`${name}-absent`).inspect(), 'diagnose created nothing');
});
