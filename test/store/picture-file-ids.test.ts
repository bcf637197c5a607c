import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PictureFileIds } from '../../src/store/picture-file-ids.ts';
import { PgPictureFileIds } from '../../src/store/postgres/picture-file-ids.ts';
import { MemoryPictureFileIds } from '../fakes/memory-picture-file-ids.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOpsForFile } from '../helpers/scratch-ops.ts';

const skip = await requireLocalPg();
const pool = scratchOpsForFile(`tokobot_t_picids_${process.pid}`, skip);

/** What every PictureFileIds promises (src/store/picture-file-ids.ts), on the fake and on PostgreSQL. */
function contract(name: string, make: () => PictureFileIds, options: { skip?: string } = {}) {
  describe(`PictureFileIds contract: ${name}`, { skip: options.skip }, () => {
    test('none until kept; only for the same hash; a new hash replaces the old; stores and items are apart', async () => {
      const ids = make();
      const item = { store: `toko-${name.length}`, kodeitem: 'BRG-001', hash: 'a'.repeat(64) };
      assert.equal(await ids.get(item), null);
      await ids.set(item, 'file-1');
      assert.equal(await ids.get(item), 'file-1');
      assert.equal(await ids.get({ ...item, hash: 'b'.repeat(64) }), null, 'another picture of the item');
      assert.equal(await ids.get({ ...item, store: 'other' }), null);
      assert.equal(await ids.get({ ...item, kodeitem: 'BRG-002' }), null);
      await ids.set({ ...item, hash: 'b'.repeat(64) }, 'file-2');
      assert.equal(await ids.get({ ...item, hash: 'b'.repeat(64) }), 'file-2');
      assert.equal(await ids.get(item), null, 'the old picture\'s id is gone with it');
      await ids.set({ ...item, kodeitem: "O'REILLY ; --" }, 'file-3');
      assert.equal(await ids.get({ ...item, kodeitem: "O'REILLY ; --" }), 'file-3');
    });
  });
}

contract('in memory (test fake)', () => new MemoryPictureFileIds());
contract('PostgreSQL', () => new PgPictureFileIds(pool()), { skip });

test('PostgreSQL: a file id outlives the process that kept it', { skip }, async () => {
  const key = { store: 'restart', kodeitem: 'X', hash: 'c'.repeat(64) };
  await new PgPictureFileIds(pool()).set(key, 'kept');
  assert.equal(await new PgPictureFileIds(pool()).get(key), 'kept');
});
