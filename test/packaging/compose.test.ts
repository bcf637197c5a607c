// Packaging checks without building anything: no registry is reachable here, so the Dockerfile,
// the compose files and .dockerignore are parsed and their structure asserted. When a
// `docker compose` (v2) or `docker-compose` binary exists, it also validates the compose files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { environment, interpolated, list, obj, seconds, strings } from './compose-parse.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerDir = path.join(root, 'docker');
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

const compose = obj(parse(read('docker/compose.yaml')), 'compose.yaml');
const dockerTarget = obj(parse(read('docker/compose.docker-target.yaml')), 'compose.docker-target.yaml');
const services = obj(compose.services, 'services');
const tokobot = obj(services.tokobot, 'services.tokobot');
const postgres = obj(services.postgres, 'services.postgres');

const exampleKeys = new Set([...read('.env.example').matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1] as string));

// ---------------------------------------------------------------- compose.yaml

test('compose.yaml: exactly the tokobot, postgres and caddy services, and the named volumes', () => {
  assert.deepEqual(Object.keys(services).sort(), ['caddy', 'postgres', 'tokobot']);
  assert.deepEqual(Object.keys(obj(compose.volumes, 'volumes')).sort(), ['caddy-data', 'pgdata', 'tokobot-data']);
  for (const [name, service] of Object.entries(services)) {
    for (const v of list(obj(service, name).volumes ?? [], `${name}.volumes`)) {
      const source = String(v).split(':')[0] as string;
      // A named volume, or a bind mount that stays commented out in the default file.
      assert.ok(/^[a-z][a-z0-9_-]*$/.test(source), `${name}: "${String(v)}" is not a named volume`);
      assert.ok(source in obj(compose.volumes, 'volumes'), `${name}: volume ${source} is not declared`);
    }
  }
});

test('compose.yaml: tokobot is built from the repository with docker/Dockerfile', () => {
  const build = obj(tokobot.build, 'tokobot.build');
  assert.equal(build.context, '..');
  assert.equal(build.dockerfile, 'docker/Dockerfile');
  assert.ok(existsSync(path.resolve(dockerDir, String(build.context), String(build.dockerfile))), 'the dockerfile resolves to a file');
  assert.equal(tokobot.restart, 'unless-stopped');
  // tokobot start waits up to 30 s for running syncs after SIGTERM; compose must wait longer.
  assert.ok(seconds(tokobot.stop_grace_period) > 30, 'stop_grace_period must exceed the 30 s shutdown grace');
});

test('compose.yaml: tokobot reads ../.env and restores into the postgres service', () => {
  const envFile = tokobot.env_file;
  const files = (Array.isArray(envFile) ? envFile : [envFile]).map((f) => (typeof f === 'string' ? f : String(obj(f, 'env_file').path)));
  assert.deepEqual(files, ['../.env']);
  assert.equal(path.resolve(dockerDir, files[0] as string), path.join(root, '.env'));

  const env = environment(tokobot);
  assert.equal(env.RESTORE_TARGET, 'external');
  assert.equal(env.PG_URL, 'postgres://tokobot:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@postgres:5432/postgres');
  const url = /^postgres:\/\/([^:]+):\$\{[^}]+\}@([^:/]+):(\d+)\/(\w+)$/.exec(env.PG_URL ?? '');
  assert.ok(url, 'PG_URL has user, password variable, host, port and database');
  assert.equal(url[1], environment(postgres).POSTGRES_USER, 'PG_URL user is the postgres service superuser');
  assert.ok((url[2] as string) in services, 'PG_URL host is a service of this file');
  // Container paths win over whatever .env says for running without Docker.
  assert.equal(env.DATA_DIR, '/data');
  assert.equal(env.CHROMIUM_PATH, '/usr/bin/chromium');
  for (const key of Object.keys(env)) assert.ok(exampleKeys.has(key), `${key} is not a tokobot setting (.env.example)`);
  assert.ok(list(tokobot.volumes, 'tokobot.volumes').includes('tokobot-data:/data'));
});

test('compose.yaml: tokobot starts only after postgres is healthy', () => {
  const dependsOn = obj(tokobot.depends_on, 'tokobot.depends_on');
  assert.deepEqual(Object.keys(dependsOn), ['postgres']);
  assert.equal(obj(dependsOn.postgres, 'depends_on.postgres').condition, 'service_healthy');
});

