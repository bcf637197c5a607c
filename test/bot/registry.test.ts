import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Api } from 'grammy';
import type { Access } from '../../src/bot/access.ts';
import { COMMANDS, commandNamed } from '../../src/bot/registry.ts';
import { registerMenus } from '../../src/bot/telegram/telegram-bot.ts';
import type { Role } from '../../src/config/load-config.ts';
import { ADMIN, OWNER, say, STAFF, STRANGER, testCore, text } from '../helpers/bot-core.ts';

const LEVELS: Access[] = ['public', 'staff', 'admin', 'owner'];
const reaches = (access: Access, role: Access) => LEVELS.indexOf(access) >= LEVELS.indexOf(role);

test('every command is declared whole: a name, Indonesian and English help, a role, a handler; no word names two commands', () => {
  const words = new Map<string, string>();
  for (const c of COMMANDS) {
    assert.match(c.name, /^[a-z]{2,32}$/, 'Telegram menu commands are 1-32 lower-case letters');
    assert.ok(c.help.id.trim() && c.help.en.trim() && c.help.id !== c.help.en, `${c.name}: help in id and en`);
    assert.ok(c.help.id.length <= 256 && c.help.en.length <= 256, `${c.name}: Telegram menu descriptions are at most 256 characters`);
    assert.ok(LEVELS.includes(c.role), `${c.name}: role`);
    assert.equal(typeof c.run, 'function', `${c.name}: handler`);
    for (const w of [c.name, ...c.aliases]) {
      assert.equal(words.get(w), undefined, `/${w} names both ${words.get(w)} and ${c.name}`);
      words.set(w, c.name);
      assert.equal(commandNamed(w.toUpperCase()), c, `/${w} in capitals`);
    }
  }
  assert.deepEqual(COMMANDS.map((c) => c.name), ['harga', 'stok', 'help', 'whoami', 'lang', 'toko', 'status', 'history', 'changes', 'sync', 'export', 'report', 'backup', 'jobs', 'batal', 'alerts', 'agen', 'web']);
});

test('each command\'s one declared role decides /help, the menus and whether it runs, for every role and every word', async () => {
  const { core } = testCore({ rateLimitPerMinute: 10_000, publicMode: true });
  const people: [number, Access][] = [[STRANGER, 'public'], [STAFF, 'staff'], [ADMIN, 'admin'], [OWNER, 'owner']];
  const menus = new Map<number | 'default', string[]>();
  const api = { setMyCommands: async (commands: { command: string }[], o: { scope: { type: string; chat_id?: number } }) => {
    menus.set(o.scope.chat_id ?? 'default', commands.map((c) => c.command));
  } } as unknown as Api;
  const roles = new Map<number, Role>([[OWNER, 'owner'], [ADMIN, 'admin'], [STAFF, 'staff']]);
  await registerMenus(api, roles, true, async () => 'id');

  for (const [id, access] of people) {
    const help = text(await say(core, id, '/help'));
    for (const c of COMMANDS) {
      const allowed = reaches(access, c.role);
      assert.equal(help.includes(`/${c.name} — ${c.help.id}`), allowed, `${access}: /help and /${c.name}`);
      assert.equal(menus.get(id === STRANGER ? 'default' : id)!.includes(c.name), allowed && c.menu, `${access}: menu and /${c.name}`);
      for (const word of [c.name, ...c.aliases]) {
        const answer = text(await say(core, id, `/${word} `));
        const refusal = /(?:hanya untuk|is for) (\w+)/.exec(answer);
        assert.equal(refusal?.[1], allowed ? undefined : c.role, `${access} /${word}: ${answer}`);
      }
    }
  }
});

test('without public mode, strangers\' menu holds only what strangers are answered', async () => {
  let shown: string[] = [];
  const api = { setMyCommands: async (commands: { command: string }[], o: { scope: { type: string } }) => {
    if (o.scope.type === 'default') shown = commands.map((c) => c.command);
  } } as unknown as Api;
  await registerMenus(api, new Map(), false, async () => 'id');
  assert.deepEqual(shown, COMMANDS.filter((c) => c.forStranger).map((c) => c.name));
  assert.deepEqual(shown, ['whoami']);
});
