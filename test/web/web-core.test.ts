import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { AppError } from '../../src/errors.ts';
import { form, OWNER, post, STAFF, webSetup } from '../helpers/web-app.ts';

test('sign-out without the CSRF token, with a wrong one, or from another site is refused (403), recorded, and changes nothing', async () => {
  const { app, session, csrf, audit } = webSetup();
  const cookie = await session(OWNER);
  const cases = [
    { body: form({}), why: /CSRF token missing or wrong/ },
    { body: form({ _csrf: 'x'.repeat(43) }), why: /CSRF token missing or wrong/ },
    { body: form({ _csrf: csrf(cookie) }), headers: { origin: 'https://evil.example' }, why: /from another site: https:\/\/evil\.example/ },
  ];
  for (const c of cases) {
    const res = await app.request('/keluar', post(cookie, c.body, c.headers));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /token CSRF hilang atau salah/);
    assert.match(audit.entries.at(-1)!.detail, c.why);
    assert.deepEqual({ ...audit.entries.at(-1), at: undefined, detail: undefined, id: undefined },
      { at: undefined, detail: undefined, id: undefined, userId: OWNER, role: 'owner', via: 'session', action: 'POST /keluar', target: '', from: 'unknown', outcome: 'refused' });
  }
  assert.equal((await app.request('/', { headers: { cookie } })).status, 200, 'still signed in');
});

test('sign-out with the token ends the session for good; the CSRF header works as the form field does', async () => {
  const { app, session, csrf } = webSetup();
  const cookie = await session(STAFF);
  const res = await app.request('/keluar', post(cookie, '', { 'x-csrf-token': csrf(cookie) }));
  assert.equal(res.status, 303);
  assert.match(res.headers.get('set-cookie') ?? '', /tokobot_session=;/);
  assert.equal((await app.request('/', { headers: { cookie } })).status, 401, 'the old cookie signs nobody in');
});

test('a form over 64 KB is refused with 413 before anything reads it; an unknown page is a clear 404', async () => {
  const { app, session, csrf } = webSetup();
  const cookie = await session(OWNER);
  const res = await app.request('/keluar', post(cookie, form({ _csrf: csrf(cookie), filler: 'x'.repeat(70_000) })));
  assert.equal(res.status, 413);
  assert.match(await res.text(), /terlalu besar/);
  assert.equal((await app.request('/', { headers: { cookie } })).status, 200);
  const missing = await app.request('/../../etc/passwd', { headers: { cookie } });
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /tidak ada/);
  const api = await app.request('/api/nothing', { headers: { cookie } });
  assert.equal(api.status, 404);
  assert.equal((await api.json() as { error: string }).error, 'webNotFound');
});

test('the menu shows each role only what it may open; every page has the sign-out form with its CSRF token', async () => {
  const { app, session, csrf } = webSetup();
  const owner = await session(OWNER);
  const staff = await session(STAFF);
  const ownerPage = await (await app.request('/', { headers: { cookie: owner } })).text();
  for (const href of ['/peringatan', '/akses', '/audit']) assert.ok(ownerPage.includes(`href="${href}"`), href);
  assert.ok(ownerPage.includes(`name="_csrf" value="${csrf(owner)}"`));
  const staffPage = await (await app.request('/', { headers: { cookie: staff } })).text();
  for (const href of ['/peringatan', '/akses', '/audit']) assert.ok(!staffPage.includes(`href="${href}"`), href);
});

test('the audit trail takes the client from X-Forwarded-For only behind a trusted reverse proxy (WEB_TRUST_PROXY)', async () => {
  for (const [trustProxy, from] of [[false, 'unknown'], [true, '203.0.113.9']] as const) {
    const { app, session, audit } = webSetup({ deps: { trustProxy } });
    const cookie = await session(OWNER);
    await app.request('/keluar', post(cookie, '', { 'x-forwarded-for': '10.9.9.9, 203.0.113.9' }));
    assert.equal(audit.entries.at(-1)?.from, from);
  }
});

test('all the script the dashboard serves is under 50 KB compressed (issue 14: no client framework)', async () => {
  const { app } = webSetup();
  const scripts = readdirSync(new URL('../../src/web/static/', import.meta.url)).filter((f) => f.endsWith('.js'));
  assert.ok(scripts.length > 0);
  let compressed = 0;
  for (const file of scripts) {
    const res = await app.request(`/static/${file}`);
    assert.equal(res.status, 200, file);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    compressed += gzipSync(Buffer.from(await res.arrayBuffer())).length;
  }
  assert.ok(compressed < 50 * 1024, `${compressed} bytes compressed`);
});

test('a failure while answering: a known one is said in the reader\'s language (503 when out of reach), a bug gives a reference that is in the log', async () => {
  const logged: string[] = [];
  const out = new AppError('unreachable', 'postgres', { id: 'Database ops tidak bisa dihubungi (s3cret-pw).', en: 'The ops database cannot be reached (s3cret-pw).' });
  let fail: Error = out;
  const { app, session } = webSetup({ deps: { jobs: async () => { throw fail; }, log: (_err, ref) => logged.push(ref) } });
  const cookie = await session(OWNER);
  const page = await app.request('/', { headers: { cookie } });
  assert.equal(page.status, 503);
  const text = await page.text();
  assert.match(text, /Tidak berhasil: Database ops tidak bisa dihubungi \(\[secret\]\)\./);
  assert.ok(!text.includes('s3cret-pw'));
  const api = await app.request('/api/status', { headers: { cookie } });
  assert.equal(api.status, 503);
  assert.deepEqual(await api.json(), { error: 'webFailed', message: 'It did not work: The ops database cannot be reached ([secret]).' });
  assert.deepEqual(logged, [], 'a known failure is no bug');

  fail = new TypeError('cannot read properties of undefined');
  const bug = await app.request('/', { headers: { cookie } });
  assert.equal(bug.status, 500);
  const said = /referensi ([0-9a-f]{8})/.exec(await bug.text());
  assert.ok(said, 'a reference on the page');
  assert.deepEqual(logged, [said[1]]);
  assert.ok(!(await (await app.request('/', { headers: { cookie } })).text()).includes('cannot read properties'), 'no internals shown');
});
