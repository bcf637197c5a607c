import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openMigratedOpsDatabase, openOpsDatabase } from '../../src/store/postgres/ops-database.ts';
import { dropScratchDb, localConnection, requireLocalPg, withLocalClient } from '../helpers/local-pg.ts';
import { until } from '../helpers/until.ts';

// tokobot ask opens the ops database without the administrator's connection and the migration
// lock only when it is there and migrated; anything else goes the full way (openOpsDatabase).

const skip = await requireLocalPg();
const name = `tokobot_test_reader_${process.pid}`;

test('a reader takes the ops database only when it exists with every migration applied', { skip }, async () => {
  try {
    assert.equal(await openMigratedOpsDatabase(localConnection, name), null, 'no database yet');
    const pool = await openOpsDatabase(localConnection, name);
    await pool.end();
    const reader = await openMigratedOpsDatabase(localConnection, name);
    assert.ok(reader, 'migrated: the reader opens it');
    assert.equal((await reader.query('SELECT count(*)::int AS n FROM published')).rows[0].n, 0);
    await reader.end();
    // As an older tokobot left it: the newest migration's record gone (its tables stay; nothing reads them here).
    const newest = await withLocalClient(name, (c) => c.query('DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations) RETURNING version, name'));
    assert.equal(await openMigratedOpsDatabase(localConnection, name), null, 'a migration missing: the full open is needed');
    await withLocalClient(name, (c) => c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [newest.rows[0].version, newest.rows[0].name]));
    const again = await openMigratedOpsDatabase(localConnection, name);
    assert.ok(again, 'migrated again');
    await again.end();
  } finally {
    await dropScratchDb(name);
  }
});

test('a reader gets null, not an error, from a server that does not answer', { skip }, async () => {
  const nowhere = (database: string) => ({ ...localConnection(database), port: 1 });
  assert.equal(await openMigratedOpsDatabase(nowhere, name), null);
});

test('a connection the server drops while checked out (a sync holds its lock on one) does not end the process', { skip }, async () => {
  const dropped: string[] = [];
  const pool = await openOpsDatabase(localConnection, name, (err) => dropped.push(err.message));
  try {
    const held = await pool.connect();
    const pid = (await held.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    await withLocalClient('postgres', (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
    // Without a listener on the client, its 'error' event is thrown out of the event loop: the test process would end here.
    await until('the drop is told', () => dropped.length > 0, 5_000);
    held.release(true);
    assert.match(dropped[0]!, /terminating connection/);
    assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'the pool opens a new connection');
  } finally {
    await pool.end();
    await dropScratchDb(name);
  }
});

test('several processes opening a new ops database at once (a fleet\'s workers starting together) all get it', { skip }, async () => {
  const fresh = `tokobot_test_open_${process.pid}`;
  // Every opener is waited for, whatever happens, before the database is dropped: a late one would make it again.
  const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openOpsDatabase(localConnection, fresh)));
  try {
    // Without the lock around it, two GRANTs on the new database at once failed with "tuple concurrently updated".
    for (const o of opened) {
      assert.equal(o.status, 'fulfilled', o.status === 'rejected' ? String(o.reason) : '');
      if (o.status === 'fulfilled') assert.equal((await o.value.query('SELECT count(*)::int AS n FROM workers')).rows[0].n, 0);
    }
  } finally {
    await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.end() : undefined)));
    await dropScratchDb(fresh);
  }
});
