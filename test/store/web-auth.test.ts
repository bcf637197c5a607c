import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { WebAuth } from '../../src/store/web-auth.ts';
import { PgWebAuth } from '../../src/store/postgres/web-auth.ts';
import type { AuditEntry, WebAudit } from '../../src/store/web-audit.ts';
import type { WebTokens } from '../../src/store/web-tokens.ts';
import { PgWebAudit } from '../../src/store/postgres/web-audit.ts';
import { PgWebTokens } from '../../src/store/postgres/web-tokens.ts';
import { MemoryWebAudit, MemoryWebAuth, MemoryWebTokens } from '../fakes/memory-web-auth.ts';
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

    test('sessions lists the live ones by a short public id, most recently seen first, with where they came from; revoke ends one', async () => {
      const auth = make();
      const [a, b, gone] = [hash(), hash(), hash()];
      await auth.addSession(a, { userId: 1, role: 'owner' }, later(86_400_000), { from: '10.0.0.7', agent: 'Firefox' });
      await auth.addSession(b, { userId: 2, role: 'staff' }, later(86_400_000));
      await auth.addSession(gone, { userId: 3, role: 'admin' }, later(1_000));
      await auth.session(b, later(10));
      await auth.session(a, later(20));
      const live = (await auth.sessions(later(5_000))).filter((s) => [a, b, gone].some((h) => h.startsWith(s.id)));
      assert.deepEqual(live.map((s) => [s.id, s.userId, s.role, s.from, s.agent, s.lastSeenAt?.getTime()]),
        [[a.slice(0, 16), 1, 'owner', '10.0.0.7', 'Firefox', later(20).getTime()], [b.slice(0, 16), 2, 'staff', null, null, later(10).getTime()]]);
      assert.equal(await auth.revokeSession(a.slice(0, 16)), true);
      assert.equal(await auth.session(a, later(30)), null);
      assert.equal(await auth.revokeSession(a.slice(0, 16)), false);
      for (const odd of ['', 'x', a, "'; --", '%', '_'.repeat(16)]) assert.equal(await auth.revokeSession(odd), false);
      assert.deepEqual(await auth.session(b, later(40)), { userId: 2, role: 'staff' });
      const seenB = async () => (await auth.sessions(later(5_000))).find((s) => b.startsWith(s.id))?.lastSeenAt?.getTime();
      assert.equal(await seenB(), later(10).getTime(), 'last seen is kept to the minute: a request 30 ms later writes nothing');
      await auth.session(b, later(70_000));
      assert.equal(await seenB(), later(70_000).getTime());
    });
  });
}

/** What every WebTokens promises (src/store/web-tokens.ts). */
function tokensContract(name: string, make: () => WebTokens, options: { skip?: string } = {}) {
  describe(`WebTokens contract: ${name}`, { skip: options.skip }, () => {
    test('a token is found by its hash and kind only, notes its last use, and is gone for good once revoked', async () => {
      const tokens = make();
      const h = hash();
      const made = await tokens.add('api', h, { name: 'akuntansi', role: 'admin', createdBy: 7 });
      assert.equal(made.lastUsedAt, null);
      assert.equal(await tokens.find('kiosk', h, NOW), null, 'an API token is no kiosk link');
      const found = await tokens.find('api', h, later(5));
      assert.deepEqual([found?.id, found?.name, found?.role, found?.createdBy, found?.lastUsedAt?.getTime()], [made.id, 'akuntansi', 'admin', 7, later(5).getTime()]);
      assert.ok((await tokens.list('api')).some((x) => x.id === made.id));
      assert.ok(!(await tokens.list('kiosk')).some((x) => x.id === made.id));
      assert.equal(await tokens.revoke('kiosk', made.id), false, 'revoked only as its own kind');
      assert.equal(await tokens.revoke('api', made.id), true);
      assert.equal(await tokens.revoke('api', made.id), false);
      assert.equal(await tokens.find('api', h, NOW), null);
      assert.ok(!(await tokens.list('api')).some((x) => x.id === made.id));
      for (const odd of ['', '\u0000', 'x'.repeat(5000)]) assert.equal(await tokens.find('api', odd, NOW), null);
      for (const id of [0, -1, 2 ** 40, Number.NaN]) assert.equal(await tokens.revoke('api', id), false);
    });
  });
}

/** What every WebAudit promises (src/store/web-audit.ts). */
function auditContract(name: string, make: () => WebAudit, options: { skip?: string } = {}) {
  describe(`WebAudit contract: ${name}`, { skip: options.skip }, () => {
    test('entries come back newest first, as recorded, and page with beforeId', async () => {
      const audit = make();
      const entry = (n: number): AuditEntry => ({ at: later(n), userId: n === 2 ? null : 700 + n, role: 'owner', via: n === 2 ? 'token' : 'session',
        action: `test.${process.pid}`, target: `t${n}`, from: '127.0.0.1', outcome: n === 3 ? 'refused' : 'ok', detail: `<b>${n}</b> ' "` });
      for (const n of [1, 2, 3]) await audit.record(entry(n));
      const mine = (await audit.list(100)).filter((e) => e.action === `test.${process.pid}`);
      assert.deepEqual(mine.map(({ id: _id, ...e }) => e), [entry(3), entry(2), entry(1)]);
      const older = (await audit.list(100, mine[0]!.id)).filter((e) => e.action === `test.${process.pid}`);
      assert.deepEqual(older.map((e) => e.target), ['t2', 't1']);
      assert.equal((await audit.list(1)).length, 1);
    });
  });
}

contract('in memory (test fake)', () => new MemoryWebAuth());
contract('PostgreSQL', () => new PgWebAuth(pool!), { skip });
tokensContract('in memory (test fake)', () => new MemoryWebTokens());
tokensContract('PostgreSQL', () => new PgWebTokens(pool!), { skip });
auditContract('in memory (test fake)', () => new MemoryWebAudit());
auditContract('PostgreSQL', () => new PgWebAudit(pool!), { skip });

test('PostgreSQL: of two uses of one link at the same moment, exactly one signs in', { skip }, async () => {
  const auth = new PgWebAuth(pool!);
  const h = hash();
  await auth.addLink(h, { userId: 9, role: 'admin' }, later(600_000));
  const answers = await Promise.all([auth.useLink(h, NOW), auth.useLink(h, NOW), auth.useLink(h, NOW)]);
  assert.equal(answers.filter((a) => typeof a === 'object').length, 1);
  assert.equal(answers.filter((a) => a === 'used').length, 2);
});
