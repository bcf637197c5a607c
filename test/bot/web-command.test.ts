import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebUser } from '../../src/store/web-auth.ts';
import { answerWhatsApp, whatsAppUserId } from '../../src/bot/whatsapp/whatsapp-chat.ts';
import { dashboardRoles } from '../../src/main/web-server.ts';
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

test('/web from an allowed WhatsApp number answers, in WhatsApp text, a link for that number (negative id) as staff; other numbers get nothing', async () => {
  const asked: WebUser[] = [];
  const { core } = testCore({ webLink: async (user) => { asked.push(user); return `https://toko.example.com/masuk/tok${user.userId}`; } });
  const answer = await answerWhatsApp(core, ['6281234567890'], '6281234567890', '/web');
  assert.match(String(answer ?? ''), /berlaku 10 menit\):\nhttps:\/\/toko\.example\.com\/masuk\/tok-6281234567890$/);
  assert.doesNotMatch(String(answer ?? ''), /<[a-z]/, 'WhatsApp text, no HTML');
  assert.deepEqual(asked, [{ userId: whatsAppUserId('6281234567890'), role: 'staff' }]);
  assert.equal(await answerWhatsApp(core, ['6281234567890'], '6289999999999', '/web'), null);
  assert.equal(asked.length, 1);
});

test('the dashboard lets allowed WhatsApp numbers in as staff under their negative id; a Telegram role is kept as it is', () => {
  const roles = dashboardRoles(new Map([[OWNER, 'owner']]), ['6281234567890']);
  assert.deepEqual([...roles].sort(([a], [b]) => a - b), [[-6281234567890, 'staff'], [0, 'owner'], [OWNER, 'owner']], 'and the terminal (tokobot web --link) as the owner');
});
