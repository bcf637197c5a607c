import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelTest } from '../../src/main/alerting.ts';
import { AlertEngine } from '../../src/pipeline/alerts/alert-engine.ts';
import type { Channel } from '../../src/pipeline/alerts/ports.ts';
import { MemoryAlertStore } from '../fakes/memory-alert-stores.ts';
import { ADMIN, form, NOW, OWNER, post, STAFF, webSetup } from '../helpers/web-app.ts';

/** /peringatan in process, over the real AlertEngine on the memory alert store. */
const HOUR = 3_600_000;
const EVIL = 'Toko <script>alert(1)</script> "kutip"';

async function setup(langs: Record<number, 'id' | 'en'> = {}) {
  const engine = new AlertEngine({ store: new MemoryAlertStore(), recipients: [], remindMs: HOUR, zone: 'Asia/Jakarta', clock: () => NOW });
  await engine.raise({ key: 'sync:a', kind: 'sync-failed', severity: 'warning', subject: EVIL, params: { stage: 'restore', error: '<img src=x onerror=alert(2)> s3cret-pw' } });
  await engine.raise({ key: 'disk', kind: 'disk-low', severity: 'critical', subject: 'disk', params: { free: 10, dir: '/data', min: 500 } });
  await engine.raise({ key: 'stale:b', kind: 'stale-backups', severity: 'warning', subject: 'Toko b', params: { newest: 'b.i5bu', hours: 50, limit: 48 } });
  await engine.clear('stale:b');
  const tests: Channel[] = [];
  const results: ChannelTest[] = [{ name: 'Ibu Sari', channel: 'telegram', to: '111' }, { name: 'Pak <b>Budi</b>', channel: 'telegram', to: '222', error: 'chat blocked the bot; s3cret-pw' }];
  const w = webSetup({
    langs,
    deps: { alerts: {
      open: () => engine.open(), resolved: (n) => engine.resolved(n), mute: (k, u) => engine.mute(k, u),
      channels: () => [
        { channel: 'telegram', ready: false, text: 'unreachable since 2026-11-29T01:00:00.000Z (ETIMEDOUT s3cret-pw)', code: 'unreachable', since: '2026-11-29T01:00:00.000Z', detail: 'ETIMEDOUT s3cret-pw' },
        { channel: 'whatsapp', ready: true, text: 'linked', code: 'linked' },
      ],
      test: async (channel) => { tests.push(channel); return results; },
    } },
  });
  const muted = async () => Object.fromEntries((await engine.open()).map((a) => [a.key, a.mutedUntil]));
  return { ...w, engine, tests, muted };
}

test('staff: /peringatan is 403 with no alert in it, and a forged mute, unmute or test with a valid CSRF token is refused, audited, and changes nothing', async () => {
  const { app, session, csrf, audit, muted, tests } = await setup();
  const cookie = await session(STAFF);
  const page = await app.request('/peringatan', { headers: { cookie } });
  assert.equal(page.status, 403);
  const text = await page.text();
  assert.match(text, /Peran Anda tidak boleh membuka ini/);
  assert.doesNotMatch(text, /sync:a|disk|Toko b/);
  const before = await muted();
  for (const [path, fields, action] of [['/peringatan/bisukan', { key: 'sync:a', hours: '4' }, 'alert.mute'], ['/peringatan/bunyikan', { key: 'sync:a' }, 'alert.unmute'], ['/peringatan/tes', { channel: 'telegram' }, 'alert.test']] as const) {
    const res = await app.request(path, post(cookie, form({ _csrf: csrf(cookie), ...fields })));
    assert.equal(res.status, 403, path);
    assert.deepEqual({ ...audit.entries.at(-1), at: undefined, id: undefined, from: undefined },
      { at: undefined, id: undefined, from: undefined, userId: STAFF, role: 'staff', via: 'session', action, target: '', outcome: 'refused', detail: 'needs admin, the viewer is staff' });
  }
  assert.deepEqual(await muted(), before);
  assert.deepEqual(tests, []);
  assert.equal((await app.request('/peringatan')).status, 401, 'nobody signed in');
});

test('admin sees open alerts (severity, opened, last told, muted until), the resolved history and the channels, all escaped', async () => {
  const { app, session, csrf } = await setup();
  const cookie = await session(ADMIN);
  const res = await app.request('/peringatan', { headers: { cookie } });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(!text.includes('<script>alert(1)'), 'store data never becomes markup');
  assert.ok(!text.includes('<img src=x'));
  assert.ok(text.includes('Sync Toko &lt;script&gt;alert(1)&lt;/script&gt; &quot;kutip&quot; gagal'), 'the title, escaped');
  assert.match(text, /data-alert="disk"[\s\S]*Disk hampir penuh[\s\S]*kritis/, 'each open alert with its severity');
  assert.match(text, /Dibuka<\/dt><dd>29 Nov 2026 12:00 WIB/);
  assert.match(text, /Dibisukan sampai<\/dt><dd class="muted-until">—/);
  assert.match(text, /data-resolved="stale:b"[\s\S]*Backup Toko b berhenti datang/);
  assert.match(text, /telegram<\/b>: <span data-state="unreachable">tidak terjangkau sejak 29 Nov 2026 08:00 WIB \(ETIMEDOUT \[secret\]\)<\/span>/, 'the state in Indonesian, its time local, secrets scrubbed');
  assert.match(text, /whatsapp<\/b>: <span data-state="linked">tertaut<\/span>/);
  assert.ok(!text.includes('s3cret-pw'));
  assert.ok(text.includes(`name="_csrf" value="${csrf(cookie)}"`));
  assert.doesNotMatch(text, /Bunyikan lagi/, 'nothing is muted, so nothing to unmute');
});

