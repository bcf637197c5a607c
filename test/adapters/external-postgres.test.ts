import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExternalPostgres } from '../../src/adapters/postgres/external-postgres.ts';
import { isAppError } from '../../src/errors.ts';
import { LOCAL_PG_URL, TEST_RESTORE_ROLE, dropScratchDb, requireLocalPg, withLocalClient } from '../helpers/local-pg.ts';
import { needPgDump, needPgTools, programMajor, testServerMajor } from '../helpers/needs.ts';
import { restoreArchive } from '../../src/adapters/postgres/archive-restorer.ts';
import type { ArchiveRestorer } from '../../src/pipeline/ports.ts';
import { getSharedFixture } from '../fixtures/shared-fixture.ts';
import { restoreTargetContract } from './restore-target-contract.ts';
import { hostileRestoreContract, hostMarker } from './restore-target-hostile.ts';

const skip = await requireLocalPg();

const ownRestorer: ArchiveRestorer = (file, client, o) => restoreArchive(file, client, { signal: o.signal });
restoreTargetContract('external', async () => new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE }),
  { restorer: 'pg_restore', major: async () => Number(await programMajor('pg_restore')), skip: skip ?? (await needPgTools()) });
restoreTargetContract('external without pg_restore', async () => new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE,
  pgRestore: '/nonexistent/pg_restore', restorer: ownRestorer }), { restorer: 'own', major: testServerMajor, skip: skip ?? (await needPgDump()) });
hostileRestoreContract('external', async () => new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE }), hostMarker, skip ?? (await needPgTools()));
hostileRestoreContract('external without pg_restore', async () => new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE,
  pgRestore: '/nonexistent/pg_restore', restorer: ownRestorer }), hostMarker, skip ?? (await needPgDump()));

test('an unreachable server names host and port but never the password', async () => {
  const target = new ExternalPostgres({ url: 'postgres://tokobot:s3cret-pw@127.0.0.1:1/postgres', restoreRole: TEST_RESTORE_ROLE });
  await assert.rejects(target.ensure(), (err) => isAppError(err) && err.kind === 'unreachable' && err.system === 'postgres' && err.retryable
    && err.message.includes('127.0.0.1:1') && !err.message.includes('s3cret-pw'));
});

test('a missing pg_restore says which package provides it', async () => {
  const target = new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE, pgRestore: '/nonexistent/pg_restore' });
  await assert.rejects(target.pgRestoreMajor(), (err) => isAppError(err) && /apt-get install postgresql-client/.test(err.message));
});

test('without pg_restore on this machine, tokobot\'s own restorer stands in, and says so once', { skip, timeout: 60_000 }, async () => {
  const fixture = await getSharedFixture('small');
  const said: string[] = [];
  const target = new ExternalPostgres({ url: LOCAL_PG_URL, restoreRole: TEST_RESTORE_ROLE, pgRestore: '/nonexistent/pg_restore', logger: { info: (m: string) => said.push(m) },
    restorer: (file, client, o) => restoreArchive(file, client, { signal: o.signal, onProgress: (p) => { if (p.table) o.onTable?.(p.table); } }) });
  const db = `tokobot_t_external_own_${process.pid}`;
  await target.ensure();
  await dropScratchDb(db);
  await target.createDatabase(db);
  try {
    assert.equal(await target.pgRestoreMajor(), await testServerMajor(), 'the server runs the statements, so its version is what counts');
    assert.match(await target.diagnose(), /^PostgreSQL \d+ at .* accepts connections; no pg_restore here, so tokobot restores with its own restorer; restores run as the unprivileged role "tokobot_restore"$/);
    const lines: string[] = [];
    await target.restore(fixture.i5buPath, db, { onOutput: (l) => lines.push(l) });
    assert.ok(lines.includes('restoring public.tbl_item'), lines.join(', '));
    const n = await withLocalClient(db, async (c) => (await c.query('SELECT count(*)::int AS n FROM tbl_item')).rows[0].n);
    assert.equal(n, fixture.data.tables.tbl_item.length);
    assert.equal(said.filter((m) => /pg_restore is not installed/.test(m)).length, 1, said.join('\n'));
  } finally {
    await dropScratchDb(db);
  }
});
