import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openMigratedOpsDatabase, openOpsDatabase } from '../../src/store/postgres/ops-database.ts';
import { dropScratchDb, localConnection, requireLocalPg, withLocalClient } from '../helpers/local-pg.ts';

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
