import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { storeDatabases } from '../../src/pipeline/databases.ts';
import { getSharedFixture, type SharedFixture } from '../fixtures/shared-fixture.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { startHarness, type Harness } from '../helpers/sync-harness.ts';
import { assertNothingLeft, snapshot, sync } from '../helpers/sync-checks.ts';

const skip = await requireLocalPg();
const STORE = `crash${process.pid}`;
const CHILD = path.join(import.meta.dirname, '..', 'helpers', 'sync-child.ts');
let h: Harness;
let fixture: SharedFixture;
let clock = Date.UTC(2026, 10, 20, 1, 0, 0);
/** Alternates the two forms of the same store, so each upload differs from what is published. */
let turn = 0;
const uploadNext = () => {
  const zip = turn++ % 2 === 0;
  h.fake.addFile(`${h.folder}/backup_${turn}.${zip ? 'zip' : 'i5bu'}`, zip ? fixture.zipPath : fixture.i5buPath, new Date((clock += 3_600_000)));
};

/** Runs a sync in a child process killed at `point`; resolves with how it ended. */
function syncKilledAt(point: `publish:${'before-commit' | 'committed' | 'file-in-place'}`): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, TOKOBOT_TEST_ENV: JSON.stringify(h.env), TOKOBOT_TEST_KILL_AT: point }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the child sync did not end within 120 s: ${output}`)); }, 120_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => { clearTimeout(timer); void sessionsGone().then(() => resolve({ signal, output }), reject); });
  });
}

/**
 * Waits for PostgreSQL to end the killed child's sessions, and so free the store's sync lock
 * (an advisory lock on the ops database): the server does so once it notices the closed socket,
 * which a loaded machine may take a moment to. Until then a sync here is refused as busy, rightly.
 */
async function sessionsGone(): Promise<void> {
  const held = async () => Number((await h.app.ops.query(`SELECT count(*) AS n FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).rows[0].n);
  for (let i = 0; i < 100 && (await held()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
}

const dbExists = async (name: string) => (await h.query('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
const finalCsvs = () => readdirSync(path.join(h.dataDir, 'exports', STORE)).filter((n) => n.endsWith('.csv')).sort();
const tmpCsvs = () => readdirSync(path.join(h.dataDir, 'exports', STORE)).filter((n) => n.endsWith('.tmp'));
const latestRun = async () => (await h.app.opsStores.runs.recent(STORE, 1))[0]!;

before(async () => {
  if (skip) return;
  fixture = await getSharedFixture('small', { storeId: 'toko1' });
  h = await startHarness('external', STORE);
  uploadNext();
  const first = await sync(h);
  assert.equal(first.status, 'success', first.error);
});
after(async () => { await h?.close(); });

test('killed before the publication commits: database and price list both stay as they were; the next run says so and publishes', { skip }, async () => {
  const was = await snapshot(h);
  const csvsBefore = finalCsvs();
  uploadNext();
  const killed = await syncKilledAt('publish:before-commit');
  assert.equal(killed.signal, 'SIGKILL', killed.output);

  // Right after the kill: the old state, whole.
  assert.deepEqual(await snapshot(h), was);
  assert.deepEqual(finalCsvs(), csvsBefore, 'an unpublished CSV got a final name');
  const dead = await latestRun();
  assert.equal(dead.status, 'running');
  assert.equal(dead.stage, 'publish');

  const next = await sync(h);
  assert.equal(next.status, 'success', next.error);
  const recorded = (await h.app.opsStores.runs.recent(STORE, 5)).find((r) => r.id === dead.id);
  assert.equal(recorded?.status, 'failed');
  assert.match(recorded?.error ?? '', /stopped during the publish stage.*nothing was published/);
  assert.equal(await dbExists(storeDatabases(STORE).retired), false);
  await assertNothingLeft(h);
});

test('killed just after the publication commits: database, list and run all new; the next run puts the CSV in place and notes it', { skip }, async () => {
  const was = await snapshot(h);
  uploadNext();
  const killed = await syncKilledAt('publish:committed');
  assert.equal(killed.signal, 'SIGKILL', killed.output);

  const now = await snapshot(h);
  const dead = await latestRun();
  assert.equal(dead.status, 'success', 'the run did not commit with its publication');
  assert.equal(Number(now.published.run_id), dead.id);
  assert.notEqual(now.liveOid, was.liveOid, 'the list changed without the database');
  assert.equal(tmpCsvs().length, 1);
  const published = await h.app.ops.query('SELECT csv_path FROM published WHERE store = $1', [STORE]);
  assert.equal(existsSync(published.rows[0].csv_path), false);

  const next = await sync(h);
  assert.equal(next.status, 'no-change', next.error);
  assert.equal(existsSync(published.rows[0].csv_path), true, 'the published CSV was not put in place');
  const recorded = (await h.app.opsStores.runs.recent(STORE, 5)).find((r) => r.id === dead.id);
  assert.equal(recorded?.status, 'success');
  assert.match(recorded?.note ?? '', /stopped after publishing this run.*next run put it there/);
  assert.equal(await dbExists(storeDatabases(STORE).retired), false);
  await assertNothingLeft(h);
});

test('killed after the file is in place: only the retired fallback database is left, and the next run removes it', { skip }, async () => {
  uploadNext();
  const killed = await syncKilledAt('publish:file-in-place');
  assert.equal(killed.signal, 'SIGKILL', killed.output);
  const dead = await latestRun();
  assert.equal(dead.status, 'success');
  assert.equal(await dbExists(storeDatabases(STORE).retired), true);

  assert.equal((await sync(h)).status, 'no-change');
  assert.equal(await dbExists(storeDatabases(STORE).retired), false);
  assert.equal((await h.app.opsStores.runs.recent(STORE, 5)).find((r) => r.id === dead.id)?.note, null);
  await assertNothingLeft(h);
});