test('mute for N hours and unmute change the alert store and are audited; bad hours or an unknown key are refused with nothing changed', async () => {
  const { app, session, csrf, audit, muted } = await setup();
  const cookie = await session(OWNER);
  const mute = await app.request('/peringatan/bisukan', post(cookie, form({ _csrf: csrf(cookie), key: 'sync:a', hours: '6' })));
  assert.equal(mute.status, 303);
  assert.equal(mute.headers.get('location'), '/peringatan');
  assert.deepEqual(await muted(), { 'sync:a': new Date(NOW.getTime() + 6 * HOUR), disk: null });
  assert.deepEqual([audit.entries.at(-1)?.action, audit.entries.at(-1)?.target, audit.entries.at(-1)?.outcome, audit.entries.at(-1)?.detail, audit.entries.at(-1)?.userId],
    ['alert.mute', 'sync:a', 'ok', '6 h', OWNER]);
  const page = await (await app.request('/peringatan', { headers: { cookie } })).text();
  assert.match(page, /class="muted-until">29 Nov 2026 18:00 WIB/);
  assert.match(page, /Bunyikan lagi/);

  for (const hours of ['0', '721', 'abc', '', '-1', '1.5']) {
    const res = await app.request('/peringatan/bisukan', post(cookie, form({ _csrf: csrf(cookie), key: 'disk', hours })));
    assert.equal(res.status, 400, `hours=${hours}`);
    assert.match(await res.text(), /bilangan bulat 1 sampai 720 jam\. Tidak ada yang diubah\./);
    assert.equal(audit.entries.at(-1)?.outcome, 'refused');
  }
  for (const key of ['nope', 'stale:b', '', 'k'.repeat(300)]) {
    const res = await app.request('/peringatan/bisukan', post(cookie, form({ _csrf: csrf(cookie), key, hours: '2' })));
    assert.equal(res.status, 404, `key=${key.slice(0, 10)}`);
    assert.match(await res.text(), /Tidak ada peringatan terbuka dengan kunci itu/);
  }
  assert.deepEqual(await muted(), { 'sync:a': new Date(NOW.getTime() + 6 * HOUR), disk: null }, 'nothing changed by the refused ones');

  const unmute = await app.request('/peringatan/bunyikan', post(cookie, form({ _csrf: csrf(cookie), key: 'sync:a' })));
  assert.equal(unmute.status, 303);
  assert.deepEqual(await muted(), { 'sync:a': null, disk: null });
  assert.deepEqual([audit.entries.at(-1)?.action, audit.entries.at(-1)?.target, audit.entries.at(-1)?.outcome], ['alert.unmute', 'sync:a', 'ok']);
});

test('a forged POST without the CSRF token (or from another site) is refused, audited, and mutes nothing', async () => {
  const { app, session, csrf, audit, muted } = await setup();
  const cookie = await session(OWNER);
  for (const [body, headers] of [[form({ key: 'sync:a', hours: '4' }), {}], [form({ _csrf: csrf(cookie), key: 'sync:a', hours: '4' }), { origin: 'https://evil.example' }]] as const) {
    const res = await app.request('/peringatan/bisukan', post(cookie, body, headers));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /token CSRF hilang atau salah/);
    assert.deepEqual([audit.entries.at(-1)?.action, audit.entries.at(-1)?.outcome], ['POST /peringatan/bisukan', 'refused']);
  }
  assert.deepEqual(await muted(), { 'sync:a': null, disk: null });
});

test('test a channel: the message goes out through that channel, each attempt shown (escaped, secrets scrubbed) and the test audited', async () => {
  const { app, session, csrf, audit, tests } = await setup({ [ADMIN]: 'en' });
  const cookie = await session(ADMIN);
  const res = await app.request('/peringatan/tes', post(cookie, form({ _csrf: csrf(cookie), channel: 'telegram' })));
  assert.equal(res.status, 200);
  assert.deepEqual(tests, ['telegram']);
  const text = await res.text();
  assert.match(text, /Test of telegram/);
  assert.match(text, /telegram<\/b>: <span data-state="unreachable">unreachable since 29 Nov 2026 08:00 WIB \(ETIMEDOUT \[secret\]\)<\/span>/, 'the state in English');
  assert.match(text, /whatsapp<\/b>: <span data-state="linked">linked<\/span>/);
  assert.match(text, /class="sent">Ibu Sari \(111\): sent/);
  assert.match(text, /class="failed">Pak &lt;b&gt;Budi&lt;\/b&gt; \(222\): FAILED — chat blocked the bot; \[secret\]/);
  assert.doesNotMatch(text, /s3cret-pw/);
  assert.deepEqual([audit.entries.at(-1)?.action, audit.entries.at(-1)?.target, audit.entries.at(-1)?.outcome], ['alert channel test', 'telegram', 'failed']);
  assert.match(audit.entries.at(-1)?.detail ?? '', /^1 of 2 sent: 222 chat blocked the bot; \[secret\]$/);

  const bad = await app.request('/peringatan/tes', post(cookie, form({ _csrf: csrf(cookie), channel: 'sms' })));
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /That channel is not known or not running\. Nothing was sent\./);
  assert.deepEqual(tests, ['telegram'], 'nothing sent');
});
