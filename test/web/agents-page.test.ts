import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenHash } from '../../src/pipeline/agents/tokens.ts';
import { ADMIN, form, NOW, OWNER, post, STAFF, status, store, webSetup } from '../helpers/web-app.ts';
import { agentWorld } from '../helpers/agent-world.ts';

const a = store('a', 'Toko A');
const b = store('b', 'Toko B');
const c = store('c', 'Toko C');

async function setup(langs: Record<number, 'id' | 'en'> = {}) {
  const world = await agentWorld(NOW, [a, b, c]);
  const s = webSetup({ stores: [[a, status(a, 'OK')], [b, status(b, 'OK')], [c, status(c, 'OK')]], langs, deps: { agents: world.web, baseUrl: 'https://pusat.example.id' } });
  return { ...world, s };
}

test('/agen for an owner: each store\'s agent with its facts in the store\'s zone, its tokens, and a create button for every configured store', async () => {
  const { s, agents } = await setup();
  await agents.addToken('a', tokenHash('x'), 'telegram:700100200');
  const owner = await s.session(OWNER);
  const res = await s.app.request('/agen', { headers: { cookie: owner } });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /href="\/agen"/, 'in the menu');
  assert.match(html, /data-store="a"[\s\S]*MELAPOR[\s\S]*KASIR-A · 1\.4\.0/);
  assert.match(html, /Lapor terakhir: 6 menit lalu \(29 Nov 2026 11:54 WIB\)/);
  assert.match(html, /Jam komputer toko selisih \+3 menit dari kantor pusat/);
  assert.match(html, /Laporan menunggu dikirim: 2/);
  assert.match(html, /nightly: OK 29 Nov 2026 04:00 WIB · a-20261129\.i5bu · 35,0 MB/);
  assert.match(html, /data-store="b"[\s\S]*DIAM[\s\S]*DIAM: tidak melapor lebih dari 30 menit/);
  assert.match(html, /Disk: 512,0 MB bebas di \/var\/lib\/tokobot — HAMPIR PENUH \(minimal 2,0 GB\)/);
  assert.match(html, /nightly: GAGAL 29 Nov 2026 09:00 WIB/);
  assert.match(html, /Terakhir berhasil: 29 Nov 2026 04:00 WIB · b-20261128\.i5bu/);
  assert.match(html, /data-store="c"[\s\S]*BELUM ADA AGEN/);
  assert.match(html, /telegram:700100200/);
  assert.equal((html.match(/action="\/agen\/[a-c]\/token"/g) ?? []).length, 3);
  assert.match(html, /action="\/agen\/a\/cabut"/);
  assert.doesNotMatch(html, /action="\/agen\/b\/cabut"/, 'nothing to revoke for b');
});

test('/agen for an admin shows the agents without tokens; staff get 403; English reads as English', async () => {
  const { s } = await setup({ [ADMIN]: 'en' });
  const admin = await s.session(ADMIN);
  const html = await (await s.app.request('/agen', { headers: { cookie: admin } })).text();
  assert.match(html, /Shop agents/);
  assert.match(html, /Last heartbeat: 6 min ago/);
  assert.match(html, /SILENT: no report for over 30 minutes/);
  assert.match(html, /ALMOST FULL \(minimum 2\.0 GB\)/);
  assert.match(html, /nightly: FAILED/);
  assert.doesNotMatch(html, /data-store="c"/, 'admins see the stores whose agent reported');
  assert.doesNotMatch(html, /Agent tokens|\/token"/);
  const staff = await s.session(STAFF);
  assert.equal((await s.app.request('/agen', { headers: { cookie: staff } })).status, 403);
  assert.doesNotMatch(await (await s.app.request('/', { headers: { cookie: staff } })).text(), /href="\/agen"/);
});

test('Create token shows the token once with the exact enroll line; only its hash is kept; audited', async () => {
  const { s, agents } = await setup();
  const owner = await s.session(OWNER);
  const res = await s.app.request('/agen/c/token', post(owner, form({ _csrf: s.csrf(owner) })));
  assert.equal(res.status, 201);
  const html = await res.text();
  const line = /<code data-enroll="?[^>]*>(tokobot agent enroll https:\/\/pusat\.example\.id (tka_c_[A-Za-z0-9_-]+))<\/code>/.exec(html);
  assert.ok(line, html.slice(0, 2000));
  assert.equal(agents.tokenList.length, 1);
  assert.equal(agents.tokenList[0]!.hash, tokenHash(line[2]!));
  assert.equal(agents.tokenList[0]!.createdBy, `web:${OWNER}`);
  assert.ok(!JSON.stringify(s.audit.entries).includes(line[2]!), 'the token is not in the audit trail');
  assert.deepEqual(s.audit.entries.map((e) => [e.action, e.target, e.outcome]).filter(([x]) => x !== 'agents.view'), [['agent.token.create', 'c', 'ok']]);
  const again = await (await s.app.request('/agen', { headers: { cookie: owner } })).text();
  assert.ok(!again.includes(line[2]!), 'shown once');
});

test('Revoke revokes the store\'s live tokens; unknown stores, admins and forms without CSRF are refused and audited', async () => {
  const { s, agents } = await setup();
  const owner = await s.session(OWNER);
  await agents.addToken('a', tokenHash('t1'), 'cli');
  const res = await s.app.request('/agen/a/cabut', post(owner, form({ _csrf: s.csrf(owner) })));
  assert.equal(res.status, 303);
  assert.ok(agents.tokenList.every((k) => k.revokedAt));
  assert.match(await (await s.app.request('/agen', { headers: { cookie: owner } })).text(), /dicabut 29 Nov 2026 12:00 WIB/);
  assert.equal((await s.app.request('/agen/a/cabut', post(owner, form({ _csrf: s.csrf(owner) })))).status, 404, 'nothing left to revoke');
  assert.equal((await s.app.request('/agen/zzz/token', post(owner, form({ _csrf: s.csrf(owner) })))).status, 404, 'not configured here');
  assert.equal((await s.app.request('/agen/a/token', post(owner, form({ _csrf: 'wrong' })))).status, 403);
  const admin = await s.session(ADMIN);
  assert.equal((await s.app.request('/agen/a/token', post(admin, form({ _csrf: s.csrf(admin) })))).status, 403);
  assert.equal(agents.tokenList.length, 1, 'nothing made by the refused requests');
  const outcomes = s.audit.entries.map((e) => `${e.action} ${e.target} ${e.outcome}`);
  assert.ok(outcomes.includes('agent.token.revoke a ok'));
  assert.ok(outcomes.includes('agent.token.create zzz refused'));
  assert.ok(outcomes.includes('agent.token.create a refused'), 'the admin\'s attempt');
});

test('/api/status carries the agents for admins and owners, not for staff', async () => {
  const { s } = await setup();
  const admin = await s.session(ADMIN);
  const body = await (await s.app.request('/api/status', { headers: { cookie: admin } })).json() as { agents?: { store: string; silent: boolean }[] };
  assert.deepEqual(body.agents?.map((x) => [x.store, x.silent]), [['a', false], ['b', true]]);
  const staff = await s.session(STAFF);
  assert.equal(((await (await s.app.request('/api/status', { headers: { cookie: staff } })).json()) as { agents?: unknown }).agents, undefined);
});