test('compose.yaml: tokobot\'s healthcheck asks its own /healthz on the health server it turns on', () => {
  const tokobot = obj(obj(compose.services, 'services').tokobot, 'services.tokobot');
  const env = obj(tokobot.environment, 'tokobot.environment');
  assert.equal(String(env.HTTP_PORT), '8080');
  assert.equal(env.HTTP_HOST, '127.0.0.1', 'beyond loopback tokobot would not start without HTTP_TOKEN');
  const testCmd = list(obj(tokobot.healthcheck, 'tokobot.healthcheck').test, 'healthcheck.test').map(String);
  assert.ok(testCmd.join(' ').includes('http://127.0.0.1:8080/healthz'), testCmd.join(' '));
});

test('compose.yaml: postgres 16 with its password from the environment, a healthcheck and no published port', () => {
  assert.equal(postgres.image, 'postgres:16-alpine');
  const env = environment(postgres);
  assert.equal(env.POSTGRES_USER, 'tokobot');
  assert.match(env.POSTGRES_PASSWORD ?? '', /^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
  assert.ok(list(postgres.volumes, 'postgres.volumes').includes('pgdata:/var/lib/postgresql/data'));
  const health = obj(postgres.healthcheck, 'postgres.healthcheck');
  const testCmd = list(health.test, 'healthcheck.test').map(String);
  assert.ok(['CMD', 'CMD-SHELL'].includes(testCmd[0] as string));
  const cmd = testCmd.slice(1).join(' ');
  assert.match(cmd, /\bpg_isready\b/);
  assert.match(cmd, /-U tokobot\b/);
  assert.equal(postgres.ports, undefined, 'the restore server is not published');
  assert.equal(tokobot.ports, undefined);
});

test('compose.yaml: the dashboard is reached only through caddy (web profile), which proxies WEB_URL to tokobot\'s WEB_PORT', () => {
  const caddy = obj(services.caddy, 'services.caddy');
  assert.deepEqual(caddy.profiles, ['web'], 'off unless asked for');
  assert.deepEqual(list(caddy.command, 'caddy.command').map(String),
    ['caddy', 'reverse-proxy', '--from', '${WEB_URL:-http://localhost}', '--to', 'tokobot:${WEB_PORT:-8081}']);
  assert.deepEqual(list(caddy.ports, 'caddy.ports').map(String), ['80:80', '443:443']);
  assert.deepEqual(list(caddy.cap_add, 'caddy.cap_add'), ['NET_BIND_SERVICE']);
  const env = environment(tokobot);
  assert.equal(env.WEB_HOST, '0.0.0.0', 'reachable from caddy on the project network');
  assert.equal(env.WEB_TRUST_PROXY, 'true');
  assert.equal(tokobot.ports, undefined, 'and from nowhere else');
});

test('compose.yaml: the Docker socket is not mounted and nothing is privileged', () => {
  const all = strings(compose);
  assert.ok(!all.some((s) => s.includes('docker.sock')), 'docker.sock in the default compose file');
  for (const [name, service] of Object.entries(services)) {
    const s = obj(service, name);
    assert.notEqual(s.privileged, true, `${name} is privileged`);
    assert.equal(s.network_mode, undefined, `${name} sets network_mode`);
    assert.equal(s.pid, undefined, `${name} shares a pid namespace`);
  }
});

test('compose files: every interpolated variable is POSTGRES_PASSWORD, DOCKER_GID or documented in .env.example', () => {
  // POSTGRES_PASSWORD and DOCKER_GID are compose-level only (tokobot never reads them); both must
  // stop compose with a message when unset, rather than start with an empty value.
  const composeOnly = new Set(['POSTGRES_PASSWORD', 'DOCKER_GID']);
  for (const [file, doc] of [['compose.yaml', compose], ['compose.docker-target.yaml', dockerTarget]] as const) {
    for (const [name, uses] of interpolated(doc)) {
      assert.ok(composeOnly.has(name) || exampleKeys.has(name), `${file}: \${${name}} is neither compose-only nor in .env.example`);
      if (composeOnly.has(name)) {
        for (const use of uses) assert.match(use, /^\$\{[A-Z_]+:\?.+\}$/, `${file}: ${use} must be required (\${VAR:?message})`);
      }
    }
  }
  assert.ok(interpolated(compose).has('POSTGRES_PASSWORD'));
  assert.ok(!interpolated(compose).has('DOCKER_GID'), 'the default file must not need DOCKER_GID');
});

// ---------------------------------------------------------------- compose.docker-target.yaml

test('compose.docker-target.yaml: RESTORE_TARGET=docker with the socket, as a replacement of compose.yaml', () => {
  const targetServices = obj(dockerTarget.services, 'services');
  assert.deepEqual(Object.keys(targetServices), ['tokobot']);
  const t = obj(targetServices.tokobot, 'tokobot');
  const env = environment(t);
  assert.equal(env.RESTORE_TARGET, 'docker');
  assert.equal(env.DATA_DIR, '/data');
  const volumes = list(t.volumes, 'volumes').map(String);
  assert.ok(volumes.includes('/var/run/docker.sock:/var/run/docker.sock'));
  assert.equal(env.DOCKER_SOCKET, '/var/run/docker.sock');
  assert.ok(list(t.group_add, 'group_add').length === 1, 'the socket group is added for uid 10001');
  // The managed container is reached on the host's 127.0.0.1:PG_DOCKER_PORT.
  assert.equal(t.network_mode, 'host');
  // Same project and /data volume as compose.yaml, so state carries over when switching.
  assert.equal(dockerTarget.name, compose.name);
  assert.ok(volumes.includes('tokobot-data:/data'));
  assert.deepEqual(obj(t.build, 'build'), obj(tokobot.build, 'build'));
  assert.equal(t.env_file, tokobot.env_file);
  assert.match(read('docker/compose.docker-target.yaml'), /root on the host/, 'the file says what the socket grants');
});

// ---------------------------------------------------------------- Dockerfile

interface Instruction { keyword: string; args: string; line: number }
interface Stage { from: string; name?: string; instructions: Instruction[] }

/** Instructions of a Dockerfile: continuation lines joined, comment lines dropped. */
function parseDockerfile(text: string): { globals: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let current: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (!current && trimmed === '')) return;
    const piece = trimmed.endsWith('\\') ? trimmed.slice(0, -1) : trimmed;
    if (current) current.text += ` ${piece}`;
    else current = { text: piece, line: i + 1 };
    if (!trimmed.endsWith('\\')) {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(current.text.trim()) as RegExpExecArray;
      instructions.push({ keyword: (m[1] as string).toUpperCase(), args: (m[2] as string).trim(), line: current.line });
      current = undefined;
    }
  });
  const globals: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args) as RegExpExecArray;
      stages.push({ from: m[1] as string, name: m[2]?.toLowerCase(), instructions: [] });
    } else if (stages.length) (stages.at(-1) as Stage).instructions.push(ins);
    else globals.push(ins);
  }
  return { globals, stages };
}

