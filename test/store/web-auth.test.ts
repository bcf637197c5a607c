import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { WebAuth } from '../../src/store/web-auth.ts';
import { PgWebAuth } from '../../src/store/postgres/web-auth.ts';
import { MemoryWebAuth } from '../fakes/memory-web-auth.ts';
import { requireLocalPg } from '../helpers/local-pg.ts';
import { scratchOps, type ScratchOps } from '../helpers/scratch-ops.ts';

const skip = await requireLocalPg();
let ops: ScratchOps | undefined;
let pool: pg.Pool | undefined;
before(async () => {
  if (skip) return;
  ops = await scratchOps(`tokobot_webauth_${process.pid}`);
  pool = ops.pool;
});
after(async () => { await ops?.close(); });

const NOW = new Date('2026-11-29T12:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
let n = 0;
const hash = () => createHash('sha256').update(`${process.pid}-${++n}`).digest('hex');

/** What every WebAuth promises (src/store/web-auth.ts), run on the fake and on PostgreSQL. */
function contract(name: string, make: () => WebAuth, options: { skip?: string } = {}) {
  describe(`WebAuth contract: ${name}`, { skip: options.skip }, () => {
    test('a link signs in once: its user and role, then used', async () => {
      const auth = make();
      const h = hash();
      await auth.addLink(h, { userId: 700100200, role: 'owner' }, later(600_000));
      assert.deepEqual(await auth.useLink(h, later(1_000)), { userId: 700100200, role: 'owner' });
      assert.equal(await auth.useLink(h, later(2_000)), 'used');
    });

    test('an expired link is refused as expired, an unknown one as unknown; any string is safe', async () => {
      const auth = make();
      const h = hash();
      await auth.addLink(h, { userId: 5, role: 'staff' }, later(600_000));
      assert.equal(await auth.useLink(h, later(600_000)), 'expired');
      for (const odd of ['', 'nope', '\u0000x', "'; DROP TABLE web_links; --", 'x'.repeat(5000)]) assert.equal(await auth.useLink(odd, NOW), 'unknown');
    });

    test('a session answers its user until it expires; unknown ids answer null', async () => {
      const auth = make();
      const h = hash();
      await auth.addSession(h, { userId: 42, role: 'admin' }, later(30 * 86_400_000));
      assert.deepEqual(await auth.session(h, later(86_400_000)), { userId: 42, role: 'admin' });
      assert.equal(await auth.session(h, later(30 * 86_400_000)), null);
      for (const odd of ['', '\u0000', 'x'.repeat(5000)]) assert.equal(await auth.session(odd, NOW), null);
    });
  });
}

contract('in memory (test fake)', () => new MemoryWebAuth());
contract('PostgreSQL', () => new PgWebAuth(pool!), { skip });

test('PostgreSQL: of two uses of one link at the same moment, exactly one signs in', { skip }, async () => {
  const auth = new PgWebAuth(pool!);
  const h = hash();
  await auth.addLink(h, { userId: 9, role: 'admin' }, later(600_000));
  const answers = await Promise.all([auth.useLink(h, NOW), auth.useLink(h, NOW), auth.useLink(h, NOW)]);
  assert.equal(answers.filter((a) => typeof a === 'object').length, 1);
  assert.equal(answers.filter((a) => a === 'used').length, 2);
});
