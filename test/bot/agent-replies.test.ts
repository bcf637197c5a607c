import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentsText } from '../../src/cli/format-sync.ts';
import { tokenHash } from '../../src/pipeline/agents/tokens.ts';
import type { StoreStatus } from '../../src/pipeline/status.ts';
import { agentWorld } from '../helpers/agent-world.ts';
import { ADMIN, inGroup, OWNER, OWNERS_GROUP, say, STAFF, testCore, text } from '../helpers/bot-core.ts';

/** The head office's chat about shop agents: /status's part and /agen (owners), over the in-memory agents of agent-world.ts. */
const NOW = new Date('2026-11-29T05:00:00Z');
const a = { id: 'a', name: 'Toko A', schedule: '*/30 * * * *', timeZone: 'Asia/Jakarta', source: { type: 'folder' as const, dir: '/a' } };
const b = { id: 'b', name: 'Toko B', schedule: '*/30 * * * *', timeZone: 'Asia/Makassar', source: { type: 'folder' as const, dir: '/b' } };
const c = { id: 'c', name: 'Toko C', schedule: '*/30 * * * *', timeZone: 'Asia/Jakarta', source: { type: 'folder' as const, dir: '/c' } };
const ok = (s: typeof a): StoreStatus => ({ store: s.id, name: s.name, freshness: 'OK', newestBackup: null, lastSuccess: null, lastRun: null, lastFailure: null, published: null, priceRules: null });

async function setup() {
  const world = await agentWorld(NOW, [a, b, c]);
  const { core } = testCore({ rateLimitPerMinute: 100, stores: [a, b, c], status: async (s) => ok(s as typeof a), agents: world.web.statuses, agentTokens: world.agents, headOfficeUrl: 'https://pusat.example.id' });
  return { ...world, core };
}

test('/status for an owner has a "Agen toko" part: heartbeat age, SILENT, disk, skew, outbox, each job\'s last and last good run in the store\'s zone', async () => {
  const { core } = await setup();
  const r = await say(core, OWNER, '/status');
  assert.equal(r?.severity, 'error', 'a silent agent and a failed backup');
  const lines = text(r).split('\n');
  const from = lines.indexOf('Agen toko:');
  assert.ok(from > 0, text(r));
  assert.deepEqual(lines.slice(from), [
    'Agen toko:',
    'Toko A (a) · KASIR-A · versi 1.4.0',
    '  Lapor terakhir: 6 menit lalu (29 Nov 2026 11:54 WIB)',
    '  Disk: 120,0 GB bebas di D:\\tokobot',
    '  Jam komputer toko selisih +3 menit dari kantor pusat',
    '  Laporan menunggu dikirim: 2',
    '  nightly: OK 29 Nov 2026 04:00 WIB · a-20261129.i5bu · 35,0 MB',
    'Toko B (b) · KASIR-B · versi 1.3.9',
    '  Lapor terakhir: 2 jam lalu (29 Nov 2026 11:00 WITA)',
    '  ⚠️ DIAM: tidak melapor lebih dari 30 menit',
    '  ⚠️ Disk: 512,0 MB bebas di /var/lib/tokobot — HAMPIR PENUH (minimal 2,0 GB)',
    '  ⚠️ nightly: GAGAL 29 Nov 2026 10:00 WITA · pg_dump: connection refused',
    '    Terakhir berhasil: 29 Nov 2026 05:00 WITA · b-20261128.i5bu',
  ]);
});

test('/status in English says the same in English; staff do not see the agents', async () => {
  const { core } = await setup();
  await say(core, ADMIN, '/lang en');
  const en = text(await say(core, ADMIN, '/status'));
  assert.match(en, /\nShop agents:\nToko A \(a\) · KASIR-A · version 1\.4\.0\n  Last heartbeat: 6 min ago \(29 Nov 2026 11:54 WIB\)/);
  assert.match(en, /  ⚠️ SILENT: no report for over 30 minutes\n  ⚠️ Disk: 512\.0 MB free under \/var\/lib\/tokobot — ALMOST FULL \(minimum 2\.0 GB\)/);
  assert.match(en, /The shop PC's clock is \+3 min off the head office's/);
  assert.match(en, /⚠️ nightly: FAILED 29 Nov 2026 10:00 WITA[^\n]*\n    Last good: 29 Nov 2026 05:00 WITA · b-20261128\.i5bu/);
  assert.doesNotMatch(text(await say(core, STAFF, '/status')), /Agen toko|KASIR/);
});

