/**
 * Runs the embedded target once in this process, as whatever user runs it: the embedded
 * PostgreSQL test starts it as an ordinary user (not root) and reads the JSON it prints.
 * Usage: node --import tsx test/helpers/embedded-as-user.ts DIR PORT ARCHIVE
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/adapters/postgres/embedded-postgres.ts';
import { restoreArchive } from '../../src/adapters/postgres/archive-restorer.ts';
import { TEST_RESTORE_ROLE } from './local-pg.ts';

const [dir = '', port = '', archive = ''] = process.argv.slice(2);
const target = new EmbeddedPostgres({ dir: path.join(dir, 'pg'), port: Number(port), password: 'as-user-pw', restoreRole: TEST_RESTORE_ROLE, restorer: (file, client) => restoreArchive(file, client) });
try {
  await target.ensure();
  await target.createDatabase('shop');
  await target.restore(archive, 'shop');
  const shop = new pg.Client(target.adminConnection('shop'));
  await shop.connect();
  const items = (await shop.query('SELECT count(*)::int AS n FROM tbl_item')).rows[0].n as number;
  await shop.end();
  console.log(JSON.stringify({ uid: process.getuid?.(), clusterOwner: statSync(path.join(dir, 'pg', 'PG_VERSION')).uid, items }));
} finally {
  await target.stop();
}
