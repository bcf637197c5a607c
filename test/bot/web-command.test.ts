import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebUser } from '../../src/store/web-auth.ts';
import { inGroup, OWNER, OWNERS_GROUP, say, STAFF, STRANGER, testCore, text } from '../helpers/bot-core.ts';

test('/web in a private chat answers a sign-in link made for that person and their role', async () => {
  const asked: WebUser[] = [];
  const { core } = testCore({ webLink: async (user) => { asked.push(user); return `https://toko.example.com/masuk/tok-${user.userId}`; } });
  assert.match(text(await say(core, STAFF, '/web')), /sekali pakai, berlaku 10 menit\):\nhttps:\/\/toko\.example\.com\/masuk\/tok-3$/);
  assert.match(text(await say(core, OWNER, '/dashboard')), /masuk\/tok-1$/);
  assert.deepEqual(asked, [{ userId: STAFF, role: 'staff' }, { userId: OWNER, role: 'owner' }]);
});

test('/web is never answered with a link in a group (even an owners\' group), nor to strangers; without the dashboard it says so', async () => {
  let made = 0;
  const { core } = testCore({ webLink: async () => { made++; return 'x'; } });
  assert.match(text(await say(core, OWNER, '/web', inGroup())), /tidak dijawab di grup/);
  assert.match(text(await say(core, OWNER, '/web', inGroup(OWNERS_GROUP))), /tidak dijawab di grup/);
  assert.doesNotMatch(text(await say(core, STRANGER, '/web')), /masuk/);
  assert.equal(made, 0);
  const off = testCore().core;
  assert.match(text(await say(off, OWNER, '/web')), /Dasbor web tidak aktif.*WEB_PORT/);
});
