import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Workers } from '../../src/store/workers.ts';
import { PgWorkers } from '../../src/store/postgres/workers.ts';
import { MemoryWorkers } from '../fakes/memory-workers.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOpsForFile } from '../helpers/scratch-ops.ts';

const skip = await requireLocalPg();
const pool = scratchOpsForFile(`tokobot_workers_${process.pid}`, skip);

/** What every Workers promises (src/store/workers.ts), on the fake and on PostgreSQL. */
function contract(name: string, make: () => Workers, options: { skip?: string } = {}) {
  describe(`Workers contract: ${name}`, { skip: options.skip }, () => {
    test('a beating worker is listed and not silent; one that stopped beating is silent until forgotten', async () => {
      const workers = make();
      const a = { id: `pool-a-${name.length}`, machine: 'kasir-1', pid: 11, concurrency: 2 };
      const b = { id: `pool-b-${name.length}`, machine: 'kasir-2', pid: 12, concurrency: 1 };
      await workers.beat(a);
      await workers.beat(b);
      const first = (await workers.list()).find((w) => w.id === a.id)!;
      assert.deepEqual({ machine: first.machine, pid: first.pid, concurrency: first.concurrency }, { machine: 'kasir-1', pid: 11, concurrency: 2 });
      assert.deepEqual((await workers.silent(60_000)).filter((w) => [a.id, b.id].includes(w.id)), []);
      await sleep(150);
      await workers.beat(b); // b goes on beating, a went quiet
      const silent = (await workers.silent(100)).map((w) => w.id);
      assert.ok(silent.includes(a.id), 'the quiet worker is silent');
      assert.ok(!silent.includes(b.id), 'the beating one is not');
      await workers.forget([a.id]);
      assert.deepEqual((await workers.list()).filter((w) => [a.id, b.id].includes(w.id)).map((w) => w.id), [b.id]);
      await workers.forget([b.id, 'pool-unknown']);
      assert.deepEqual((await workers.list()).filter((w) => [a.id, b.id].includes(w.id)), []);
    });

    test('a second beat keeps when the worker started', async () => {
      const workers = make();
      const w = { id: `pool-c-${name.length}`, machine: 'm', pid: 1, concurrency: 1 };
      await workers.beat(w);
      const started = (await workers.list()).find((x) => x.id === w.id)!.startedAt.getTime();
      await sleep(20);
      await workers.beat(w);
      const again = (await workers.list()).find((x) => x.id === w.id)!;
      assert.equal(again.startedAt.getTime(), started);
      assert.ok(again.beatAt.getTime() > started);
      await workers.forget([w.id]);
    });
  });
}

contract('in memory (test fake)', () => new MemoryWorkers());
contract('PostgreSQL', () => new PgWorkers(pool()), { skip });
