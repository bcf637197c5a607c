// docker/compose.fleet.yaml (many stores, one or more machines) checked without Compose: parsed
// with the yaml package and its structure asserted. test/packaging/compose.test.ts also runs
// `docker compose config` on it where Compose v2 is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { environment, interpolated, list, obj, seconds, strings, type Obj } from './compose-parse.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

const text = read('docker/compose.fleet.yaml');
// Compose resolves YAML merge keys (`<<: *tokobot`); the yaml package does so only when asked.
const fleet = obj(parse(text, { merge: true }), 'compose.fleet.yaml');
const services = obj(fleet.services, 'services');
const service = (name: string) => obj(services[name], `services.${name}`);
const [ops, front, worker, restore] = ['ops', 'front', 'worker', 'restore'].map(service) as [Obj, Obj, Obj, Obj];
const single = obj(parse(read('docker/compose.yaml')), 'compose.yaml');
const singleTokobot = obj(obj(single.services, 'services').tokobot, 'tokobot');

const exampleKeys = new Set([...read('.env.example').matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1] as string));
/** The comment block the file opens with: how to run it, on one machine and on more. */
const header = text.slice(0, text.search(/^[^#\n]/m));
const readme = read('README.md');
const fleetStart = readme.indexOf('\n## Running many stores\n');
/** The README's "Running many stores", up to the next section of its level ('' when it is missing). */
const fleetEnd = readme.indexOf('\n## ', fleetStart + 1);
const fleetSection = fleetStart < 0 ? '' : readme.slice(fleetStart, fleetEnd < 0 ? undefined : fleetEnd);

/** `${NAME:-default}` → its default; fails on anything else. */
function defaultOf(expr: string, name: string): string {
  const m = new RegExp(`^\\$\\{${name}:-([^}]+)\\}$`).exec(expr);
  assert.ok(m, `${expr} should be \${${name}:-default}`);
  return m[1] as string;
}

/** A postgres URL whose password and address may be compose variables, taken apart. */
function postgresUrl(url: string | undefined, what: string) {
  const m = /^postgres:\/\/([^:@]+):(\$\{[^}]+\})@(\$\{[^}]+\}|[^/]+)\/(\w+)$/.exec(url ?? '');
  assert.ok(m, `${what}: ${url} is not postgres://user:\${PASSWORD}@host:port/database`);
  const address = (m[3] as string).startsWith('${') ? defaultOf(m[3] as string, 'OPS_ADDRESS') : m[3] as string;
  const [host, port] = address.split(':');
  return { user: m[1], password: m[2] as string, host, port, database: m[4] };
}

/** The variable a `${NAME:?message}` or `${NAME}` names. */
const variable = (expr: string) => /^\$\{([A-Z_]+)/.exec(expr)?.[1];

test('compose.fleet.yaml: services ops, front, worker, restore and caddy, named volumes only', () => {
  assert.deepEqual(Object.keys(services).sort(), ['caddy', 'front', 'ops', 'restore', 'worker']);
  const volumes = obj(fleet.volumes, 'volumes');
  for (const [name, s] of Object.entries(services)) {
    for (const v of list(obj(s, name).volumes ?? [], `${name}.volumes`)) {
      const source = String(v).split(':')[0] as string;
      assert.ok(source in volumes, `${name}: "${String(v)}" is not a declared named volume`);
    }
  }
  assert.notEqual(fleet.name, single.name, 'its own project: its volumes are not compose.yaml\'s');
});

test('compose.fleet.yaml: front and worker are the image compose.yaml builds, with its env_file, restart and grace', () => {
  for (const [name, s] of [['front', front], ['worker', worker]] as const) {
    assert.deepEqual(s.build, singleTokobot.build, `${name}.build`);
    assert.deepEqual(s.env_file, singleTokobot.env_file, `${name}.env_file`);
    assert.equal(s.restart, 'unless-stopped', `${name}.restart`);
    assert.ok(seconds(s.stop_grace_period) > 30, `${name}: stop_grace_period must exceed the 30 s shutdown grace`);
    assert.deepEqual(s.cap_drop, ['ALL'], `${name}.cap_drop`);
    assert.ok(list(s.volumes, `${name}.volumes`).includes('tokobot-data:/data'), `${name} keeps DATA_DIR in the shared volume`);
    const env = environment(s);
    assert.equal(env.DATA_DIR, '/data');
    for (const key of Object.keys(env)) assert.ok(exampleKeys.has(key), `${name}: ${key} is not a tokobot setting (.env.example)`);
  }
});

test('compose.fleet.yaml: front is tokobot start without job slots, healthy on its own /healthz', () => {
  // No command: the image's CMD, start.
  assert.equal(front.command, undefined);
  const env = environment(front);
  assert.equal(env.WORKER_CONCURRENCY, '0', 'the front end runs no jobs and fires no schedule');
  assert.equal(env.HTTP_PORT, '8080');
  assert.equal(env.HTTP_HOST, '127.0.0.1', 'beyond loopback tokobot would not start without HTTP_TOKEN');
  const check = list(obj(front.healthcheck, 'front.healthcheck').test, 'front.healthcheck.test').map(String).join(' ');
  assert.ok(check.includes('http://127.0.0.1:8080/healthz'), check);
  assert.equal(env.WEB_HOST, '0.0.0.0', 'reachable from caddy on the project network');
  assert.equal(front.ports, undefined, 'the dashboard is reached through caddy only');
  const caddy = service('caddy');
  assert.deepEqual(caddy.profiles, ['web']);
  assert.ok(list(caddy.command, 'caddy.command').map(String).includes('front:${WEB_PORT:-8081}'), 'caddy proxies to front');
});

test('compose.fleet.yaml: worker runs `tokobot worker --concurrency N` (the image\'s entrypoint is bin/tokobot.js)', () => {
  const command = list(worker.command, 'worker.command').map(String);
  assert.equal(command[0], 'worker');
  assert.equal(command.length, 3);
  assert.equal(command[1], '--concurrency');
  const slots = Number(defaultOf(command[2] as string, 'WORKER_SLOTS'));
  assert.ok(Number.isInteger(slots) && slots >= 1, `${command[2]}: a worker with no slots runs nothing`);
  assert.equal(environment(worker).WORKER_CONCURRENCY, undefined, 'the worker\'s slots come from --concurrency');
  const dockerfile = read('docker/Dockerfile');
  assert.match(dockerfile, /^ENTRYPOINT \[.*"node", "bin\/tokobot\.js"\]$/m, 'a compose command is the tokobot subcommand');
  const replicas = obj(worker.deploy, 'worker.deploy').replicas;
  assert.ok(Number.isInteger(replicas) && (replicas as number) >= 1, 'deploy.replicas');
  assert.ok(worker.ports === undefined, 'replicas cannot share a published port');
  assert.equal(obj(worker.healthcheck, 'worker.healthcheck').disable, true, 'no /healthz in a worker: the image\'s check would fail');
});

test('compose.fleet.yaml: front and worker reach the ops database on the ops service, with its user, password and database', () => {
  const opsEnv = environment(ops);
  const urls = [environment(front).OPS_DATABASE_URL, environment(worker).OPS_DATABASE_URL];
  assert.equal(urls[0], urls[1], 'front and worker share one ops database');
  const url = postgresUrl(urls[0], 'OPS_DATABASE_URL');
  assert.equal(url.host, 'ops', 'by default the ops service of this file');
  assert.ok((url.host as string) in services);
  assert.equal(url.port, '5432');
  assert.equal(url.user, opsEnv.POSTGRES_USER);
  assert.equal(url.database, opsEnv.POSTGRES_DB);
  assert.equal(url.password, opsEnv.POSTGRES_PASSWORD, 'the password compose gives the ops server');
  assert.match(url.password, /^\$\{OPS_POSTGRES_PASSWORD:\?.+\}$/, 'required: compose stops without it');
  for (const [name, s] of [['front', front], ['worker', worker]] as const) {
    const dependsOn = obj(s.depends_on, `${name}.depends_on`);
    assert.equal(obj(dependsOn.ops, `${name}.depends_on.ops`).condition, 'service_healthy', `${name} waits for ops`);
  }
});

test('compose.fleet.yaml: each machine\'s workers restore into its restore service, not into ops', () => {
  const restoreEnv = environment(restore);
  for (const [name, s] of [['front', front], ['worker', worker]] as const) {
    const env = environment(s);
    assert.equal(env.RESTORE_TARGET, 'external', name);
    const url = postgresUrl(env.PG_URL, `${name}.PG_URL`);
    assert.equal(url.host, 'restore', `${name} restores into the restore service`);
    assert.equal(url.user, restoreEnv.POSTGRES_USER);
    assert.equal(url.password, restoreEnv.POSTGRES_PASSWORD);
    assert.equal(obj(obj(s.depends_on, 'depends_on').restore, 'depends_on.restore').condition, 'service_healthy');
  }
  assert.notEqual(variable(restoreEnv.POSTGRES_PASSWORD ?? ''), variable(environment(ops).POSTGRES_PASSWORD ?? ''),
    'the ops password goes to other machines; the restore servers\' passwords need not');
  assert.equal(restore.ports, undefined, 'the restore server is not published');
  assert.ok(list(restore.volumes, 'restore.volumes').includes('restore-data:/var/lib/postgresql/data'));
});

test('compose.fleet.yaml: both PostgreSQL servers are the client\'s major, checked by pg_isready over TCP', () => {
  const major = /^ARG PG_MAJOR=(\d+)$/m.exec(read('docker/Dockerfile'))?.[1];
  assert.ok(major);
  for (const [name, s] of [['ops', ops], ['restore', restore]] as const) {
    assert.equal(String(s.image).match(/^postgres:(\d+)/)?.[1], major, `${name}: postgres image major = PG_MAJOR`);
    const check = list(obj(s.healthcheck, `${name}.healthcheck`).test, `${name}.healthcheck.test`).map(String);
    assert.equal(check[0], 'CMD');
    const env = environment(s);
    assert.deepEqual(check.slice(1), ['pg_isready', '-h', '127.0.0.1', '-U', env.POSTGRES_USER, '-d', env.POSTGRES_DB ?? 'postgres'], name);
  }
  assert.ok(list(ops.volumes, 'ops.volumes').includes('ops-data:/var/lib/postgresql/data'));
});

test('compose.fleet.yaml: ops is published on this machine\'s loopback unless OPS_PUBLISH names a private address', () => {
  const ports = list(ops.ports, 'ops.ports').map(String);
  assert.equal(ports.length, 1);
  const m = /^(\$\{OPS_PUBLISH:-[^}]+\}):5432$/.exec(ports[0] as string);
  assert.ok(m, `${ports[0]}: \${OPS_PUBLISH:-host:port}:5432`);
  const [host, port] = defaultOf(m[1] as string, 'OPS_PUBLISH').split(':');
  assert.equal(host, '127.0.0.1', 'by default nothing beyond this machine reaches the ops database');
  assert.ok(Number(port) > 0 && Number(port) !== 5432, 'not the host PostgreSQL\'s usual port');
});

test('compose.fleet.yaml: no Docker socket, nothing privileged, no host network', () => {
  assert.ok(!strings(fleet).some((s) => s.includes('docker.sock')));
  for (const [name, s] of Object.entries(services)) {
    const x = obj(s, name);
    assert.notEqual(x.privileged, true, `${name} is privileged`);
    assert.equal(x.network_mode, undefined, `${name} sets network_mode`);
  }
});

test('compose.fleet.yaml: every variable is a tokobot setting, or a compose-only one told in the file and the README', () => {
  const used = interpolated(fleet);
  assert.ok(used.size > 0);
  const composeOnly = [...used.keys()].filter((name) => !exampleKeys.has(name));
  assert.deepEqual(composeOnly.sort(), ['OPS_ADDRESS', 'OPS_POSTGRES_PASSWORD', 'OPS_PUBLISH', 'POSTGRES_PASSWORD', 'WORKER_SLOTS']);
  assert.ok(fleetSection.length > 100, 'the README has a "Running many stores" section');
  for (const name of composeOnly) {
    assert.ok(header.includes(name), `${name} is not explained at the top of compose.fleet.yaml`);
    assert.ok(fleetSection.includes(name), `${name} is not explained in the README's "Running many stores"`);
    // A compose-only variable either has a default or stops compose with a message when unset.
    for (const use of used.get(name) ?? []) assert.match(use, /^\$\{[A-Z_]+:[-?].+\}$/, `${use} has neither a default nor a message`);
  }
});

test('compose.fleet.yaml: its header says how to run one machine and how to add a worker machine', () => {
  assert.match(header, /--scale worker=\d+/);
  assert.match(header, /up -d --build --no-deps --scale worker=\d+ worker/, 'a worker machine starts no ops, front or caddy');
  assert.match(header, /OPS_ADDRESS=/);
  assert.match(header, /OPS_PUBLISH=/);
  assert.match(header, /[Ww]hat must be reachable/);
  for (const s of ['restore', 'worker']) assert.ok(s in services);
});
