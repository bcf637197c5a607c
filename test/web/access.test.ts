import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIT_PAGE } from '../../src/web/routes/audit.tsx';
import { ADMIN, job, NOW, OWNER, run, STAFF, status, store, webSetup } from '../helpers/web-app.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (cookie: string, fields: Record<string, string>) =>
  ({ method: 'POST', body: form(fields), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const AGENT = '<script>alert("ua")</script> Mozilla/5.0 "quoted" & <b>bold</b>';
/** The page without the column names its cells carry for phones: the markup a PC's table shows. */
const unlabelled = (html: string) => html.replace(/ data-label="[^"]*"/g, '');
const withJob = { jobs: [job('pg-harian', { last: run({ status: 'success' }), lastGood: run({}) })] };

/** Signs `userId` in from a browser that sends `agent`; the cookie header. */
async function signInWith(s: ReturnType<typeof webSetup>, userId: number, agent: string): Promise<string> {
  const token = await s.signIn.issueLink({ userId, role: s.roles.get(userId) ?? 'staff' });
  const res = await s.app.request(`/masuk/${token}`, { headers: { 'user-agent': agent } });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Creates an API token as the owner; the secret shown once. */
async function apiToken(s: ReturnType<typeof webSetup>, owner: string, role: string, name = 'integrasi'): Promise<string> {
  const res = await s.app.request('/akses/token', post(owner, { _csrf: s.csrf(owner), name, role }));
  assert.equal(res.status, 201);
  const secret = /<code>([A-Za-z0-9_-]{43})<\/code>/.exec(await res.text())?.[1];
  assert.ok(secret, 'the new token is on the page');
  return secret;
}

test('admins and staff get 403 on /akses and /audit with nothing of them in the page; without a session 401', async () => {
  const s = webSetup();
  await s.session(OWNER);
  for (const id of [ADMIN, STAFF]) {
    const cookie = await s.session(id);
    for (const path of ['/akses', '/audit']) {
      const res = await s.app.request(path, { headers: { cookie } });
      assert.equal(res.status, 403, `${id} ${path}`);
      const html = await res.text();
      assert.doesNotMatch(html, /Token API|Sesi yang sedang masuk|Jejak audit|data-session|data-audit/);
    }
    const overview = await (await s.app.request('/', { headers: { cookie } })).text();
    assert.doesNotMatch(overview, /href="\/akses"|href="\/audit"/, 'no menu link to what they may not open');
  }
  for (const path of ['/akses', '/audit']) assert.equal((await s.app.request(path)).status, 401);
  const recorded = s.audit.entries.length;
  assert.equal((await s.app.request('/akses/token', post('', { name: 'x', role: 'owner' }))).status, 401);
  assert.equal(s.audit.entries.length, recorded, 'anonymous POSTs cannot fill the audit trail');
  assert.deepEqual(await s.tokens.list('api'), []);
});

test('forged POSTs of admins and staff (with and without their CSRF token) are refused with 403, audited, and change nothing', async () => {
  const s = webSetup();
  const owner = await s.session(OWNER);
  const ownerSession = (await s.signIn.sessions())[0]!.id;
  for (const id of [ADMIN, STAFF]) {
    const cookie = await s.session(id);
    for (const [path, action] of [['/akses/token', 'token.create'], ['/akses/kios', 'kiosk.create'], [`/akses/sesi/${ownerSession}/cabut`, 'session.revoke'], ['/akses/token/1/cabut', 'token.revoke']]) {
      const res = await s.app.request(path!, post(cookie, { _csrf: s.csrf(cookie), name: 'x', role: 'owner' }));
      assert.equal(res.status, 403, path);
      const entry = s.audit.entries.at(-1)!;
      assert.deepEqual([entry.action, entry.outcome, entry.userId, entry.detail], [action, 'refused', id, `needs owner, the viewer is ${s.roles.get(id)}`]);
      const noToken = await s.app.request(path!, post(cookie, { name: 'x', role: 'owner' }));
      assert.equal(noToken.status, 403);
      assert.match(s.audit.entries.at(-1)!.detail, /CSRF token missing or wrong/);
    }
  }
  assert.deepEqual(await s.tokens.list('api'), []);
  assert.deepEqual(await s.tokens.list('kiosk'), []);
  assert.equal((await s.app.request('/', { headers: { cookie: owner } })).status, 200, 'the owner is still signed in');
});

test('the owner sees every live session with who, where from and the device (markup in a user agent escaped), this one marked', async () => {
  const s = webSetup();
  const owner = await signInWith(s, OWNER, 'Firefox/120 di kantor');
  await signInWith(s, STAFF, AGENT);
  const html = unlabelled(await (await s.app.request('/akses', { headers: { cookie: owner } })).text());
  const rows = html.match(/<tr data-session="[0-9a-f]{16}">.*?<\/tr>/g) ?? [];
  assert.equal(rows.length, 2);
  const mine = rows.find((r) => r.includes('Firefox/120'))!;
  assert.match(mine, new RegExp(`Telegram ${OWNER} · pemilik · <span class="mine">sesi ini</span>`));
  const staff = rows.find((r) => r.includes(`Telegram ${STAFF}`))!;
  assert.doesNotMatch(staff, /sesi ini/);
  assert.match(staff, /&lt;script&gt;alert\(&quot;ua&quot;\)&lt;\/script&gt; Mozilla\/5\.0 &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<script>alert|<b>bold/);
  assert.match(mine, /<td>29 Nov 2026 12:00 WIB<\/td><td>unknown<\/td><td class="agent">Firefox\/120 di kantor<\/td>/, 'last seen (now, in process: no address) in the shop zone');
});

test('revoking another session signs that browser out (audited); an unknown or path-like id is a clear 404, recorded, nothing ended', async () => {
  const s = webSetup();
  const owner = await s.session(OWNER);
  const admin = await s.session(ADMIN);
  const adminId = (await s.signIn.sessions()).find((x) => x.userId === ADMIN)!.id;
  const res = await s.app.request(`/akses/sesi/${adminId}/cabut`, post(owner, { _csrf: s.csrf(owner) }));
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/akses');
  assert.equal((await s.app.request('/', { headers: { cookie: admin } })).status, 401, 'the revoked browser is signed out');
  assert.deepEqual({ ...s.audit.entries.at(-1)!, at: 0, id: 0 },
    { at: 0, id: 0, userId: OWNER, role: 'owner', via: 'session', action: 'session.revoke', target: adminId, from: 'unknown', outcome: 'ok', detail: '' });
  for (const bad of [adminId, '0123456789abcdef', '..%2F..%2Fetc', 'x'.repeat(300)]) {
    const again = await s.app.request(`/akses/sesi/${bad}/cabut`, post(owner, { _csrf: s.csrf(owner) }));
    assert.equal(again.status, 404, bad);
    assert.match(await again.text(), /Sesi itu tidak ada atau sudah berakhir/);
    assert.equal(s.audit.entries.at(-1)!.outcome, 'failed');
    assert.ok(s.audit.entries.at(-1)!.target.length <= 40);
  }
  assert.equal((await s.signIn.sessions()).length, 1, 'the owner\'s own session lives on');
});

test('an API token is shown once, kept only as its sha256, works as Bearer on /api only, and is refused (400) with a bad name or a role unknown', async () => {
  const s = webSetup();
  const owner = await s.session(OWNER);
  const secret = await apiToken(s, owner, 'admin', 'Laporan <kasir>');
  assert.deepEqual({ ...s.audit.entries.at(-1)!, at: 0, id: 0 },
    { at: 0, id: 0, userId: OWNER, role: 'owner', via: 'session', action: 'token.create', target: '1', from: 'unknown', outcome: 'ok', detail: 'Laporan <kasir> (admin)' });
  const list = unlabelled(await (await s.app.request('/akses', { headers: { cookie: owner } })).text());
  assert.ok(!list.includes(secret), 'never shown again');
  assert.match(list, /<td><b>Laporan &lt;kasir&gt;<\/b><\/td><td>admin<\/td><td>Telegram 700100200<\/td>/);
  assert.ok(!JSON.stringify(s.audit.entries).includes(secret), 'not in the audit trail either');
  assert.equal((await s.app.request('/api/status', bearer(secret))).status, 200);
  assert.equal((await s.app.request('/', bearer(secret))).status, 401, 'a token opens the API, not the pages');
  assert.equal((await s.app.request('/api/status', bearer(secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')))).status, 401);
  for (const [fields, text] of [[{ name: '', role: 'staff' }, /Isi nama/], [{ name: 'x'.repeat(61), role: 'staff' }, /Isi nama/], [{ name: 'ok', role: 'root' }, /Peran itu tidak dikenal/],
    [{ name: 'ok' }, /Peran itu tidak dikenal/]] as const) {
    const res = await s.app.request('/akses/token', post(owner, { _csrf: s.csrf(owner), ...fields }));
    assert.equal(res.status, 400);
    assert.match(await res.text(), text);
    assert.equal(s.audit.entries.at(-1)!.outcome, 'refused');
  }
  assert.equal((await s.tokens.list('api')).length, 1, 'nothing more made');
});

test('a token acts at most with its creator\'s current role; revoked, or its creator no longer listed: 401', async () => {
  const s = webSetup(withJob);
  const owner = await s.session(OWNER);
  const full = await apiToken(s, owner, 'owner');
  const staffOnly = await apiToken(s, owner, 'staff');
  const jobs = async (token: string) => ((await (await s.app.request('/api/status', bearer(token))).json()) as { jobs: unknown[] }).jobs.length;
  assert.equal(await jobs(full), 1);
  assert.equal(await jobs(staffOnly), 0, 'made for staff: no backup jobs');
  s.roles.set(OWNER, 'staff');
  assert.equal(await jobs(full), 0, 'its creator is staff now: so is the token');
  s.roles.set(OWNER, 'owner');
  const revoke = await s.app.request('/akses/token/1/cabut', post(owner, { _csrf: s.csrf(owner) }));
  assert.equal(revoke.status, 303);
  assert.equal(s.audit.entries.at(-1)!.action, 'token.revoke');
  const gone = await s.app.request('/api/status', bearer(full));
  assert.equal(gone.status, 401);
  assert.equal(((await gone.json()) as { error: string }).error, 'webApiSignIn');
  assert.equal((await s.app.request('/akses/token/1/cabut', post(owner, { _csrf: s.csrf(owner) }))).status, 404, 'revoked once');
  assert.equal((await s.app.request('/akses/token/abc/cabut', post(owner, { _csrf: s.csrf(owner) }))).status, 404);
  s.roles.delete(OWNER);
  assert.equal((await s.app.request('/api/status', bearer(staffOnly))).status, 401, 'its creator left the roles');
});

test('a kiosk link shows the cards read-only (no menu, forms or links), refreshes itself, sets no cookie and opens nothing else', async () => {
  const evil = store('k', 'Toko <script>alert(1)</script> "Jaya"');
  const s = webSetup({ stores: [[evil, status(evil, 'FAILED', { lastFailure: { at: NOW, stage: 'restore', error: 'psql <b>gagal</b>', run: 1 } as never })]], ...withJob });
  const owner = await s.session(OWNER);
  const made = await s.app.request('/akses/kios', post(owner, { _csrf: s.csrf(owner), name: 'Layar kasir' }));
  assert.equal(made.status, 201);
  const url = /<code>(http:\/\/localhost\/kios\/[A-Za-z0-9_-]{43})<\/code>/.exec(await made.text())?.[1];
  assert.ok(url, 'the kiosk URL is shown once');
  assert.ok(!(await (await s.app.request('/akses', { headers: { cookie: owner } })).text()).includes(url));
  const path = new URL(url).pathname;
  const kiosk = await s.app.request(path);
  assert.equal(kiosk.status, 200);
  assert.equal(kiosk.headers.get('set-cookie'), null);
  const html = await kiosk.text();
  assert.match(html, /<meta http-equiv="refresh" content="60"\/>/);
  assert.match(html, /data-card="k"/);
  assert.match(html, /data-card="pg-harian"/, 'backup jobs too');
  assert.match(html, /Toko &lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;Jaya&quot;/);
  assert.match(html, /psql &lt;b&gt;gagal&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<form|<a |<nav|<header|<script|Keluar/);
  const token = path.split('/').pop()!;
  assert.equal((await s.app.request('/')).status, 401);
  assert.equal((await s.app.request('/', { headers: { cookie: `tokobot_session=${token}` } })).status, 401);
  assert.equal((await s.app.request('/api/status', bearer(token))).status, 401);
  assert.equal((await s.app.request('/api/status', { headers: { cookie: `tokobot_session=${token}` } })).status, 401);
  for (const p of ['/akses/kios', '/akses/token', '/keluar', path]) {
    const res = await s.app.request(p, { method: 'POST', body: form({ name: 'x', role: 'owner' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` } });
    assert.ok([401, 404].includes(res.status) || (p === '/keluar' && res.status === 303), `${p}: ${res.status}`);
  }
  assert.equal((await s.tokens.list('kiosk')).length, 1, 'nothing made by the kiosk');
  assert.equal((await s.tokens.list('api')).length, 0);

  assert.equal((await s.app.request('/akses/kios/1/cabut', post(owner, { _csrf: s.csrf(owner) }))).status, 303);
  assert.equal(s.audit.entries.at(-1)!.action, 'kiosk.revoke');
  for (const p of [path, '/kios/unknown', '/kios/..%2F..%2Fetc%2Fpasswd']) {
    const gone = await s.app.request(p);
    assert.equal(gone.status, 404);
    const text = await gone.text();
    assert.match(text, /Tautan layar ini tidak dikenal atau sudah dicabut/);
    assert.match(text, /This display link is unknown or has been revoked/);
    assert.doesNotMatch(text, /data-card/);
  }
});

test('a kiosk shows no more than its creator may see now, and nothing once its creator left the roles', async () => {
  const s = webSetup(withJob);
  const owner = await s.session(OWNER);
  const url = /<code>(http:\/\/localhost\/kios\/[A-Za-z0-9_-]{43})<\/code>/.exec(await (await s.app.request('/akses/kios', post(owner, { _csrf: s.csrf(owner), name: 'Layar' }))).text())![1]!;
  const path = new URL(url).pathname;
  s.roles.set(OWNER, 'staff');
  const html = await (await s.app.request(path)).text();
  assert.match(html, /data-card="a"/);
  assert.doesNotMatch(html, /data-card="pg-harian"/);
  s.roles.delete(OWNER);
  assert.equal((await s.app.request(path)).status, 404);
});

test('the audit trail: newest first with who, what, target, when (shop zone), from, outcome and detail (escaped), paged; a bad ?before= is 400', async () => {
  const s = webSetup();
  const owner = await s.session(OWNER);
  for (let i = 1; i <= AUDIT_PAGE + 10; i++) {
    await s.audit.record({ at: new Date(NOW.getTime() + i * 60_000), userId: i % 2 ? ADMIN : -6281234567890, role: 'admin', via: i === 3 ? 'token' : 'session',
      action: 'sync.start', target: `toko${i}`, from: '10.0.0.9', outcome: i % 5 ? 'ok' : 'refused', detail: i === 7 ? '<img src=x onerror=alert(1)>' : '' });
  }
  const first = await s.app.request('/audit', { headers: { cookie: owner } });
  assert.equal(first.status, 200);
  const raw = await first.text();
  const html = unlabelled(raw);
  const ids = [...html.matchAll(/data-audit="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(ids.length, AUDIT_PAGE);
  assert.deepEqual(ids.slice(0, 2), [AUDIT_PAGE + 10, AUDIT_PAGE + 9], 'newest first');
  assert.match(html, /<tr data-audit="60"><td>29 Nov 2026 13:00 WIB<\/td><td>WhatsApp \+6281234567890 · admin<\/td><td>memulai sync \(sync\.start\)<\/td><td>toko60<\/td><td>10\.0\.0\.9<\/td><td class="refused">ditolak<\/td>/);
  assert.match(raw, /<td data-label="Hasil" class="refused">ditolak<\/td>/, 'a phone shows the column name first');
  const older = /href="\/audit\?before=(\d+)"/.exec(html)?.[1];
  assert.equal(older, '11');
  const second = await (await s.app.request(`/audit?before=${older}`, { headers: { cookie: owner } })).text();
  const rest = [...second.matchAll(/data-audit="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(rest, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.doesNotMatch(second, /before=/, 'the last page links no older one');
  assert.match(second, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(second, /Telegram 700100250 · admin · token API/);
  for (const bad of ['abc', '-1', '0', '1;DROP TABLE web_audit', '9'.repeat(20), '']) {
    const res = await s.app.request(`/audit?before=${encodeURIComponent(bad)}`, { headers: { cookie: owner } });
    assert.equal(res.status, 400, bad);
    assert.match(await res.text(), /harus nomor entri audit/);
  }
});