test('tokobot status prints the same part, indented under its title, in both languages', async () => {
  const { web } = await agentWorld(NOW, [a, b, c]);
  const agents = await web.statuses();
  const id = agentsText(agents, 'id');
  assert.match(id, /^Agen toko:\n  Toko A \(a\) · KASIR-A · versi 1\.4\.0\n    Lapor terakhir: 6 menit lalu/);
  assert.match(id, /\n    ⚠️ DIAM: tidak melapor lebih dari 30 menit\n/);
  assert.match(agentsText(agents, 'en'), /^Shop agents:\n  Toko A \(a\)[\s\S]*\n    ⚠️ SILENT: no report for over 30 minutes\n/);
  assert.equal(agentsText([], 'en'), '', 'no agent, no part');
});

test('/agen lists each store with its agent\'s state and live tokens; staff and admins are refused', async () => {
  const { core, agents } = await setup();
  await agents.addToken('a', tokenHash('t1'), 'cli');
  const list = text(await say(core, OWNER, '/agen'));
  assert.match(list, /Toko A \(a\): agen di KASIR-A melapor 6 menit lalu · token aktif: 1/);
  assert.match(list, /Toko B \(b\): DIAM: agen di KASIR-B terakhir melapor 2 jam lalu · token aktif: 0/);
  assert.match(list, /Toko C \(c\): belum ada agen · token aktif: 0/);
  await say(core, OWNER, '/lang en');
  assert.match(text(await say(core, OWNER, '/agent')), /Toko C \(c\): no agent yet · live tokens: 0/);
  for (const who of [ADMIN, STAFF]) assert.match(text(await say(core, who, '/agen')), /hanya untuk/);
});

test('/agen add ID answers the token once with the enroll line, in a private chat only; only configured stores; revoke', async () => {
  const { core, agents } = await setup();
  const made = text(await say(core, OWNER, '/agen add c'));
  const line = /tokobot agent enroll https:\/\/pusat\.example\.id (tka_c_[A-Za-z0-9_-]+)/.exec(made);
  assert.ok(line, made);
  assert.match(made, /Hanya ditampilkan sekali/);
  assert.equal(agents.tokenList[0]!.hash, tokenHash(line[1]!));
  assert.equal(agents.tokenList[0]!.createdBy, `telegram:${OWNER}`);
  // Groups: never the token, even an owners' group.
  for (const chat of [inGroup(OWNERS_GROUP), inGroup()]) {
    const said = text(await say(core, OWNER, '/agen add c', chat));
    assert.match(said, /grup|private chat/);
    assert.doesNotMatch(said, /tka_/);
  }
  assert.equal(agents.tokenList.length, 1);
  assert.match(text(await say(core, OWNER, '/agen add zzz')), /Toko "zzz" tidak ada di konfigurasi kantor pusat[\s\S]*Pilihan: a, b atau c/);
  assert.equal(agents.tokenList.length, 1);
  assert.match(text(await say(core, OWNER, '/agen revoke c')), /Token agen Toko C dicabut: 1/);
  assert.ok(agents.tokenList[0]!.revokedAt);
  assert.match(text(await say(core, OWNER, '/agen cabut c')), /Toko C tidak punya token agen aktif/);
  await say(core, OWNER, '/lang en');
  assert.match(text(await say(core, OWNER, '/agent add a', inGroup(OWNERS_GROUP))), /Ask in a private chat with the bot: \/agen add a/);
  assert.match(text(await say(core, OWNER, '/agent add a')), /An agent token for Toko A \(a\)\. It is shown this once only/);
});
