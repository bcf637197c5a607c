import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUTTON_MEMORY_ID, type ButtonMemory } from '../../src/store/button-memory.ts';
import { PostgresButtonMemory } from '../../src/store/postgres/button-memory.ts';
import { MemoryButtonMemory } from '../fakes/memory-button-memory.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOpsForFile } from '../helpers/scratch-ops.ts';

const skip = await requireLocalPg();
const pool = scratchOpsForFile(`tokobot_buttons_${process.pid}`, skip);

/** What every ButtonMemory promises (src/store/button-memory.ts), run on the fake and on PostgreSQL. */
function contract(name: string, make: () => ButtonMemory, options: { skip?: string } = {}) {
  describe(`ButtonMemory contract: ${name}`, { skip: options.skip }, () => {
    test('a payload comes back as it was put, under a short id', async () => {
      const memory = make();
      const payload = { kind: 'page', store: 'main', query: `minyak goreng ${'x'.repeat(150)} "quoted" 🍜`, page: 3 };
      const id = await memory.put(payload);
      assert.match(id, BUTTON_MEMORY_ID);
      assert.deepEqual(await memory.get(id), payload);
      const other = await memory.put({ kind: 'item', store: 'main', kodeitem: 'A'.repeat(80) });
      assert.notEqual(other, id);
      assert.deepEqual(await memory.get(id), payload, 'a later put leaves earlier ones alone');
    });

    test('any string asked for is answered with null, never an error', async () => {
      const memory = make();
      for (const id of ['', 'nope', 'x'.repeat(5000), '\u0000', "'; DROP TABLE button_memory; --", 'é', '../../etc', 'm1 ']) {
        assert.equal(await memory.get(id), null, JSON.stringify(id.slice(0, 20)));
      }
    });
  });
}

contract('in memory (test fake)', () => new MemoryButtonMemory());
contract('PostgreSQL', () => new PostgresButtonMemory(pool()), { skip });

test('PostgreSQL: a payload outlives the process that kept it; after 30 days it is gone, and the next put deletes it', { skip }, async () => {
  const id = await new PostgresButtonMemory(pool()).put({ kind: 'item', store: 'main', kodeitem: 'K'.repeat(70) });
  const restarted = new PostgresButtonMemory(pool());
  assert.deepEqual(await restarted.get(id), { kind: 'item', store: 'main', kodeitem: 'K'.repeat(70) });
  await pool().query("UPDATE button_memory SET created_at = now() - interval '31 days' WHERE id = $1", [id]);
  assert.equal(await restarted.get(id), null, 'an old button counts as expired even before it is pruned');
  await new PostgresButtonMemory(pool()).put({ kind: 'store', store: 'cabang' });
  const left = await pool().query('SELECT count(*)::int AS n FROM button_memory WHERE id = $1', [id]);
  assert.equal(left.rows[0].n, 0);
});
