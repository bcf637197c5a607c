import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OpsDatabaseRestore } from '../../src/store/postgres/ops-restore.ts';
import { adminQuery, createScratchDb, dropScratchDb, LOCAL_PG_URL, localConnection, requireLocalPg } from '../helpers/local-pg.ts';

// The ops database as restore-self fills it; a load that fails leaves no half-filled database (the whole restore: self-backup.test.ts).

const skip = await requireLocalPg();
const name = `tokobot_t_d_opsrestore_${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), `tokobot-D-opsrestore-${process.pid}-`));
const url = LOCAL_PG_URL.replace(/\/[^/]*$/, `/${name}`);
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!skip) await dropScratchDb(name);
});
const exists = async () => ((await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;

test('tables: null without the database, 0 when empty, the count once it has some', { skip }, async () => {
  const ops = new OpsDatabaseRestore(localConnection, url, name);
  await dropScratchDb(name);
  assert.equal(await ops.tables(), null);
  await createScratchDb(name);
  assert.equal(await ops.tables(), 0);
  const pg = (await import('pg')).default;
  const client = new pg.Client(localConnection(name));
  await client.connect();
  await client.query('CREATE TABLE a (x int); CREATE TABLE b (y int)');
  await client.end();
  assert.equal(await ops.tables(), 2);
  await dropScratchDb(name);
});

test('a failed load drops the database it created, and says so in both languages', { skip }, async () => {
  await dropScratchDb(name);
  const file = path.join(dir, 'ops.dump');
  writeFileSync(file, 'PGDMP');
  const ops = new OpsDatabaseRestore(localConnection, url, name, path.join(dir, 'no-such-pg_restore'));
  await assert.rejects(ops.restore(file), (err: Error & { messageId?: string }) => {
    assert.match(err.message, /Cannot run .*no-such-pg_restore.*The ops database tokobot_t_d_opsrestore_\d+ this restore created was removed again\./);
    assert.match(err.messageId ?? '', /yang dibuat restore ini sudah dihapus lagi/);
    return true;
  });
  assert.equal(await exists(), false);
  // An existing, empty one is left, and named.
  await createScratchDb(name);
  await assert.rejects(ops.restore(file), /may hold part of the backup: drop it before running restore-self again/);
  assert.equal(await exists(), true);
});
