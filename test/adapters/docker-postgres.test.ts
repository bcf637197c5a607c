import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { DockerPostgres, type DockerPostgresOptions } from '../../src/adapters/docker/docker-postgres.ts';
import { isAppError, type AppError } from '../../src/errors.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { restoreTargetContract } from './restore-target-contract.ts';
import { dockerSkipReason, TEST_IMAGE, removeContainer } from '../helpers/docker.ts';

const docker = new Docker();
const skip = await dockerSkipReason(docker);
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-docker-'));
const name = `tokobot-test-pg-${process.pid}`;
const options = (over: Partial<DockerPostgresOptions> = {}): DockerPostgresOptions => ({
  docker, image: TEST_IMAGE, containerName: name, volume: `${name}-data`, port: 55433, network: 'host',
  user: 'postgres', password: 'test-pw-123', readyTimeoutMs: 30_000, ...over,
});
let fixture: SharedFixture;

before(async () => { if (!skip) fixture = await getSharedFixture('small', { storeId: 'toko1' }); });
after(async () => {
  if (!skip) await removeContainer(docker, name, `${name}-data`);
  rmSync(dir, { recursive: true, force: true });
});

test('creates the container when missing and starts it when stopped', { skip }, async () => {
  await removeContainer(docker, name, `${name}-data`);
  const target = new DockerPostgres(options());
  const said: string[] = [];
  await target.ensure((t) => said.push(t));
  assert.ok(said.some((t) => t.startsWith('creating')), said.join('; '));
  const info = await docker.getContainer(name).inspect();
  assert.equal(info.HostConfig.NetworkMode, 'host');
  assert.equal(info.Config.Labels['tokobot.role'], 'restore-server');
  await docker.getContainer(name).stop({ t: 5 });
  said.length = 0;
  await target.ensure((t) => said.push(t));
  assert.ok(said.some((t) => t.startsWith('starting')), said.join('; '));
});

restoreTargetContract('docker', async () => new DockerPostgres(options()), () => fixture.i5buPath,
  () => fixture.data.tables.tbl_item.length, () => dir, skip);

test('an image that is not here and cannot be pulled gets a message saying how to load one', { skip }, async () => {
  const target = new DockerPostgres(options({ image: 'tokobot/does-not-exist:1', containerName: `${name}-missing` }));
  await assert.rejects(target.ensure(), (err: AppError) => isAppError(err) && err.code === 'restore-server'
    && /could not be pulled/.test(err.message) && /docker load/.test(err.message));
});

test('no Docker Engine at the socket: a readable message', async () => {
  const target = new DockerPostgres(options({ docker: new Docker({ socketPath: '/nonexistent/docker.sock' }) }));
  await assert.rejects(target.ensure(), (err: AppError) => isAppError(err) && /Docker Engine is not running/.test(err.message)
    && !err.message.includes('test-pw-123'));
});
