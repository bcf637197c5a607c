import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINK_TTL_MS } from '../../src/pipeline/web-sign-in.ts';
import { createWebApp } from '../../src/web/web-app.tsx';
import { job, NOW, OWNER, run, STAFF, status, store, webSetup } from '../helpers/web-app.ts';

test('without a session: / says to send /web to the bot (401), /api/status answers 401 JSON, a made-up cookie changes nothing', async () => {
  const { app } = webSetup();
  for (const headers of [{} as Record<string, string>, { cookie: 'tokobot_session=forged' }, { cookie: `tokobot_session=${'A'.repeat(43)}` }]) {
    const page = await app.request('/', { headers });
    assert.equal(page.status, 401);
    const text = await page.text();
    assert.match(text, /^<!doctype html>/);
    assert.match(text, /Kirim \/web ke bot tokobot/);
    assert.match(text, /Send \/web to the tokobot bot/);
    assert.doesNotMatch(text, /Toko a/);
    const api = await app.request('/api/status', { headers });
    assert.equal(api.status, 401);
    assert.deepEqual(await api.json(), { error: 'webApiSignIn', message: 'not signed in: send /web to the bot for a sign-in link, or use an API token (Authorization: Bearer …)' });
  }
});

test('a valid link sets an HttpOnly, SameSite=Lax session cookie and redirects to the overview; the session then sees the stores', async () => {
  const { app, signIn } = webSetup();
  const token = await signIn.issueLink({ userId: OWNER, role: 'owner' });
  assert.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  const res = await app.request(`/masuk/${token}`);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^tokobot_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/, 'not on plain http');
  assert.ok(!cookie.includes(token), 'the session id is not the link token');
  const page = await app.request('/', { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Toko a/);
});

test('over https the cookie is Secure', async () => {
  const { app, signIn } = webSetup({ deps: { secure: true } });
  const res = await app.request(`/masuk/${await signIn.issueLink({ userId: OWNER, role: 'owner' })}`);
  assert.match(res.headers.get('set-cookie') ?? '', /; Secure/);
});

test('a link used once, expired, or unknown is refused with a clear page in Indonesian and English, and no cookie', async () => {
  const { app, signIn, tick } = webSetup();
  const token = await signIn.issueLink({ userId: OWNER, role: 'owner' });
  assert.equal((await app.request(`/masuk/${token}`)).status, 303);
  const again = await app.request(`/masuk/${token}`);
  assert.equal(again.status, 410);
  assert.equal(again.headers.get('set-cookie'), null);
  const usedText = await again.text();
  assert.match(usedText, /sudah dipakai/);
  assert.match(usedText, /already been used/);

  const late = await signIn.issueLink({ userId: OWNER, role: 'owner' });
  tick(LINK_TTL_MS + 1);
  const expired = await app.request(`/masuk/${late}`);
  assert.equal(expired.status, 410);
  assert.equal(expired.headers.get('set-cookie'), null);
  assert.match(await expired.text(), /kedaluwarsa[\s\S]*has expired/);

  const unknown = await app.request('/masuk/not-a-token');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('set-cookie'), null);
});

test('someone removed from the roles is signed out, whatever their session says', async () => {
  const s = webSetup();
  const cookie = await s.session(OWNER);
  const app = createWebApp({ ...s.deps, roles: new Map() });
  assert.equal((await app.request('/', { headers: { cookie } })).status, 401);
});

test('cards come in the order FAILED, CHECK, no data, ATTENTION, RUNNING, OK, stores and jobs together, in the page and the API', async () => {
  const ok = store('ok1'); const att = store('att1'); const run1 = store('run1'); const chk = store('chk1'); const fail = store('fail1'); const none = store('none1');
  const { app, session } = webSetup({
    stores: [
      [ok, status(ok, 'OK')], [att, status(att, 'ATTENTION')], [run1, status(run1, 'RUNNING')],
      [chk, status(chk, 'CHECK')], [fail, status(fail, 'FAILED', { lastFailure: { at: NOW, stage: 'restore', error: 'pg_restore: s3cret-pw refused' } })],
      [none, status(none, 'CHECK', { newestBackup: null, lastSuccess: null, lastRun: null })],
    ],
    jobs: [job('jobok', { last: run({}), lastGood: run({}) }), job('jobfail', { last: run({ status: 'failed', stage: 'dump', error: 'connection refused' }) }),
      job('jobnew', {})],
  });
  const cookie = await session(OWNER);
  const api = await (await app.request('/api/status', { headers: { cookie } })).json() as { stores: { id: string; state: string }[]; jobs: { id: string; state: string }[] };
  assert.deepEqual(api.stores.map((c) => `${c.id}:${c.state}`), ['fail1:FAILED', 'chk1:CHECK', 'none1:NONE', 'att1:ATTENTION', 'run1:RUNNING', 'ok1:OK']);
  assert.deepEqual(api.jobs.map((c) => `${c.id}:${c.state}`), ['jobfail:FAILED', 'jobnew:NONE', 'jobok:OK']);
  const html = await (await app.request('/', { headers: { cookie } })).text();
  const order = [...html.matchAll(/data-card="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(order, ['fail1', 'jobfail', 'chk1', 'none1', 'jobnew', 'att1', 'run1', 'ok1', 'jobok']);
  assert.match(html, /restore: pg_restore: \[secret\] refused/, 'the failure and why, secrets scrubbed');
  assert.ok(!html.includes('s3cret-pw'));
  assert.match(html, /29 Nov 2026 10:00 WIB/, 'times in the store\'s zone');
  assert.match(html, /12\.345 baris/, 'rows, Indonesian by default');
  assert.match(html, /2 jam lalu/);
});

test('the person\'s chat language: English; staff see the stores but not the backup jobs', async () => {
  const a = store('a');
  const { app, session } = webSetup({ stores: [[a, status(a, 'OK')]], jobs: [job('jobok', { last: run({}), lastGood: run({}) })], langs: { [STAFF]: 'en' } });
  const cookie = await session(STAFF);
  const html = await (await app.request('/', { headers: { cookie } })).text();
  assert.match(html, /<html lang="en">/);
  assert.match(html, /12,345 rows/);
  assert.match(html, /2 h ago/);
  assert.ok(!html.includes('jobok'), 'no job card for staff');
  const api = await (await app.request('/api/status', { headers: { cookie } })).json() as { jobs: unknown[] };
  assert.deepEqual(api.jobs, []);
});

test('store names, files and errors with markup and quotes are shown as text, never as markup', async () => {
  const evil = store('evil', '<script>alert(1)</script> "Toko" \'Ibu\' & <b>');
  const { app, session } = webSetup({ stores: [[evil, status(evil, 'FAILED', {
    newestBackup: { file: '"><img src=x onerror=alert(2)>.i5bu', modifiedAt: NOW, dumpedAt: NOW, ageHours: 0, ageFrom: 'dump', archive: null },
    lastFailure: { at: NOW, stage: 'validate', error: '<iframe src="javascript:alert(3)">' } })]] });
  const cookie = await session(OWNER);
  const res = await app.request('/', { headers: { cookie } });
  const html = await res.text();
  assert.ok(!html.includes('<script>'), 'no script element');
  assert.ok(!html.includes('<img'), 'no img element');
  assert.ok(!html.includes('<iframe'), 'no iframe element');
  assert.ok(!html.includes('<b>'));
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;Toko&quot; &#39;Ibu&#39; &amp; &lt;b&gt;/);
  assert.match(html, /&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;\.i5bu/);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
});