const dockerfile = parseDockerfile(read('docker/Dockerfile'));
const finalStage = dockerfile.stages.at(-1) as Stage;
const finalOf = (keyword: string) => finalStage.instructions.filter((i) => i.keyword === keyword);
const execForm = (ins: Instruction | undefined): string[] => {
  assert.ok(ins, 'instruction missing');
  const parsed: unknown = JSON.parse(ins.args);
  assert.ok(Array.isArray(parsed), `${ins.keyword} must use the exec (JSON) form`);
  return parsed.map(String);
};

test('Dockerfile: a deps stage and a runtime stage, both on node:20-bookworm-slim', () => {
  assert.deepEqual(dockerfile.stages.map((s) => s.name), ['deps', 'runtime']);
  for (const s of dockerfile.stages) assert.equal(s.from, 'node:20-bookworm-slim');
});

test('Dockerfile: production dependencies only, and tsx is one of them', () => {
  const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
  assert.ok(pkg.dependencies.tsx, 'tsx runs the sources at runtime: it must stay in dependencies for npm ci --omit=dev');
  assert.ok(!pkg.dependencies.typescript, 'typescript is dev-only');
  const deps = dockerfile.stages[0] as Stage;
  const npmCi = deps.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  assert.equal(npmCi.length, 1);
  assert.match((npmCi[0] as Instruction).args, /--omit=dev/);
  const copied = deps.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args).join(' ');
  assert.match(copied, /package-lock\.json/, 'npm ci needs the lock file');
  assert.match(copied, /\.puppeteerrc\.cjs/, 'puppeteer must see its skipDownload config during npm ci');
  if (pkg.scripts.prepare) assert.match(copied, /\bscripts\b/, 'npm ci runs the prepare script, which lives in scripts/');
  assert.ok(finalStage.instructions.some((i) => i.keyword === 'COPY' && /--from=deps\b/.test(i.args) && /node_modules/.test(i.args)));
});

