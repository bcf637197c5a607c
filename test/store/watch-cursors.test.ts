import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchCursors } from '../../src/store/watch-cursors.ts';
import { PgWatchCursors } from '../../src/store/postgres/watch-cursors.ts';
import { MemoryWatchCursors } from '../fakes/memory-watch-cursors.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOpsForFile } from '../helpers/scratch-ops.ts';

const skip = await requireLocalPg();
const pool = scratchOpsForFile(`tokobot_cursors_${process.pid}`, skip);

/** What every WatchCursors promises (src/store/watch-cursors.ts), on the fake and on PostgreSQL. */
function contract(name: string, make: () => WatchCursors, options: { skip?: string } = {}) {
  describe(`WatchCursors contract: ${name}`, { skip: options.skip }, () => {
    test('none until put; the last put wins; keys are apart', async () => {
      const cursors = make();
      const key = `dropbox:/ipos/${name.length}-${Date.now()}`;
      assert.equal(await cursors.get(key), undefined);
      await cursors.put(key, 'AAA');
      await cursors.put(key, 'B'.repeat(3000));
      await cursors.put(`${key}/other`, 'C');
      assert.equal(await cursors.get(key), 'B'.repeat(3000));
      assert.equal(await cursors.get(`${key}/other`), 'C');
      assert.equal(await cursors.get("'; DROP TABLE watch_cursors; --"), undefined);
    });
  });
}

contract('in memory (test fake)', () => new MemoryWatchCursors());
contract('PostgreSQL', () => new PgWatchCursors(pool()), { skip });

test('PostgreSQL: a cursor outlives the process that kept it', { skip }, async () => {
  await new PgWatchCursors(pool()).put('dropbox:/ipos/restart', 'kept');
  assert.equal(await new PgWatchCursors(pool()).get('dropbox:/ipos/restart'), 'kept');
});