test('Dockerfile: chromium, the PostgreSQL client and tini are installed; CHROMIUM_PATH and DATA_DIR are set', () => {
  const runs = finalOf('RUN').map((i) => i.args).join('\n');
  assert.match(runs, /apt-get install[^\n]*\bchromium\b/);
  assert.match(runs, /apt-get install[^\n]*\bpostgresql-client-\$\{PG_MAJOR\}/);
  assert.match(runs, /apt-get install[^\n]*\btini\b/);
  const env = finalOf('ENV').map((i) => i.args).join(' ');
  assert.match(env, /\bCHROMIUM_PATH=\/usr\/bin\/chromium\b/);
  assert.match(env, /\bDATA_DIR=\/data\b/);
  assert.deepEqual(finalOf('VOLUME').map((i) => i.args), ['/data']);
  assert.deepEqual(finalOf('WORKDIR').map((i) => i.args), ['/app']);
});

test('Dockerfile: the PostgreSQL client matches the compose postgres image', () => {
  const arg = dockerfile.globals.find((i) => i.keyword === 'ARG' && i.args.startsWith('PG_MAJOR='));
  assert.ok(arg, 'a global ARG PG_MAJOR=<major>');
  const major = arg.args.split('=')[1];
  assert.equal(String(postgres.image).match(/^postgres:(\d+)/)?.[1], major, 'postgres image major = PG_MAJOR');
  assert.equal(String(obj(obj(tokobot.build, 'build').args, 'build.args').PG_MAJOR), major, 'compose passes the same PG_MAJOR');
});

test('Dockerfile: runs as tokobot (uid 10001) under tini, entrypoint node bin/tokobot.js, command start', () => {
  const users = finalOf('USER');
  assert.ok(users.length >= 1);
  const user = (users.at(-1) as Instruction).args;
  assert.ok(!/^(root|0)(:|$)/.test(user), `USER ${user} is root`);
  assert.equal(user, 'tokobot');
  const runs = finalOf('RUN').map((i) => i.args).join('\n');
  assert.match(runs, /useradd\b[^\n]*--uid 10001\b[^\n]*\btokobot\b/);
  assert.match(runs, /chown tokobot:tokobot \/data\b/);
  // USER comes after every RUN: nothing later runs as root by accident.
  const keywords = finalStage.instructions.map((i) => i.keyword);
  assert.ok(keywords.lastIndexOf('USER') > keywords.lastIndexOf('RUN'));

  const entrypoint = execForm(finalOf('ENTRYPOINT').at(-1));
  assert.match(entrypoint[0] as string, /(^|\/)tini$/, 'tini is PID 1');
  assert.deepEqual(entrypoint.slice(-2), ['node', 'bin/tokobot.js']);
  assert.ok(!entrypoint.includes('-g'), 'tini must not signal the whole group (pg_restore, chromium)');
  assert.deepEqual(execForm(finalOf('CMD').at(-1)), ['start']);
  assert.ok(existsSync(path.join(root, 'bin/tokobot.js')));
});

test('Dockerfile: no context-wide COPY, no .env; its HEALTHCHECK asks /healthz on the health server it turns on', () => {
  for (const stage of dockerfile.stages) {
    for (const ins of stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
      if (/--from=/.test(ins.args)) continue;
      const sources = ins.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1);
      for (const src of sources) {
        assert.ok(!['.', './', '*', '/'].includes(src), `line ${ins.line}: ${ins.keyword} ${ins.args} copies the whole context`);
        assert.ok(!/(^|\/)\.env($|\.)/.test(src) || src.endsWith('.env.example'), `line ${ins.line}: copies a .env`);
        assert.ok(existsSync(path.join(root, src)), `line ${ins.line}: ${src} does not exist`);
      }
    }
  }
  const runtime = dockerfile.stages.at(-1)?.instructions ?? [];
  const checks = runtime.filter((i) => i.keyword === 'HEALTHCHECK');
  assert.equal(checks.length, 1);
  assert.match(checks[0]?.args ?? '', /CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:' \+ process\.env\.HTTP_PORT \+ '\/healthz'\)/);
  assert.ok(runtime.some((i) => i.keyword === 'ENV' && /\bHTTP_PORT=8080\b/.test(i.args)), 'the image turns the health server on');
});

test('.dockerignore keeps dependencies, state and secrets out of the build context', () => {
  const lines = new Set(read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  for (const entry of ['node_modules', 'data', '.git', '.env', 'bench/results']) assert.ok(lines.has(entry), `.dockerignore lacks ${entry}`);
  // Everything the Dockerfile copies from the context stays in it.
  for (const needed of ['src', 'bin', 'package.json', 'package-lock.json', '.puppeteerrc.cjs', 'tsconfig.json']) {
    assert.ok(!lines.has(needed) && !lines.has(`${needed}/`), `.dockerignore excludes ${needed}, which the image needs`);
  }
});

// ---------------------------------------------------------------- docker compose itself, when present

function composeCommand(): string[] | undefined {
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    const r: SpawnSyncReturns<string> = spawnSync(cmd[0] as string, [...cmd.slice(1), 'version'], { encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0 && /version v?[2-9]\./i.test(r.stdout)) return cmd;
  }
  return undefined;
}

test('docker compose config accepts the three files, and refuses them without their passwords', (t) => {
  const cmd = composeCommand();
  if (!cmd) {
    // docker.io from Debian ships no compose v2 plugin, and docker-compose v1 does not know the
    // Compose Specification these files use (top-level name); there is nothing to run here.
    t.skip('no docker compose v2 on this machine (docker.io from Debian lacks the plugin)');
    return;
  }
  // A copy of the layout in a temp folder: env_file ../.env must exist, and the repository root
  // must not get a .env. The build context only has to resolve; nothing is built.
  const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-compose-'));
  try {
    mkdirSync(path.join(dir, 'docker'));
    for (const f of ['compose.yaml', 'compose.docker-target.yaml', 'compose.fleet.yaml', 'Dockerfile']) copyFileSync(path.join(dockerDir, f), path.join(dir, 'docker', f));
    writeFileSync(path.join(dir, '.env'), '');
    const envFile = path.join(dir, 'compose.env');
    writeFileSync(envFile, 'POSTGRES_PASSWORD=dummy0123456789\nOPS_POSTGRES_PASSWORD=dummy9876543210\nDOCKER_GID=999\n');
    const config = (file: string, envPath: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> =>
      spawnSync(cmd[0] as string, [...cmd.slice(1), '--env-file', envPath, '-f', path.join(dir, 'docker', file), 'config', '-q'],
        { cwd: dir, encoding: 'utf8', timeout: 20_000, env });
    for (const f of ['compose.yaml', 'compose.docker-target.yaml', 'compose.fleet.yaml']) {
      const ok = config(f, envFile, { ...process.env, POSTGRES_PASSWORD: 'dummy0123456789', OPS_POSTGRES_PASSWORD: 'dummy9876543210', DOCKER_GID: '999' });
      assert.equal(ok.status, 0, `${f}: ${ok.stderr}`);
    }
    // Without a password, compose refuses to start instead of running with an empty one.
    const env = { ...process.env };
    for (const name of ['POSTGRES_PASSWORD', 'OPS_POSTGRES_PASSWORD', 'DOCKER_GID']) delete env[name];
    const refusals: [string, string, RegExp][] = [
      ['compose.yaml', '', /POSTGRES_PASSWORD/],
      ['compose.fleet.yaml', 'POSTGRES_PASSWORD=dummy0123456789\n', /OPS_POSTGRES_PASSWORD/],
      ['compose.fleet.yaml', 'OPS_POSTGRES_PASSWORD=dummy9876543210\n', /(^|[^_])POSTGRES_PASSWORD/],
    ];
    for (const [i, [file, lines, named]] of refusals.entries()) {
      const partial = path.join(dir, `partial-${i}.env`);
      writeFileSync(partial, lines);
      const refused = config(file, partial, env);
      assert.notEqual(refused.status, 0, `${file} with only "${lines.trim()}"`);
      assert.match(refused.stderr, named);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
